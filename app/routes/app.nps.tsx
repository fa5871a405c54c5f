// NPS: the score of the last 90 days and by week, the promoter / passive / detractor split by
// week, the score of first and repeat customers and by product type, and the latest comments
// with the deeper survey's answers; each detractor's links to its conversation in the inbox.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, InlineGrid, InlineStack, Link, Page, Text } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { PeriodBarChart, PeriodLineChart } from "~/components/charts";
import { FigureCard } from "~/components/figure-card";
import { SectionCard } from "~/components/section-card";
import { formatWeek } from "~/format";
import { now } from "~/modules/clock";
import { npsPage } from "~/modules/feedback/nps";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "NPS · Aftercare" }];
export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  return npsPage(session.shop, now(), admin.graphql);
};

const BAND = {
  promoters: { tone: "success", label: "Promoter" },
  passives: { tone: "info", label: "Passive" },
  detractors: { tone: "critical", label: "Detractor" },
} as const;
const signed = (nps: number | null) => (nps === null ? "—" : nps > 0 ? `+${nps}` : String(nps));
const share = (part: number, total: number) => (total === 0 ? "—" : `${Math.round((100 * part) / total)}%`);

function Segments({ rows, empty }: { rows: { name: string; responses: number; nps: number | null }[]; empty: string }) {
  if (rows.length === 0 || rows.every((r) => r.responses === 0))
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  return (
    <BlockStack gap="200">
      {rows.map((r) => (
        <InlineStack key={r.name} align="space-between" blockAlign="center">
          <Text as="span">{r.name}</Text>
          <Text as="span" tone="subdued">
            {`${signed(r.nps)} · ${r.responses} answer${r.responses === 1 ? "" : "s"}`}
          </Text>
        </InlineStack>
      ))}
    </BlockStack>
  );
}

export default function NpsPage() {
  const { nps, responses, split, weeks, segments, comments } = useLoaderData<typeof loader>();
  const none = (week: (typeof weeks)[number]) => week.promoters + week.passives + week.detractors === 0;
  const bar = (key: "promoters" | "passives" | "detractors") => weeks.map((w) => ({ key: formatWeek(w.week), value: none(w) ? null : w[key] }));
  return (
    <Page title="NPS" subtitle="How likely customers are to recommend you, from the survey after delivery">
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          <FigureCard
            title="NPS, last 90 days"
            value={signed(nps)}
            note={responses > 0 ? `From ${responses} answer${responses === 1 ? "" : "s"}` : "Appears with the first answers"}
          />
          <FigureCard title="Promoters" value={share(split.promoters, responses)} note="Scored 9 or 10" />
          <FigureCard title="Passives" value={share(split.passives, responses)} note="Scored 7 or 8" />
          <FigureCard title="Detractors" value={share(split.detractors, responses)} note="Scored 0 to 6: each has a conversation" />
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <SectionCard title="NPS by week">
            <PeriodLineChart
              label="NPS by week"
              empty="The line appears once customers answer the survey (it goes 14 days after delivery)."
              series={[{ name: "NPS", data: weeks.map((w) => ({ key: formatWeek(w.week), value: w.nps })) }]}
            />
          </SectionCard>
          <SectionCard title="Promoters, passives and detractors">
            <PeriodBarChart
              label="Answers by week: promoters, passives and detractors"
              stacked
              empty="Each week's answers appear here, split by score."
              series={[
                { name: "Promoters", data: bar("promoters"), color: "#29845a" },
                { name: "Passives", data: bar("passives"), color: "#8a8a8a" },
                { name: "Detractors", data: bar("detractors"), color: "#c70a24" },
              ]}
            />
          </SectionCard>
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <SectionCard title="First order or repeat customer">
            <Segments rows={segments.customers} empty="Appears with the first answers." />
          </SectionCard>
          <SectionCard title="By product type">
            {segments.productTypes === null ? (
              <Text as="p" tone="subdued">
                Shopify could not be asked for the product types just now; they show on the next visit.
              </Text>
            ) : (
              <Segments rows={segments.productTypes} empty="Appears with the first answers about orders with products." />
            )}
          </SectionCard>
        </InlineGrid>
        <SectionCard title="What customers said">
          {comments.length === 0 ? (
            <Text as="p" tone="subdued">
              Comments and the deeper survey's answers appear here.
            </Text>
          ) : (
            <BlockStack gap="0">
              {comments.map((c) => (
                <Box key={c.id} paddingBlock="300" borderBlockStartWidth="025" borderColor="border-secondary">
                  <BlockStack gap="100">
                    <InlineStack gap="200" blockAlign="center" wrap>
                      <Badge tone={BAND[c.band].tone}>{`${c.score} · ${BAND[c.band].label}`}</Badge>
                      <Text as="span" fontWeight="semibold">
                        {c.who}
                      </Text>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {c.when}
                      </Text>
                      {c.conversationId ? <Link url={`/app/inbox/${c.conversationId}`}>Open the conversation</Link> : null}
                    </InlineStack>
                    {c.comment ? <Text as="p">{`“${c.comment}”`}</Text> : null}
                    {c.details ? (
                      <Text as="p" tone="subdued">
                        {c.details}
                      </Text>
                    ) : null}
                  </BlockStack>
                </Box>
              ))}
            </BlockStack>
          )}
        </SectionCard>
      </BlockStack>
    </Page>
  );
}
