// Review settings: which reviews go live by themselves, the reward for a published review (a
// one-use discount code), and whether buyers are invited to answer shoppers' questions.
// (`reviews_`: its own page, not nested in the Reviews list.)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Banner, BlockStack, Card, Checkbox, ChoiceList, InlineGrid, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, type ReactNode } from "react";
import { useOptionalAppBridge } from "~/components/app-bridge";
import { useDraft } from "~/components/use-draft";
import { currencySymbol } from "~/format";
import { PUBLISH_CHOICES, type ReviewSettingsErrors, type ReviewSettingsForm } from "~/modules/reviews/settings-form";
import { reviewSettingsPage, saveReviewSettingsForm } from "~/modules/reviews/settings";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Review settings · Aftercare" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await reviewSettingsPage(session.shop);
  return { ...page, symbol: currencySymbol(page.currency) };
};

type ActionResult = { saved: true; form: ReviewSettingsForm } | { saved: false; errors: ReviewSettingsErrors; message: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const input = await request.json().catch(() => null);
  if (!input || typeof input !== "object") return Response.json({ saved: false, errors: {}, message: "The request could not be read." }, { status: 400 });
  const result = await saveReviewSettingsForm(session.shop, input);
  if (!result.saved) return Response.json({ ...result, message: "Nothing was saved: fix what is marked below." }, { status: 400 });
  return Response.json(result);
};

// Only a save changes what the loader reads; a refused form keeps the merchant's draft on screen.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, actionResult, defaultShouldRevalidate }) => {
  if (!formMethod) return defaultShouldRevalidate;
  return (actionResult as ActionResult | undefined)?.saved === true;
};

const NEVER = "6";

/** One card of settings under its heading (cards rather than annotated sections: they keep their padding on a phone). */
function SettingsSection({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            <Text as="p" tone="subdued">
              {description}
            </Text>
          </BlockStack>
          {children}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

export default function ReviewSettingsPage() {
  const { form, currency, symbol } = useLoaderData<typeof loader>();
  const shopify = useOptionalAppBridge();
  const { draft, change, discard, dirty } = useDraft(form);

  const fetcher = useFetcher<ActionResult>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.saved ? result.errors : {};
  // Once per answer: a toast inside Shopify admin, a banner outside it.
  const answered = useRef<unknown>(null);
  useEffect(() => {
    if (!result?.saved || answered.current === result) return;
    answered.current = result;
    shopify?.toast.show("Review settings saved");
  }, [result, shopify]);
  const save = () => fetcher.submit(draft, { method: "post", encType: "application/json" });
  const fixed = draft.valueType === "fixed_amount";

  return (
    <Page
      title="Review settings"
      backAction={{ url: "/app/reviews" }}
      primaryAction={{ content: "Save", onAction: save, loading: fetcher.state !== "idle", disabled: !dirty && fetcher.state === "idle" }}
      secondaryActions={dirty ? [{ content: "Discard changes", onAction: discard }] : []}
    >
      <BlockStack gap="400">
        {result && !result.saved ? <Banner tone="critical" title={result.message} /> : null}
        {result?.saved && !shopify && !dirty ? <Banner tone="success" title="Review settings saved" /> : null}
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
              ]}
              selected={[draft.reward]}
              onChange={([reward]) => change({ reward: reward === "discount" ? "discount" : "none" })}
            />
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
