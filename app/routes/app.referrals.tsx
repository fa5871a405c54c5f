// Referrals: the program (off until POST intent=launch; intent=pause stops new codes and
// rewards), its figures, and every referral with what the fraud rules found. A flagged referral
// waits for the merchant: POST intent=approve|reject with referral_id, recorded with the staff
// member who decided. Another shop's referral, or one not flagged, is answered 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, EmptyState, InlineGrid, InlineStack, Layout, Tabs, Text } from "@shopify/polaris";
import { FigureCard } from "~/components/figure-card";
import { ProgramPage, RulesCard, type ProgramState } from "~/components/program-switch";
import { formatShopTime } from "~/format";
import { now } from "~/modules/clock";
import { decideReferral, referralsAdminPage, setReferralStatus, type ReferralStatusName } from "~/modules/referrals";
import { getShop } from "~/modules/shops";
import { singleField } from "~/edge/form-body";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Referrals · Aftercare" }];

const FILTERS: ReferralStatusName[] = ["flagged", "pending", "rewarded", "void", "rejected"];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const wanted = new URL(request.url).searchParams.get("status");
  const filter = FILTERS.find((status) => status === wanted) ?? null;
  const [page, shop] = await Promise.all([referralsAdminPage(session.shop, filter), getShop(session.shop)]);
  const zone = shop?.timezone ?? "UTC";
  return { ...page, filter, referrals: page.referrals.map((r) => ({ ...r, createdAt: formatShopTime(r.createdAt, zone) })) };
};

const STATUS_INTENTS = { launch: "live", pause: "paused" } as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const form = await request.formData();
  const single = (name: string) => singleField(form, name);
  const intent = single("intent") ?? "";
  if (intent in STATUS_INTENTS) {
    const settings = await setReferralStatus(session.shop, STATUS_INTENTS[intent as keyof typeof STATUS_INTENTS]);
    return Response.json({ status: settings.status });
  }
  if (intent === "approve" || intent === "reject") {
    const id = single("referral_id");
    if (!id) return Response.json({ error: "referral_id is required, once" }, { status: 400 });
    const actor = sessionToken?.sub ? `staff ${sessionToken.sub}` : "the store";
    const decided = await decideReferral(session.shop, id, intent, actor, now());
    if (decided !== "decided") return Response.json({ error: "No flagged referral with that id" }, { status: 404 });
    return Response.json({ decided: intent });
  }
  return Response.json({ error: "intent must be launch, pause, approve or reject" }, { status: 400 });
};

const SAYS: Record<ProgramState, string> = {
  off: "No codes yet. Launch the program to give every customer a code and a link to share.",
  live: "Customers share their codes; friends get their discount and advocates their reward once the order stands.",
  paused: "No new codes or rewards. Codes already shared still give friends their discount.",
};

const BADGES: Record<ReferralStatusName, JSX.Element> = {
  pending: <Badge tone="info">Waiting for the return window</Badge>,
  flagged: <Badge tone="attention">Needs your review</Badge>,
  rewarded: <Badge tone="success">Rewarded</Badge>,
  void: <Badge>Refunded or cancelled</Badge>,
  rejected: <Badge tone="critical">Rejected</Badge>,
};

function Decide({ id }: { id: string }) {
  const fetcher = useFetcher();
  const busy = fetcher.state !== "idle";
  const decide = (intent: "approve" | "reject") => fetcher.submit({ intent, referral_id: id }, { method: "post" });
  return (
    <InlineStack gap="200" wrap={false}>
      <Button size="slim" loading={busy} onClick={() => decide("approve")}>
        Approve
      </Button>
      <Button size="slim" tone="critical" variant="plain" disabled={busy} onClick={() => decide("reject")}>
        Reject
      </Button>
    </InlineStack>
  );
}

export default function Referrals() {
  const page = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const status = page.settings.status;
  const tabs = [{ id: "all", content: "All" }, ...FILTERS.map((id) => ({ id, content: `${id[0]!.toUpperCase()}${id.slice(1)} (${page.counts[id]})` }))];
  const selected = page.filter ? FILTERS.indexOf(page.filter) + 1 : 0;
  const s = page.settings;
  const rules = [
    `Friends get ${page.friendReward}; you get a new customer.`,
    `The advocate gets ${page.advocateReward} ${s.returnWindowDays} days after the friend's order is delivered, never if it is refunded or cancelled before.`,
    `Held for you: a friend who ordered before, an email or shipping address like the advocate's, more than ${s.weeklyAddressLimit} referrals to one address in a week, a code used by more than ${s.burstLimit} customers in ${s.burstHours} hours. The advocate's own order is rejected.`,
  ];
  return (
    <ProgramPage
      title="Referrals"
      subtitle="Customers bring friends; both are rewarded once the order stands"
      status={status}
      says={SAYS}
      settingsUrl="/app/referrals/settings"
    >
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          <FigureCard title="Friends rewarded" value={page.counts.rewarded.toLocaleString("en")} note="Orders that stood past their return window" />
          <FigureCard title="Needs your review" value={page.counts.flagged.toLocaleString("en")} note="Held by the fraud rules" />
          <FigureCard title="Advocates" value={page.advocates.toLocaleString("en")} note="Customers with a code to share" />
        </InlineGrid>
      </Layout.Section>
      <Layout.Section>
        <RulesCard heading="How it works" lines={rules} />
      </Layout.Section>
      <Layout.Section>
        <Card padding="0">
          <Tabs tabs={tabs} selected={selected} onSelect={(index) => setSearchParams(index === 0 ? {} : { status: FILTERS[index - 1]! })} />
          {page.referrals.length === 0 ? (
            <EmptyState heading="No referrals here yet" image="">
              <p>A friend's paid order that used a customer's referral code appears here.</p>
            </EmptyState>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text", "text"]}
              headings={["Order", "Advocate", "Friend", "Status", "Why", ""]}
              verticalAlign="middle"
              rows={page.referrals.map((r) => [
                <BlockStack key="order" gap="050">
                  <Text as="span" fontWeight="semibold">
                    {r.orderName}
                  </Text>
                  <Text as="span" tone="subdued" variant="bodySm">
                    {r.createdAt} · {r.code}
                  </Text>
                </BlockStack>,
                r.advocate,
                r.friend,
                BADGES[r.status],
                <BlockStack key="why" gap="050">
                  {r.flags.map((flag) => (
                    <Text as="span" key={flag.rule} variant="bodySm">
                      {flag.detail}
                    </Text>
                  ))}
                  {r.reason ? (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {r.reason}
                    </Text>
                  ) : null}
                  {r.decidedBy && r.status !== "rejected" ? (
                    <Text as="span" variant="bodySm" tone="subdued">
                      Approved by {r.decidedBy}
                    </Text>
                  ) : null}
                </BlockStack>,
                r.status === "flagged" ? <Decide key="decide" id={r.id} /> : "",
              ])}
            />
          )}
        </Card>
      </Layout.Section>
    </ProgramPage>
  );
}
