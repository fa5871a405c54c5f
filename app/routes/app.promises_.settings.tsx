// Promise settings: the delivery promise the store makes (dispatch within N working days, its
// working week and holidays, days in transit at home, abroad and by country), when an order
// counts as at risk, and what a broken promise brings the customer. Saved as JSON; refused
// fields are marked. (`promises_`: its own page, not nested in the Promises page.)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Checkbox, ChoiceList, InlineGrid, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { fieldMaker, revalidateOnSave, SettingsSection, useSettingsForm } from "~/components/settings-section";
import { settingsSave } from "~/edge/settings-save";
import { currencySymbol } from "~/format";
import { promiseSettingsPage, savePromiseSettingsForm } from "~/modules/promises";
import { GOODWILL_KINDS, WEEKDAYS, type PromiseSettingsForm } from "~/modules/promises/settings-form";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Promise settings · Aftercare" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await promiseSettingsPage(session.shop);
  return { ...page, symbol: currencySymbol(page.currency) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return settingsSave(request, (input) => savePromiseSettingsForm(session.shop, input));
};

export const shouldRevalidate = revalidateOnSave;

const GOODWILL_UNIT: Record<PromiseSettingsForm["goodwillKind"], { label: string; suffix?: string; money?: boolean; example: string }> = {
  none: { label: "", example: "" },
  points: { label: "Points", suffix: "points", example: "200" },
  amount_off: { label: "Amount off", money: true, example: "5.00" },
  percent_off: { label: "Percent off", suffix: "%", example: "10" },
  store_credit: { label: "Store credit", money: true, example: "5.00" },
};

export default function PromiseSettingsPage() {
  const { form, currency, symbol, country, timezone } = useLoaderData<typeof loader>();
  const { draft, change, errors, banner, primaryAction, secondaryActions } = useSettingsForm(form, "Promise settings saved");
  const field = fieldMaker(draft, change, errors);
  const unit = GOODWILL_UNIT[draft.goodwillKind];
  const toggleDay = (day: number, on: boolean) => change({ workingDays: on ? [...draft.workingDays, day].sort() : draft.workingDays.filter((d) => d !== day) });

  return (
    <Page title="Promise settings" backAction={{ url: "/app/promises" }} primaryAction={primaryAction} secondaryActions={secondaryActions}>
      <BlockStack gap="400">
        {banner}
        <Layout>
          <SettingsSection
            title="Dispatch"
            description={`Orders leave within this many working days of payment, counted in your time zone (${timezone}). Paid on Monday with 2 days: dispatched by the end of Wednesday.`}
          >
            <BlockStack gap="300">
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                {field("dispatchDays", "Dispatch within", { suffix: "working days" })}
                {field("leadDays", "Show as at risk", { suffix: "days before", helpText: "Working days before a dispatch date; days before a delivery date." })}
              </InlineGrid>
              <BlockStack gap="100">
                <Text as="p">Working days</Text>
                <InlineStack gap="300">
                  {WEEKDAYS.map((w) => (
                    <Checkbox key={w.day} label={w.label} checked={draft.workingDays.includes(w.day)} onChange={(on) => toggleDay(w.day, on)} />
                  ))}
                </InlineStack>
                {errors.workingDays ? (
                  <Text as="p" tone="critical">
                    {errors.workingDays}
                  </Text>
                ) : null}
              </BlockStack>
              <TextField
                label="Public holidays"
                value={draft.holidays}
                onChange={(holidays) => change({ holidays })}
                multiline={3}
                placeholder={"2026-12-25\n2027-01-01"}
                helpText="One date per line (YYYY-MM-DD): no dispatch on these days."
                error={errors.holidays}
                autoComplete="off"
              />
            </BlockStack>
          </SettingsSection>
          <SettingsSection
            title="Delivery"
            description="Days in transit after dispatch, as your carriers quote them. The expected delivery date is never earlier than promised at checkout."
          >
            <BlockStack gap="300">
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                {field("homeDays", country ? `At home (${country})` : "At home", { suffix: "days" })}
                {field("abroadDays", "Abroad", { suffix: "days" })}
              </InlineGrid>
              <TextField
                label="Other countries"
                value={draft.countries}
                onChange={(countries) => change({ countries })}
                multiline={3}
                placeholder={"CA 7\nGB 9"}
                helpText="One per line: the two-letter country code and its days in transit."
                error={errors.countries}
                autoComplete="off"
              />
            </BlockStack>
          </SettingsSection>
          <SettingsSection
            title="When a promise breaks"
            description="The customer gets an honest apology with the new expected date, once per order and breach, never once the order turned out fine or was cancelled."
          >
            <BlockStack gap="300">
              <ChoiceList
                title="Apologies"
                choices={[
                  { label: "Send them automatically", value: "auto" },
                  { label: "Ask me first: they wait on the Promises page", value: "ask" },
                ]}
                selected={[draft.apologies]}
                onChange={([apologies]) => change({ apologies: apologies as PromiseSettingsForm["apologies"] })}
                error={errors.apologies}
              />
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                <Select
                  label="Goodwill gesture"
                  options={GOODWILL_KINDS.map((k) => ({ label: k.label, value: k.kind }))}
                  value={draft.goodwillKind}
                  onChange={(kind) =>
                    change({
                      goodwillKind: kind as PromiseSettingsForm["goodwillKind"],
                      goodwillValue: GOODWILL_UNIT[kind as PromiseSettingsForm["goodwillKind"]].example,
                    })
                  }
                  helpText="Given once per order, with the apology."
                  error={errors.goodwillKind}
                />
                {draft.goodwillKind === "none"
                  ? null
                  : field("goodwillValue", unit.money ? `${unit.label} (${currency})` : unit.label, {
                      suffix: unit.suffix,
                      prefix: unit.money ? symbol : undefined,
                      decimal: unit.money,
                    })}
              </InlineGrid>
            </BlockStack>
          </SettingsSection>
        </Layout>
      </BlockStack>
    </Page>
  );
}
