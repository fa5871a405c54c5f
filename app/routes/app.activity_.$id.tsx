// One follow-up as it was sent: headers, status history, and the email itself in a sandbox.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { formatShopTime } from "~/format";
import { emailFlowName } from "~/modules/capabilities";
import { getMessage } from "~/modules/messaging/activity";
import { getShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";
import { STATUS_LABEL } from "~/components/message-status";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [message, shop] = await Promise.all([getMessage(session.shop, params.id ?? ""), getShop(session.shop)]);
  if (!message) throw new Response("Not found", { status: 404 });
  const zone = shop?.timezone ?? "UTC";
  return {
    flow: emailFlowName(message.flow),
    status: message.status,
    detail: message.detail,
    to: message.toAddress,
    subject: message.subject,
    html: message.html,
    text: message.text,
    attempts: message.attempts,
    lastError: message.lastError,
    due: formatShopTime(message.dueAt, zone),
    sent: message.sentAt ? formatShopTime(message.sentAt, zone) : null,
  };
};

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span">{value ?? "—"}</Text>
    </BlockStack>
  );
}

export default function MessageView() {
  const m = useLoaderData<typeof loader>();
  return (
    <Page
      title={m.subject ?? m.flow}
      backAction={{ url: "/app/activity" }}
      titleMetadata={<Badge tone={STATUS_LABEL[m.status]?.tone}>{STATUS_LABEL[m.status]?.label ?? m.status}</Badge>}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
              <Fact label="Flow" value={m.flow} />
              <Fact label="To" value={m.to} />
              <Fact label={m.sent ? "Sent" : "Due"} value={m.sent ?? m.due} />
              <Fact label="Attempts" value={String(m.attempts)} />
            </InlineGrid>
            {m.detail || m.lastError ? (
              <div style={{ marginTop: "var(--p-space-300)" }}>
                <Text as="p" tone="subdued">
                  {[m.detail, m.lastError && `Last error: ${m.lastError}`].filter(Boolean).join(" · ")}
                </Text>
              </div>
            ) : null}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {m.html ? (
              // sandbox="" : the email's HTML is shown, never run, and cannot reach the admin.
              <iframe title="The email as sent" sandbox="" srcDoc={m.html} style={{ width: "100%", height: 760, border: 0, display: "block" }} />
            ) : (
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="p" tone="subdued">
                  This message has not been written yet: it is composed when it is due.
                </Text>
              </div>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
