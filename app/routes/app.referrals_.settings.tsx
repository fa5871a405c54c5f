// Referral settings: the friend's discount, what the customer who referred gets and when, and
// the fraud rules' limits. Saved as JSON; refused fields are marked. (`referrals_`: its own
// page, not nested in the Referrals page.)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, InlineGrid, Layout, Page, Select, TextField } from "@shopify/polaris";
import { fieldMaker, revalidateOnSave, SettingsSection, useSettingsForm } from "~/components/settings-section";
import { settingsSave } from "~/edge/settings-save";
import { currencySymbol } from "~/format";
import { referralSettingsPage, saveReferralSettingsForm } from "~/modules/referrals";
import { ADVOCATE_REWARD_KINDS, type ReferralSettingsForm } from "~/modules/referrals/settings-form";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Referral settings · Aftercare" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await referralSettingsPage(session.shop);
  return { ...page, symbol: currencySymbol(page.currency) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return settingsSave(request, (input) => saveReferralSettingsForm(session.shop, input));
};

export const shouldRevalidate = revalidateOnSave;

export default function ReferralSettingsPage() {
  const { form, currency, symbol } = useLoaderData<typeof loader>();
  const { draft, change, errors, banner, primaryAction, secondaryActions } = useSettingsForm(form, "Referral settings saved");
  const points = draft.advocateKind === "points";
  const field = fieldMaker(draft, change, errors);
  const number = (name: keyof ReferralSettingsForm, label: string, suffix: string, helpText?: string) => field(name, label, { suffix, helpText });

  return (
    <Page title="Referral settings" backAction={{ url: "/app/referrals" }} primaryAction={primaryAction} secondaryActions={secondaryActions}>
      <BlockStack gap="400">
        {banner}
        <Layout>
          <SettingsSection
            title="The friend's reward"
            description="A discount on their first order, through the customer's code or link. Codes already shared keep the discount they were made with."
          >
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              {number("friendPercent", "Discount on a first order", "%")}
            </InlineGrid>
          </SettingsSection>
          <SettingsSection
            title="The reward for referring"
            description="Given once the friend's order has stood past its return window; never if it is refunded or cancelled before."
          >
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              <Select
                label="The customer who referred gets"
                options={ADVOCATE_REWARD_KINDS.map((k) => ({ label: k.label, value: k.kind }))}
                value={draft.advocateKind}
                onChange={(kind) => change({ advocateKind: kind as ReferralSettingsForm["advocateKind"], advocateValue: kind === "points" ? "500" : "5.00" })}
                error={errors.advocateKind}
              />
              <TextField
                label={points ? "Points" : `Amount (${currency})`}
                value={draft.advocateValue}
                onChange={(advocateValue) => change({ advocateValue })}
                inputMode={points ? "numeric" : "decimal"}
                prefix={points ? undefined : symbol}
                suffix={points ? "points" : undefined}
                error={errors.advocateValue}
                autoComplete="off"
              />
              {number("returnWindowDays", "After delivery, wait", "days", "A week longer when the carrier reports no delivery.")}
            </InlineGrid>
          </SettingsSection>
          <SettingsSection
            title="Fraud rules"
            description="The customer's own order is always rejected. These hold a referral for you to approve or reject, with the reason."
          >
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              {number("weeklyAddressLimit", "Referred orders to one address a week", "orders")}
              {number("burstLimit", "Customers using one code", "customers")}
              {number("burstHours", "… within", "hours")}
            </InlineGrid>
          </SettingsSection>
        </Layout>
      </BlockStack>
    </Page>
  );
}
