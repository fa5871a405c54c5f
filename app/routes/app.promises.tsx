// Promises: orders at risk of missing the delivery promise, promises broken and what was sent
// about each, apologies waiting for approval (POST intent=approve|decline with order_id and
// kind; another shop's order or one not waiting is 404), and the on-time rate by week.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Badge, BlockStack, Box, Button, InlineGrid, InlineStack, Page, Text } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { PeriodBarChart } from "~/components/charts";
import { FigureCard } from "~/components/figure-card";
import { SectionCard } from "~/components/section-card";
import { formatWeek } from "~/format";
import { now } from "~/modules/clock";
import { BREACH_KINDS, decideBreach, promisesPage, type Broken, type BreachKind } from "~/modules/promises";
import { singleField } from "~/edge/form-body";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Promises · Aftercare" }];
export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return promisesPage(session.shop, now());
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const form = await request.formData();
  const single = (name: string) => singleField(form, name);
  const intent = single("intent");
  if (intent !== "approve" && intent !== "decline") return Response.json({ error: "intent must be approve or decline" }, { status: 400 });
  const orderId = single("order_id");
  const kind = BREACH_KINDS.find((k) => k === single("kind"));
  if (!orderId || !kind) return Response.json({ error: "order_id and kind are required, once each" }, { status: 400 });
  const actor = sessionToken?.sub ? `staff ${sessionToken.sub}` : "the store";
  const decided = await decideBreach(session.shop, { orderId, kind }, intent === "approve", actor, now());
  if (decided !== "decided") return Response.json({ error: "No apology waiting for that order" }, { status: 404 });
  return Response.json({ decided: intent });
};

function Decision({ orderId, kind }: { orderId: string; kind: BreachKind }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const send = (intent: "approve" | "decline") => fetcher.submit({ intent, order_id: orderId, kind }, { method: "post" });
  return (
    <InlineStack gap="200" wrap={false}>
      <Button size="slim" variant="primary" loading={busy} onClick={() => send("approve")}>
        Send apology
      </Button>
      <Button size="slim" disabled={busy} onClick={() => send("decline")}>
        Don't send
      </Button>
    </InlineStack>
  );
}

const TONE = { success: "success", info: "info", warning: "attention", critical: "critical" } as const;

/** Rows that line up as columns on a wide screen and stack on a phone. */
function Rows({ headings, rows }: { headings: string[]; rows: { key: string; cells: ReactNode[] }[] }) {
  const columns = { xs: 1, md: headings.length } as const;
  return (
    <BlockStack gap="0">
      {/* Column headings only where the rows are columns (Polaris' md breakpoint). */}
      <style>{"@media (max-width: 47.9975em) { .promise-rows-head { display: none } }"}</style>
      <div className="promise-rows-head">
        <Box paddingBlockEnd="200" borderBlockEndWidth="025" borderColor="border">
          <InlineGrid columns={columns} gap="300">
            {headings.map((heading) => (
              <Text as="span" key={heading} tone="subdued" variant="bodySm">
                {heading}
              </Text>
            ))}
          </InlineGrid>
        </Box>
      </div>
      {rows.map((row) => (
        <Box key={row.key} paddingBlock="300" borderBlockEndWidth="025" borderColor="border-secondary">
          <InlineGrid columns={columns} gap="200" alignItems="center">
            {row.cells}
          </InlineGrid>
        </Box>
      ))}
    </BlockStack>
  );
}

function brokenCells(b: Broken): ReactNode[] {
  return [
    <Text as="span" fontWeight="semibold" key="order">
      {b.order}
    </Text>,
    <BlockStack gap="050" key="what">
      <Text as="span">{b.what}</Text>
      <Text as="span" tone="subdued" variant="bodySm">
        {b.when}
      </Text>
    </BlockStack>,
    <div key="sent">{b.decision === "awaiting" ? <Decision orderId={b.orderId} kind={b.kind} /> : <Badge tone={TONE[b.sent.tone]}>{b.sent.text}</Badge>}</div>,
    <Text as="span" key="goodwill" tone={b.goodwill ? undefined : "subdued"}>
      {b.goodwill ?? (b.decision === "awaiting" ? "Given with the apology" : "None")}
    </Text>,
  ];
}

const Empty = ({ children }: { children: ReactNode }) => (
  <Text as="p" tone="subdued">
    {children}
  </Text>
);

export default function PromisesPage() {
  const { figures, atRisk, broken, weeks, policy } = useLoaderData<typeof loader>();
  const promise = `Dispatch within ${policy.dispatchDays} working day${policy.dispatchDays === 1 ? "" : "s"}; ${policy.home} days in transit at home, ${policy.abroad} abroad. Apologies ${policy.apologies === "auto" ? "go out by themselves" : "wait for your approval"}${policy.goodwill ? `, with ${policy.goodwill}` : ", without a goodwill gesture"}.`;
  return (
    <Page title="Promises" subtitle={promise} secondaryActions={[{ content: "Promise settings", url: "/app/promises/settings" }]}>
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          <FigureCard
            title="On time, last 4 weeks"
            value={figures.onTimeRate === null ? "—" : `${figures.onTimeRate}%`}
            note={figures.settled > 0 ? `of ${figures.settled} settled orders` : "Appears once the first orders are delivered"}
          />
          <FigureCard title="At risk now" value={String(figures.atRisk)} note="Close to a promised date" />
          <FigureCard title="Broken" value={String(figures.broken)} note="Recently, with what was sent" />
          <FigureCard title="Waiting for you" value={String(figures.awaiting)} note="Apologies to approve" />
        </InlineGrid>
        <SectionCard title="On-time rate by week">
          <PeriodBarChart
            label="Share of each week's orders that kept their delivery promise"
            percent
            empty="Each week's bar appears once its orders are delivered, or break their promise."
            series={[{ name: "On time", data: weeks.map((w) => ({ key: formatWeek(w.week), value: w.rate })) }]}
          />
        </SectionCard>
        <SectionCard title="At risk">
          {atRisk.length === 0 ? (
            <Empty>No order is close to missing its promise. Orders show here a working day before their dispatch or delivery date.</Empty>
          ) : (
            <Rows
              headings={["Order", "What", "Promised"]}
              rows={atRisk.map((r) => ({
                key: r.orderId,
                cells: [
                  <Text as="span" fontWeight="semibold" key="order">
                    {r.order}
                  </Text>,
                  <Text as="span" key="risk">
                    {r.overdue ? `${r.risk} (past the date)` : r.risk}
                  </Text>,
                  <Text as="span" key="deadline">
                    {r.deadline}
                  </Text>,
                ],
              }))}
            />
          )}
        </SectionCard>
        <SectionCard title="Broken promises">
          {broken.length === 0 ? (
            <Empty>No promise broken yet. When one is, it shows here with the apology and any goodwill sent.</Empty>
          ) : (
            <Rows
              headings={["Order", "What broke", "Apology", "Goodwill"]}
              rows={broken.map((b) => ({ key: `${b.orderId}:${b.kind}`, cells: brokenCells(b) }))}
            />
          )}
        </SectionCard>
      </BlockStack>
    </Page>
  );
}
