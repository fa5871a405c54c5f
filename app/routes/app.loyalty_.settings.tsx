// Loyalty settings: how customers earn (points per unit of the currency, whether shipping and tax
// count), when an order's points are approved, the rewards catalogue (amount off, percentage
// off, free shipping, store credit), expiry and the tiers. Saved as JSON; refused fields are marked.
// (`loyalty_`: its own page, not nested in the Loyalty page.)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Checkbox, InlineGrid, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { fieldMaker, revalidateOnSave, SettingsSection, useSettingsForm } from "~/components/settings-section";
import { settingsSave } from "~/edge/settings-save";
import { currencySymbol } from "~/format";
import { loyaltySettingsPage, saveLoyaltySettingsForm } from "~/modules/loyalty";
import { LOYALTY_BOUNDS, NEXT_ORDER_FLOWS, REWARD_KINDS, type LoyaltySettingsForm, type RewardKind } from "~/modules/loyalty/settings-form";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Loyalty settings · Aftercare" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await loyaltySettingsPage(session.shop);
  return { ...page, symbol: currencySymbol(page.currency) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return settingsSave(request, (input) => saveLoyaltySettingsForm(session.shop, input));
};

export const shouldRevalidate = revalidateOnSave;

type RewardRow = LoyaltySettingsForm["rewards"][number];
type TierRow = LoyaltySettingsForm["tiers"][number];

