import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, EmptyState, InlineGrid, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { shopOverview } from "~/modules/shops/overview";
import { formatShopTime } from "~/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const overview = await shopOverview(session.shop);
  const zone = overview.shop.timezone ?? "UTC";
  return {
    ...overview,
    shop: {
      ...overview.shop,
      installedAt: overview.shop.installedAt && formatShopTime(overview.shop.installedAt, zone, "date"),
    },
    // When it happened at Shopify (X-Shopify-Triggered-At); a retry arrives later but happened then.
    recent: overview.recent.map(({ triggeredAt, receivedAt, ...d }) => ({ ...d, at: formatShopTime(triggeredAt ?? receivedAt, zone) })),
  };
};

const OUTCOME_TONE = { processed: "success", pending: "info", skipped: "attention", failed: "critical" } as const;

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value.toLocaleString("en")}
        </Text>
      </BlockStack>
    </Card>
  );
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** What needs the merchant today, each a link to where it is done; nothing when all is answered. */
function WaitingForYou({ waiting }: { waiting: { reviews: number; questions: number; cases: number } }) {
  const items = [
    waiting.reviews > 0 && { url: "/app/reviews?status=pending", label: `${plural(waiting.reviews, "review", "reviews")} to read before they go live` },
    waiting.questions > 0 && { url: "/app/questions?show=waiting", label: `${plural(waiting.questions, "question", "questions")} from shoppers to answer` },
    waiting.cases > 0 && { url: "/app/inbox", label: `${plural(waiting.cases, "customer", "customers")} waiting for a personal reply` },
  ].filter((item): item is { url: string; label: string } => Boolean(item));
  if (items.length === 0) return null;
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Waiting for you
          </Text>
          {items.map((item) => (
            <Link key={item.url} url={item.url}>
              {item.label}
            </Link>
          ))}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

export default function Home() {
  const { shop, counts, recent, waiting } = useLoaderData<typeof loader>();
  const installed = !shop.uninstalledAt;
  return (
    <Page title="Aftercare" subtitle="Follow-ups, reviews and loyalty after every order">
      <Layout>
        <WaitingForYou waiting={waiting} />
        <Layout.Section>
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  {shop.name}
                </Text>
                <Text as="p" tone="subdued">
                  {shop.domain}
                  {shop.currency ? ` · ${shop.currency}` : ""}
                  {shop.timezone ? ` · ${shop.timezone}` : ""}
                </Text>
              </BlockStack>
              <Badge tone={installed ? "success" : "critical"}>
                {installed ? (shop.installedAt ? `Installed ${shop.installedAt}` : "Installed") : "Uninstalled"}
              </Badge>
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Stat label="Customers" value={counts.customers} />
            <Stat label="Orders" value={counts.orders} />
            <Stat label="Fulfillments" value={counts.fulfillments} />
            <Stat label="Refunds" value={counts.refunds} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <InlineStack align="space-between">
                  <Text as="h2" variant="headingMd">
                    Latest webhook deliveries
                  </Text>
                  <Text as="p" tone="subdued">
                    {[
                      `${counts.deliveries.toLocaleString("en")} received`,
                      counts.pending > 0 && `${counts.pending.toLocaleString("en")} waiting for the worker`,
                      counts.skipped > 0 && `${counts.skipped.toLocaleString("en")} skipped`,
                      counts.failed > 0 && `${counts.failed.toLocaleString("en")} failed`,
                    ]
                      .filter(Boolean)
                      .join(", ")}
                  </Text>
                </InlineStack>
              </div>
              {recent.length === 0 ? (
                <EmptyState heading="Waiting for the first order" image="">
                  <p>Orders, fulfillments and refunds appear here as soon as Shopify sends them.</p>
                </EmptyState>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["Topic", "Time", "Outcome", "Detail"]}
                  rows={recent.map((d) => [
                    <Text as="span" fontWeight="medium" key="t">
                      {d.topic}
                    </Text>,
                    d.at,
                    <Badge key="o" tone={OUTCOME_TONE[d.outcome as keyof typeof OUTCOME_TONE]}>
                      {d.outcome}
                    </Badge>,
                    d.detail ?? "",
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
