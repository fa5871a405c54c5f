// Review settings: which reviews go live by themselves, the reward for a published review (a
// one-use discount code, or loyalty points), and whether buyers are invited to answer
// shoppers' questions.
// (`reviews_`: its own page, not nested in the Reviews list.)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Checkbox, ChoiceList, InlineGrid, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { fieldMaker, revalidateOnSave, SettingsSection, useSettingsForm } from "~/components/settings-section";
import { settingsSave } from "~/edge/settings-save";
import { currencySymbol } from "~/format";
import { PUBLISH_CHOICES } from "~/modules/reviews/settings-form";
import { reviewSettingsPage, saveReviewSettingsForm } from "~/modules/reviews/settings";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Review settings · Aftercare" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await reviewSettingsPage(session.shop);
  return { ...page, symbol: currencySymbol(page.currency) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return settingsSave(request, (input) => saveReviewSettingsForm(session.shop, input));
};

export const shouldRevalidate = revalidateOnSave;

const NEVER = "6";

export default function ReviewSettingsPage() {
  const { form, currency, symbol } = useLoaderData<typeof loader>();
  const { draft, change, errors, banner, primaryAction, secondaryActions } = useSettingsForm(form, "Review settings saved");
  const fixed = draft.valueType === "fixed_amount";

  return (
    <Page title="Review settings" backAction={{ url: "/app/reviews" }} primaryAction={primaryAction} secondaryActions={secondaryActions}>
      <BlockStack gap="400">
        {banner}
        <Layout>
          <SettingsSection
            title="Publishing"
            description="Which reviews from verified buyers go live on your store the moment they are written. The others, and every review from a shopper who did not buy the product, wait for you on the Reviews page."
          >
            <ChoiceList
              title="Publish automatically"
              choices={PUBLISH_CHOICES.map((choice) => ({ label: choice.label, value: String(choice.minRating) }))}
              selected={[draft.minRating]}
              onChange={([minRating]) => change({ minRating: minRating ?? draft.minRating })}
              error={errors.minRating}
            />
            <Checkbox
              label="Hold reviews that contain links for a look first"
              helpText="Links are a favourite of spammers. A held review waits for you, whatever its rating."
              checked={draft.holdLinks}
              disabled={draft.minRating === NEVER}
              onChange={(holdLinks) => change({ holdLinks })}
            />
          </SettingsSection>

          <SettingsSection title="Reward for a review" description="Thank customers who write a review with a discount on their next order.">
            <ChoiceList
              title="Reward"
              titleHidden
              choices={[
                { label: "No reward", value: "none" },
                {
                  label: "A one-use discount code",
                  value: "discount",
                  helpText:
                    "Emailed to the customer who bought and reviewed the product, once the review is published. It never depends on the rating: a 1-star review earns the same as a 5-star one.",
                },
                {
                  label: "Loyalty points",
                  value: "points",
                  helpText:
                    "Added to the customer's points the moment the review is published, while your loyalty program runs. Never depends on the rating either.",
                },
              ]}
              selected={[draft.reward]}
              onChange={([reward]) => change({ reward: reward === "discount" || reward === "points" ? reward : "none" })}
            />
            {draft.reward === "points" ? (
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
                {fieldMaker(draft, change, errors)("points", "Points", { suffix: "points" })}
              </InlineGrid>
            ) : null}
            {draft.reward === "discount" ? (
              <BlockStack gap="300">
                <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
                  <Select
                    label="Discount"
                    options={[
                      { label: "Percentage off", value: "percentage" },
                      { label: `Fixed amount off (${currency})`, value: "fixed_amount" },
                    ]}
                    value={draft.valueType}
                    onChange={(valueType) => change({ valueType: valueType === "fixed_amount" ? "fixed_amount" : "percentage", value: "" })}
                  />
                  <TextField
                    label={fixed ? "Amount" : "Percentage"}
                    value={draft.value}
                    onChange={(value) => change({ value })}
                    inputMode={fixed ? "decimal" : "numeric"}
                    prefix={fixed ? symbol : undefined}
                    suffix={fixed ? undefined : "%"}
                    error={errors.value}
                    autoComplete="off"
                  />
                  <TextField
                    label="Valid for"
                    value={draft.expiresInDays}
                    onChange={(expiresInDays) => change({ expiresInDays })}
                    inputMode="numeric"
                    suffix="days"
                    helpText="Counted from the day the code is created."
                    error={errors.expiresInDays}
                    autoComplete="off"
                  />
                </InlineGrid>
                <Text as="p" tone="subdued">
                  Only the customer who wrote the review can use the code, once, on anything in your store. Imported reviews and reviews without a known
                  customer earn nothing.
                </Text>
              </BlockStack>
            ) : null}
          </SettingsSection>

          <SettingsSection title="Questions" description="Shoppers' questions about a product, answered by people who own it.">
            <Checkbox
              label="Invite customers who bought the product to answer shoppers' questions by email"
              checked={draft.inviteBuyers}
              onChange={(inviteBuyers) => change({ inviteBuyers })}
            />
          </SettingsSection>
        </Layout>
      </BlockStack>
    </Page>
  );
}