export default function LoyaltySettingsPage() {
  const { form, currency, symbol } = useLoaderData<typeof loader>();
  const { draft, change, errors, banner, primaryAction, secondaryActions } = useSettingsForm(form, "Loyalty settings saved");
  const setReward = (i: number, patch: Partial<RewardRow>) => change({ rewards: draft.rewards.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const addReward = () => change({ rewards: [...draft.rewards, { id: "", kind: "amount_off", points: "1000", value: "10" }] });
  const unit = `${symbol}1`;
  const field = fieldMaker(draft, change, errors);
  const setTier = (i: number, patch: Partial<TierRow>) => change({ tiers: draft.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const addTier = () => {
    const last = draft.tiers.at(-1);
    const spend = Number(last?.threshold.replace(",", ".") || 0) * 2 || 500;
    change({ tiers: [...draft.tiers, { id: "", name: "", threshold: String(spend), multiplier: "2", perks: "" }] });
  };
  return (
    <Page title="Loyalty settings" backAction={{ url: "/app/loyalty" }} primaryAction={primaryAction} secondaryActions={secondaryActions}>
      <BlockStack gap="400">
        {banner}
        <Layout>
          <SettingsSection title="Earning" description="Points for every paid order, counted on what the customer spent.">
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              {field("pointsPerUnit", `Points for every ${unit} spent`, {
                suffix: "points",
                helpText: "Rounded down: an order of 41.90 earns 41 points at 1 point each.",
              })}
              <BlockStack gap="200">
                <Text as="p">The subtotal after discounts always counts.</Text>
                <Checkbox label="Shipping counts too" checked={draft.includeShipping} onChange={(includeShipping) => change({ includeShipping })} />
                <Checkbox label="Tax counts too" checked={draft.includeTax} onChange={(includeTax) => change({ includeTax })} />
              </BlockStack>
            </InlineGrid>
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              {field("signupBonus", "Bonus for creating an account", {
                suffix: "points",
                helpText: "Given once, when Shopify says the account is active. 0 for none.",
              })}
              {field("birthdayBonus", "Birthday bonus", {
                suffix: "points",
                helpText: "On the birthday a member gives in the rewards panel, once a year. 0 for none.",
              })}
            </InlineGrid>
          </SettingsSection>

          <SettingsSection
            title="When points can be spent"
            description="An order's points stay pending until it can no longer be returned, so a refund never takes back points already spent."
          >
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              {field("approveAfterDeliveryDays", "Days after delivery", { suffix: "days", helpText: "When the carrier reports the parcel delivered." })}
              {field("approveAfterFulfillmentDays", "Days after shipping, when no delivery is reported", { suffix: "days" })}
            </InlineGrid>
          </SettingsSection>

          <SettingsSection
            title="Rewards"
            description="What customers can spend their points on. Each is a one-use code for that customer alone (valid 90 days), or store credit on their account."
          >
            {errors.rewards ? (
              <Text as="p" tone="critical">
                {errors.rewards}
              </Text>
            ) : null}
            {draft.rewards.map((reward, i) => {
              const kind = reward.kind;
              return (
                <InlineGrid key={i} columns={{ xs: 1, sm: 4 }} gap="300" alignItems="end">
                  <Select
                    label="Reward"
                    options={REWARD_KINDS.map((k) => ({ label: k.label, value: k.kind }))}
                    value={kind}
                    onChange={(value) =>
                      setReward(i, { kind: value as RewardKind, value: value === "percent_off" ? "10" : value === "free_shipping" ? "" : reward.value })
                    }
                  />
                  <TextField
                    label="Costs"
                    value={reward.points}
                    onChange={(points) => setReward(i, { points })}
                    inputMode="numeric"
                    suffix="points"
                    error={errors[`rewards.${i}.points`]}
                    autoComplete="off"
                  />
                  {kind === "free_shipping" ? (
                    <Text as="p" tone="subdued">
                      On any order
                    </Text>
                  ) : (
                    <TextField
                      label={kind === "percent_off" ? "Percentage" : `Amount (${currency})`}
                      value={reward.value}
                      onChange={(value) => setReward(i, { value })}
                      inputMode={kind === "percent_off" ? "numeric" : "decimal"}
                      prefix={kind === "percent_off" ? undefined : symbol}
                      suffix={kind === "percent_off" ? "%" : undefined}
                      error={errors[`rewards.${i}.value`]}
                      autoComplete="off"
                    />
                  )}
                  <InlineStack align="end">
                    <Button
                      variant="plain"
                      tone="critical"
                      disabled={draft.rewards.length <= LOYALTY_BOUNDS.rewards.min}
                      onClick={() => change({ rewards: draft.rewards.filter((_, j) => j !== i) })}
                      accessibilityLabel={`Remove reward ${i + 1}`}
                    >
                      Remove
                    </Button>
                  </InlineStack>
                </InlineGrid>
              );
            })}
            <InlineStack>
              <Button onClick={addReward} disabled={draft.rewards.length >= LOYALTY_BOUNDS.rewards.max}>
                Add a reward
              </Button>
            </InlineStack>
          </SettingsSection>

          <SettingsSection
            title="Expiry"
            description="Points a member has not used expire after a stretch without activity (an order, a redemption, a bonus). Members who said yes to your emails are told 14 days before."
          >
            <Checkbox label="Let points expire" checked={draft.expiryEnabled} onChange={(expiryEnabled) => change({ expiryEnabled })} />
            {draft.expiryEnabled ? (
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                {field("expiryMonths", "After this long without activity", { suffix: "months" })}
              </InlineGrid>
            ) : null}
          </SettingsSection>

          <SettingsSection
            title="Next-order offer"
            description="A one-use code for the customer's next order, created when an order is paid and shown in one of that order's emails."
          >
            <Checkbox label="Offer a code for the next order" checked={draft.nextOrderEnabled} onChange={(nextOrderEnabled) => change({ nextOrderEnabled })} />
            {draft.nextOrderEnabled ? (
              <InlineGrid columns={{ xs: 1, sm: 4 }} gap="300">
                <Select
                  label="Discount"
                  options={[
                    { label: "Percentage off", value: "percentage" },
                    { label: `Amount off (${currency})`, value: "fixed_amount" },
                  ]}
                  value={draft.nextOrderType}
                  onChange={(value) => change({ nextOrderType: value === "fixed_amount" ? "fixed_amount" : "percentage", nextOrderValue: "" })}
                />
                {field("nextOrderValue", draft.nextOrderType === "percentage" ? "Percentage" : "Amount", {
                  decimal: draft.nextOrderType !== "percentage",
                  ...(draft.nextOrderType === "percentage" ? { suffix: "%" } : { prefix: symbol }),
                })}
                {field("nextOrderDays", "Valid for", { suffix: "days" })}
                <Select
                  label="Shown in"
                  options={NEXT_ORDER_FLOWS.map((f) => ({ label: f.label, value: f.flow }))}
                  value={draft.nextOrderFlow}
                  onChange={(value) => change({ nextOrderFlow: value === "goes_with" ? "goes_with" : "thank_you" })}
                />
              </InlineGrid>
            ) : null}
          </SettingsSection>

          <SettingsSection
            title="Tiers"
            description="Members who spend more in 12 months move up a tier and earn faster. Moves up and down are emailed to members who said yes to your emails."
          >
            <Checkbox label="Turn tiers on" checked={draft.tiersEnabled} onChange={(tiersEnabled) => change({ tiersEnabled })} />
            {errors.tiers ? (
              <Text as="p" tone="critical">
                {errors.tiers}
              </Text>
            ) : null}
            {draft.tiersEnabled
              ? draft.tiers.map((tier, i) => (
                  <InlineGrid key={i} columns={{ xs: 1, sm: 5 }} gap="300" alignItems="end">
                    <TextField label="Tier" value={tier.name} onChange={(name) => setTier(i, { name })} error={errors[`tiers.${i}.name`]} autoComplete="off" />
                    {i === 0 ? (
                      <Text as="p" tone="subdued">
                        Every member starts here
                      </Text>
                    ) : (
                      <TextField
                        label="Spent in 12 months"
                        value={tier.threshold}
                        onChange={(threshold) => setTier(i, { threshold })}
                        inputMode="decimal"
                        prefix={symbol}
                        error={errors[`tiers.${i}.threshold`]}
                        autoComplete="off"
                      />
                    )}
                    <TextField
                      label="Points multiplier"
                      value={tier.multiplier}
                      onChange={(multiplier) => setTier(i, { multiplier })}
                      inputMode="decimal"
                      prefix="×"
                      error={errors[`tiers.${i}.multiplier`]}
                      autoComplete="off"
                    />
                    <TextField
                      label="Perks"
                      value={tier.perks}
                      onChange={(perks) => setTier(i, { perks })}
                      error={errors[`tiers.${i}.perks`]}
                      autoComplete="off"
                    />
                    <InlineStack align="end">
                      <Button
                        variant="plain"
                        tone="critical"
                        disabled={i === 0}
                        onClick={() => change({ tiers: draft.tiers.filter((_, j) => j !== i) })}
                        accessibilityLabel={`Remove tier ${i + 1}`}
                      >
                        Remove
                      </Button>
                    </InlineStack>
                  </InlineGrid>
                ))
              : null}
            {draft.tiersEnabled ? (
              <InlineStack>
                <Button onClick={addTier} disabled={draft.tiers.length >= LOYALTY_BOUNDS.tiers.max}>
                  Add a tier
                </Button>
              </InlineStack>
            ) : null}
          </SettingsSection>
        </Layout>
      </BlockStack>
    </Page>
  );
}
