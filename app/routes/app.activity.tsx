// Activity: every email (follow-ups, review rewards), sent or waiting, with why it was held back; open one to see it
// exactly as it was sent.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, DataTable, EmptyState, InlineStack, Layout, Link, Page, Pagination, Text } from "@shopify/polaris";
import { formatShopTime } from "~/format";
import { emailFlowName, emailFlows, isEmailFlow } from "~/modules/capabilities";
import { countOpenConversations } from "~/modules/inbox";
import { ACTIVITY_PAGE_SIZE, listMessages } from "~/modules/messaging/activity";
import { getShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";
import { MESSAGE_STATUSES, STATUS_LABEL } from "~/components/message-status";
import { FilterSelect, useListNavigation } from "~/components/list-navigation";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = new URL(request.url).searchParams;
  const flow = query.get("flow");
  const status = query.get("status");
  const [shop, list, waiting] = await Promise.all([
    getShop(session.shop),
    listMessages(session.shop, {
      flow: flow && isEmailFlow(flow) ? flow : null,
      status: status && (MESSAGE_STATUSES as readonly string[]).includes(status) ? status : null,
      page: Number(query.get("page") ?? 1) || 1,
    }),
    countOpenConversations(session.shop),
  ]);
  const zone = shop?.timezone ?? "UTC";
  return {
    ...list,
    flows: emailFlows(),
    pages: Math.max(1, Math.ceil(list.total / ACTIVITY_PAGE_SIZE)),
    rows: list.rows.map((row) => ({
      ...row,
      flowName: emailFlowName(row.flow),
      when: formatShopTime(row.sentAt ?? row.dueAt, zone),
    })),
    waiting,
  };
};

type Row = { id: string; subject: string | null; detail: string | null };

function MessageSubject({ row }: { row: Row }) {
  return row.subject ? (
    <Link url={`/app/activity/${row.id}`} removeUnderline>
      {row.subject}
    </Link>
  ) : (
    <Text as="span" tone="subdued">
      {row.detail ?? "Not written yet"}
    </Text>
  );
}

function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_LABEL[status]?.tone}>{STATUS_LABEL[status]?.label ?? status}</Badge>;
}

export default function Activity() {
  const { rows, total, page, pages, waiting, flows } = useLoaderData<typeof loader>();
  const { goTo } = useListNavigation();
  const heldInOutbox = rows.some((row) => row.status === "outbox");
  return (
    <Page title="Activity" subtitle="Every email to your customers: sent, waiting, or held back and why" backAction={{ url: "/app" }}>
      <Layout>
        {heldInOutbox ? (
          <Layout.Section>
            <Banner tone="info" title="No mail server is set up">
              Follow-ups are written and kept here instead of being sent. Whoever runs the app sets SMTP_URL to send them.
            </Banner>
          </Layout.Section>
        ) : null}
        {waiting > 0 ? (
          <Layout.Section>
            <Banner
              tone="warning"
              title={`${waiting} conversation${waiting === 1 ? "" : "s"} waiting for a personal reply`}
              action={{ content: "Open the inbox", url: "/app/inbox" }}
            >
              Delivery problems, low ratings and unhappy scores wait in the inbox, where you reply and the customer answers back.
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <div style={{ padding: "var(--p-space-400)" }}>
              <InlineStack gap="400" align="space-between" blockAlign="end">
                <InlineStack gap="300">
                  <FilterSelect
                    name="flow"
                    label="Flow"
                    options={[{ label: "All emails", value: "" }, ...flows.map((f) => ({ label: f.name, value: f.id }))]}
                  />
                  <FilterSelect
                    name="status"
                    label="Status"
                    options={[{ label: "Any status", value: "" }, ...MESSAGE_STATUSES.map((s) => ({ label: STATUS_LABEL[s]!.label, value: s }))]}
                  />
                </InlineStack>
                <Text as="p" tone="subdued">
                  {total.toLocaleString("en")} {total === 1 ? "message" : "messages"}
                </Text>
              </InlineStack>
            </div>
            {rows.length === 0 ? (
              <EmptyState heading="No follow-ups yet" image="">
                <p>When orders are paid and shipped, their thank-yous, check-ins, review requests and surveys appear here.</p>
              </EmptyState>
            ) : (
              <>
                {/* A table on wide screens; on a phone, each message as a stacked row. */}
                <style>
                  {
                    ".activity-wide{display:block}.activity-narrow{display:none}@media (max-width:48em){.activity-wide{display:none}.activity-narrow{display:block}}"
                  }
                </style>
                <div className="activity-wide">
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text", "text"]}
                    headings={["When", "Flow", "To", "Subject", "Status"]}
                    rows={rows.map((row) => [
                      row.when,
                      <BlockStack key="f" gap="0">
                        <Text as="span">{row.flowName}</Text>
                        {row.orderName ? (
                          <Text as="span" tone="subdued" variant="bodySm">
                            {row.orderName}
                          </Text>
                        ) : null}
                      </BlockStack>,
                      row.to ?? "—",
                      <MessageSubject key="s" row={row} />,
                      <BlockStack key="st" gap="050">
                        <span>
                          <StatusBadge status={row.status} />
                        </span>
                        {row.detail && row.subject ? (
                          <Text as="span" tone="subdued" variant="bodySm">
                            {row.detail}
                          </Text>
                        ) : null}
                      </BlockStack>,
                    ])}
                  />
                </div>
                <div className="activity-narrow">
                  {rows.map((row) => (
                    <div key={row.id} style={{ padding: "var(--p-space-300) var(--p-space-400)", borderTop: "1px solid var(--p-color-border-secondary)" }}>
                      <BlockStack gap="100">
                        <InlineStack align="space-between" blockAlign="center" gap="200">
                          <Text as="span" fontWeight="medium">
                            {row.flowName}
                            {row.orderName ? ` · ${row.orderName}` : ""}
                          </Text>
                          <StatusBadge status={row.status} />
                        </InlineStack>
                        <MessageSubject row={row} />
                        <Text as="span" tone="subdued" variant="bodySm">
                          {[row.when, row.to, row.subject ? row.detail : null].filter(Boolean).join(" · ")}
                        </Text>
                      </BlockStack>
                    </div>
                  ))}
                </div>
              </>
            )}
            {pages > 1 ? (
              <div style={{ padding: "var(--p-space-300)", display: "flex", justifyContent: "center" }}>
                <Pagination
                  hasPrevious={page > 1}
                  onPrevious={() => goTo(page - 1)}
                  hasNext={page < pages}
                  onNext={() => goTo(page + 1)}
                  label={`${page} of ${pages}`}
                />
              </div>
            ) : null}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
