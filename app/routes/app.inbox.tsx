// The inbox: every conversation a person at the store should have, by state (open: the store
// owes an answer; replied: waiting for the customer; resolved), the latest activity first, with
// how long customers waited for a first answer this month.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, EmptyState, InlineGrid, InlineStack, Link, Page, Tabs, Text } from "@shopify/polaris";
import { FigureCard } from "~/components/figure-card";
import { formatShopTime, formatWait } from "~/format";
import { now } from "~/modules/clock";
import { listConversations } from "~/modules/inbox";
import { CASE_KINDS, CASE_STATUSES, type CaseStatus } from "~/modules/inbox/limits";
import { awaitingApologies } from "~/modules/promises";
import { getShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Inbox · Aftercare" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const wanted = new URL(request.url).searchParams.get("status") ?? "open";
  const status = wanted === "all" ? null : (CASE_STATUSES.find((s) => s === wanted) ?? "open");
  const [inbox, shop, apologies] = await Promise.all([listConversations(session.shop, status, now()), getShop(session.shop), awaitingApologies(session.shop)]);
  const zone = shop?.timezone ?? "UTC";
  return {
    status: status ?? "all",
    apologies,
    figures: inbox.figures,
    conversations: inbox.conversations.map((c) => ({
      id: c.id,
      kind: CASE_KINDS[c.kind] ?? c.kind,
      status: c.status,
      summary: c.summary,
      who: c.customer ? [c.customer.firstName, c.customer.lastName].filter(Boolean).join(" ") || c.customer.email || "A customer" : "A customer",
      when: formatShopTime(c.lastMessageAt ?? c.createdAt, zone),
    })),
  };
};

const TABS: { id: CaseStatus | "all"; content: string }[] = [
  { id: "open", content: "Open" },
  { id: "replied", content: "Replied" },
  { id: "resolved", content: "Resolved" },
  { id: "all", content: "All" },
];
const STATUS_TONE = { open: "attention", replied: "info", resolved: "success" } as const;
const EMPTY: Record<string, string> = {
  open: "Nothing waiting for you. Delivery problems, low ratings and unhappy scores open a conversation here.",
  replied: "No conversation is waiting for a customer's answer.",
  resolved: "No resolved conversations yet.",
  all: "No conversations yet. Delivery problems, low ratings and unhappy scores open one here.",
};

export default function Inbox() {
  const { status, figures, conversations, apologies } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const selected = TABS.findIndex((t) => t.id === status);
  return (
    <Page title="Inbox" subtitle="Customers who should hear from a person: reply here, they answer back by email link">
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          <FigureCard title="Open" value={String(figures.open)} note="Waiting for your answer" />
          <FigureCard title="Replied" value={String(figures.replied)} note="Waiting for the customer" />
          <FigureCard
            title="First response"
            value={figures.medianFirstResponseMs === null ? "—" : formatWait(figures.medianFirstResponseMs)}
            note={figures.answeredThisMonth > 0 ? `Median of ${figures.answeredThisMonth} in the last 30 days` : "Measured from your first reply"}
          />
          <FigureCard title="Resolved" value={String(figures.resolved)} note="All time" />
        </InlineGrid>
        {apologies.length > 0 ? (
          <Banner
            tone="warning"
            title={`${apologies.length} apolog${apologies.length === 1 ? "y" : "ies"} for broken delivery promises waiting for you`}
            action={{ content: "Review on the Promises page", url: "/app/promises" }}
          >
            <p>{apologies.map((a) => `${a.order}: ${a.what.toLowerCase()}`).join(" · ")}</p>
          </Banner>
        ) : null}
        <Card padding="0">
          <Tabs tabs={TABS} selected={selected} onSelect={(i) => setSearchParams({ status: TABS[i]!.id })}>
            {conversations.length === 0 ? (
              <EmptyState heading={status === "open" ? "All caught up" : "Nothing here"} image="">
                <p>{EMPTY[status]}</p>
              </EmptyState>
            ) : (
              <BlockStack gap="0">
                {conversations.map((c) => (
                  <div key={c.id} style={{ padding: "var(--p-space-300) var(--p-space-400)", borderTop: "1px solid var(--p-color-border-secondary)" }}>
                    <BlockStack gap="100">
                      <InlineStack gap="200" blockAlign="center" wrap>
                        <Link url={`/app/inbox/${c.id}`} removeUnderline>
                          <Text as="span" fontWeight="semibold">
                            {c.who}
                          </Text>
                        </Link>
                        <Badge>{c.kind}</Badge>
                        <Badge tone={STATUS_TONE[c.status as CaseStatus]}>
                          {c.status === "open" ? "Open" : c.status === "replied" ? "Replied" : "Resolved"}
                        </Badge>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {c.when}
                        </Text>
                      </InlineStack>
                      <Text as="p" truncate>
                        {c.summary}
                      </Text>
                    </BlockStack>
                  </div>
                ))}
              </BlockStack>
            )}
          </Tabs>
        </Card>
      </BlockStack>
    </Page>
  );
}
