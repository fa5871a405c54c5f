// Loyalty: the points program. Off until the merchant launches it (POST intent=launch), paused
// with intent=pause (earning stops, balances are kept and can still be spent). Shows how
// customers earn, the rewards, what the points outstanding are worth, and the top members.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, EmptyState, InlineGrid, Layout, Link, Text } from "@shopify/polaris";
import { FigureCard } from "~/components/figure-card";
import { ProgramPage, RulesCard, type ProgramState } from "~/components/program-switch";
import { currencyDigits, formatMoney } from "~/format";
import { loyaltyAdminPage, setProgramStatus } from "~/modules/loyalty";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Loyalty · Aftercare" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loyaltyAdminPage(session.shop);
};

const INTENTS = { launch: "live", pause: "paused" } as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const intents = (await request.formData()).getAll("intent");
  const intent = intents.length === 1 ? String(intents[0]) : "";
  if (!(intent in INTENTS)) return Response.json({ error: "intent must be launch or pause" }, { status: 400 });
  const settings = await setProgramStatus(session.shop, INTENTS[intent as keyof typeof INTENTS]);
  return Response.json({ status: settings.status });
};

const SAYS: Record<ProgramState, string> = {
  off: "Customers earn nothing yet. Launch the program to start with the defaults below.",
  live: "Customers earn points on every paid order and can redeem them for the rewards below.",
  paused: "No new points are earned. Customers keep their balances and can still redeem them.",
};

const points = (n: number) => `${n.toLocaleString("en")} point${n === 1 ? "" : "s"}`;

export default function Loyalty() {
  const page = useLoaderData<typeof loader>();
  const { settings, currency } = page;
  const status = settings.status;
  const counted = ["the subtotal after discounts", settings.includeShipping ? "shipping" : null, settings.includeTax ? "tax" : null].filter(Boolean).join(", ");
  const earning = [
    `${points(settings.pointsPerUnit)} for every ${formatMoney(10 ** currencyDigits(currency), currency)} spent, counting ${counted}.`,
    `Points are pending until ${settings.approveAfterDeliveryDays} days after delivery (${settings.approveAfterFulfillmentDays} days after shipping when no delivery event comes).`,
    "A cancellation removes pending points; a refund takes back its share of the order's points.",
    ...(settings.tiers.enabled
      ? [
          `Tiers by spend in 12 months: ${settings.tiers.list
            .map((t, i) => `${t.name} ${i === 0 ? "from the first order" : `from ${formatMoney(t.threshold, currency)}`} (×${t.multiplier / 100})`)
            .join(", ")}.`,
        ]
      : []),
  ];
  const tiers = settings.tiers.enabled;
  return (
    <ProgramPage
      title="Loyalty"
      subtitle="Points for every order, rewards in your store's own discounts"
      status={status}
      says={SAYS}
      settingsUrl="/app/loyalty/settings"
    >
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          <FigureCard
            title="Points outstanding"
            value={points(page.outstanding)}
            note={
              page.liabilityMinor === null
                ? "No fixed-value reward to price them at"
                : `Worth ${formatMoney(page.liabilityMinor, currency)} at your best reward`
            }
          />
          <FigureCard title="Pending" value={points(page.pending)} note="Approved once each order's return window has passed" />
          <FigureCard
            title="Members"
            value={page.members.toLocaleString("en")}
            note={page.owed > 0 ? `${points(page.owed)} owed after refunds of spent points` : "Customers who have earned points"}
          />
        </InlineGrid>
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <RulesCard heading="How customers earn" lines={earning} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Rewards
            </Text>
            {page.rewards.map((reward) => (
              <Text as="p" key={reward.id}>
                <Text as="span" fontWeight="semibold">
                  {reward.name}
                </Text>{" "}
                for {points(reward.points)}: a one-use code for that customer
              </Text>
            ))}
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <Card padding="0">
          {page.top.length === 0 ? (
            <EmptyState heading="No members yet" image="">
              <p>
                {status === "off"
                  ? "Once you launch the program, customers who order appear here with their points."
                  : "Customers appear here with their points after their first paid order."}
              </p>
            </EmptyState>
          ) : (
            <DataTable
              columnContentTypes={tiers ? ["text", "text", "numeric", "numeric"] : ["text", "numeric", "numeric"]}
              headings={tiers ? ["Customer", "Tier", "Balance", "Pending"] : ["Customer", "Balance", "Pending"]}
              rows={page.top.map((m) => [
                <Link key={m.customerId} url={`/app/loyalty/${m.customerId}`} removeUnderline>
                  {m.name}
                </Link>,
                ...(tiers ? [m.tier ?? ""] : []),
                m.balance.toLocaleString("en"),
                m.pending.toLocaleString("en"),
              ])}
            />
          )}
        </Card>
      </Layout.Section>
    </ProgramPage>
  );
}
