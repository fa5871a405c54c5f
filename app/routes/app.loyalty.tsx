// Loyalty: the points program. Off until the merchant launches it (POST intent=launch), paused
// with intent=pause (earning stops, balances are kept and can still be spent). Shows how
// customers earn, the rewards, what the points outstanding are worth, and the top members.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, DataTable, EmptyState, InlineGrid, Layout, Link, Page, Text } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { useOptionalAppBridge } from "~/components/app-bridge";
import { FigureCard } from "~/components/figure-card";
import { currencyDigits, formatMoney } from "~/format";
import { loyaltyAdminPage, setProgramStatus, type ProgramStatus } from "~/modules/loyalty";
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

const STATUS: Record<ProgramStatus, { badge: JSX.Element; text: string }> = {
  off: { badge: <Badge>Not launched</Badge>, text: "Customers earn nothing yet. Launch the program to start with the defaults below." },
  live: { badge: <Badge tone="success">Live</Badge>, text: "Customers earn points on every paid order and can redeem them for the rewards below." },
  paused: { badge: <Badge tone="warning">Paused</Badge>, text: "No new points are earned. Customers keep their balances and can still redeem them." },
};

const points = (n: number) => `${n.toLocaleString("en")} point${n === 1 ? "" : "s"}`;

export default function Loyalty() {
  const page = useLoaderData<typeof loader>();
  const { settings, currency } = page;
  const fetcher = useFetcher<{ status: ProgramStatus }>();
  const shopify = useOptionalAppBridge();
  const answered = useRef<unknown>(null);
  useEffect(() => {
    if (!fetcher.data || answered.current === fetcher.data) return;
    answered.current = fetcher.data;
    shopify?.toast.show(fetcher.data.status === "live" ? "Loyalty program launched" : "Loyalty program paused");
  }, [fetcher.data, shopify]);
  const status = settings.status;
  const busy = fetcher.state !== "idle";
  const submit = (intent: "launch" | "pause") => fetcher.submit({ intent }, { method: "post" });
  const primaryAction =
    status === "live" ? undefined : { content: status === "off" ? "Launch program" : "Resume program", loading: busy, onAction: () => submit("launch") };
  const secondaryActions = status === "live" ? [{ content: "Pause program", loading: busy, onAction: () => submit("pause") }] : [];
  const counted = ["the subtotal after discounts", settings.includeShipping ? "shipping" : null, settings.includeTax ? "tax" : null].filter(Boolean).join(", ");
  const earning = [
    `${points(settings.pointsPerUnit)} for every ${formatMoney(10 ** currencyDigits(currency), currency)} spent, counting ${counted}.`,
    `Points are pending until ${settings.approveAfterDeliveryDays} days after delivery (${settings.approveAfterFulfillmentDays} days after shipping when no delivery event comes).`,
    "A cancellation removes pending points; a refund takes back its share of the order's points.",
  ];
  return (
    <Page
      title="Loyalty"
      titleMetadata={STATUS[status].badge}
      subtitle="Points for every order, rewards in your store's own discounts"
      backAction={{ url: "/app" }}
      primaryAction={primaryAction}
      secondaryActions={secondaryActions}
    >
      <Layout>
        <Layout.Section>
          <Banner tone={status === "live" ? "success" : status === "paused" ? "warning" : "info"}>{STATUS[status].text}</Banner>
        </Layout.Section>
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
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                How customers earn
              </Text>
              {earning.map((line) => (
                <Text as="p" key={line}>
                  {line}
                </Text>
              ))}
            </BlockStack>
          </Card>
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
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={["Customer", "Balance", "Pending"]}
                rows={page.top.map((m) => [
                  <Link key={m.customerId} url={`/app/loyalty/${m.customerId}`} removeUnderline>
                    {m.name}
                  </Link>,
                  m.balance.toLocaleString("en"),
                  m.pending.toLocaleString("en"),
                ])}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
