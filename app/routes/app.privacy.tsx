import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Button, Card, DataTable, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { getShop } from "~/modules/shops";
import { listDataRequests } from "~/modules/shops/overview";
import { formatShopTime } from "~/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [shop, requests] = await Promise.all([getShop(session.shop), listDataRequests(session.shop)]);
  const zone = shop?.timezone ?? "UTC";
  return { requests: requests.map((r) => ({ ...r, receivedAt: formatShopTime(r.receivedAt, zone) })) };
};

/** Fetches the export with the embedded session (App Bridge adds the token) and saves it. */
async function download(id: string, customerId: string) {
  const response = await fetch(`/app/privacy/${id}`);
  if (!response.ok) return;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: `customer-${customerId}-data.json` });
  link.click();
  URL.revokeObjectURL(url);
}

export default function PrivacyRequests() {
  const { requests } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Privacy requests"
      subtitle="When a customer asks your store for their data, download what Aftercare holds about them and pass it on. Erasure requests are carried out automatically."
      backAction={{ url: "/app" }}
    >
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {requests.length === 0 ? (
              <EmptyState heading="No data requests" image="">
                <p>When a customer asks for their data, Shopify tells us and the export appears here for you to send on.</p>
              </EmptyState>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["Received", "Customer", "Request", ""]}
                rows={requests.map((r) => [
                  r.receivedAt,
                  <Text as="span" key="c">
                    {`Customer ${r.customerId}`}
                  </Text>,
                  r.requestId ?? "",
                  <Button key="d" onClick={() => download(r.id, r.customerId)}>
                    Download export
                  </Button>,
                ])}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
