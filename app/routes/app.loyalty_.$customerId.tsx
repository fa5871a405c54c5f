// One member of the loyalty program: balance, pending points, the ledger (newest 100 entries),
// and a manual adjustment (POST points, reason: both required), recorded with the staff member
// who made it. Another shop's customer, or one the program does not know, is a 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, FormLayout, InlineGrid, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useOptionalAppBridge } from "~/components/app-bridge";
import { FigureCard } from "~/components/figure-card";
import { formatShopTime } from "~/format";
import { now } from "~/modules/clock";
import { adjustPoints, customerLedger, type AdjustmentResult } from "~/modules/loyalty";
import { getShop } from "~/modules/shops";
import { singleField } from "~/edge/form-body";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Loyalty member · Aftercare" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [ledger, shop] = await Promise.all([customerLedger(session.shop, params.customerId ?? ""), getShop(session.shop)]);
  if (!ledger) throw new Response("Not found", { status: 404 });
  const zone = shop?.timezone ?? "UTC";
  return { ...ledger, entries: ledger.entries.map((entry) => ({ ...entry, createdAt: formatShopTime(entry.createdAt, zone) })) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const form = await request.formData();
  const single = (name: string) => singleField(form, name);
  const actor = sessionToken?.sub ? `staff ${sessionToken.sub}` : "the store";
  const result = await adjustPoints(session.shop, params.customerId ?? "", { points: single("points"), reason: single("reason") }, actor, now());
  if (!result) return Response.json({ error: "Not found" }, { status: 404 });
  return Response.json(result, { status: result.adjusted ? 200 : 400 });
};

const KIND: Record<string, string> = {
  earn: "Earned (pending)",
  approve: "Approved",
  void: "Voided",
  reverse: "Taken back",
  redeem: "Redeemed",
  return: "Returned",
  expire: "Expired",
  adjust: "Adjusted",
  bonus: "Bonus",
  tier: "Tier",
};

const signed = (n: number) => (n === 0 ? "" : `${n > 0 ? "+" : ""}${n.toLocaleString("en")}`);

export default function LoyaltyMember() {
  const member = useLoaderData<typeof loader>();
  const fetcher = useFetcher<AdjustmentResult>();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const errors = fetcher.state === "idle" && fetcher.data && !fetcher.data.adjusted ? fetcher.data.errors : {};
  const shopify = useOptionalAppBridge();
  // Once per saved adjustment: the form empties for the next one, and a toast inside Shopify admin.
  const answered = useRef<unknown>(null);
  useEffect(() => {
    if (!fetcher.data?.adjusted || answered.current === fetcher.data) return;
    answered.current = fetcher.data;
    setPoints("");
    setReason("");
    shopify?.toast.show("Points adjusted");
  }, [fetcher.data, shopify]);
  const submit = () => fetcher.submit({ points, reason }, { method: "post" });
  return (
    <Page title={member.name} titleMetadata={member.balance < 0 ? <Badge tone="warning">Owes points</Badge> : undefined} backAction={{ url: "/app/loyalty" }}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <FigureCard title="Balance" value={`${member.balance.toLocaleString("en")} points`} />
            <FigureCard title="Pending" value={`${member.pending.toLocaleString("en")} points`} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Adjust points
              </Text>
              <FormLayout>
                <FormLayout.Group>
                  <TextField
                    label="Points"
                    type="number"
                    value={points}
                    onChange={setPoints}
                    error={errors.points}
                    helpText="Negative to take points away"
                    autoComplete="off"
                  />
                  <TextField label="Reason" value={reason} onChange={setReason} error={errors.reason} maxLength={200} autoComplete="off" />
                </FormLayout.Group>
                <Button variant="primary" onClick={submit} loading={fetcher.state !== "idle"}>
                  Adjust
                </Button>
              </FormLayout>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <DataTable
              columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
              headings={["When", "What", "Why", "Pending", "Balance"]}
              rows={member.entries.map((e) => [
                e.createdAt,
                KIND[e.kind] ?? e.kind,
                e.actor ? `${e.reason} (by ${e.actor})` : e.reason,
                signed(e.pendingDelta),
                signed(e.balanceDelta),
              ])}
            />
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
