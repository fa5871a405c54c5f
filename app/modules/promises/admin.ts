// The Promises page: orders at risk now, promises broken and what was done about each, the
// apologies waiting for the merchant, and the on-time rate by week.
import db, { queryDirect, sql, timeOf } from "~/db.server";
import { formatShopTime } from "~/format";
import { lastWeeks } from "~/modules/weeks";
import { goodwillOfReward } from "./goodwill";
import { goodwillName } from "./settings-form";
import { parsePromiseSettings } from "./settings";
import { apologyKey, GRACE_MS, type BreachKind } from "./watch";

const LIST = 50;
const WEEKS_SHOWN = 12;

const BREACH_NAMES: Record<BreachKind, string> = {
  late_dispatch: "Not dispatched in time",
  late_delivery: "Delivery late",
  delivery_failed: "Delivery failed",
};

export type AtRisk = { orderId: string; order: string; risk: string; deadline: string; overdue: boolean };
export type Broken = {
  orderId: string;
  order: string;
  kind: BreachKind;
  what: string;
  /** When, in the merchant's words: the date it was due, or the carrier's event. */
  when: string;
  decision: string;
  sent: { tone: "success" | "info" | "warning" | "critical"; text: string };
  goodwill: string | null;
};
export type Week = { week: string; settled: number; onTime: number; rate: number | null };

/** The on-time rate of the orders paid in each of the last weeks (Monday to Sunday, shop time), counted once settled. */
export async function onTimeByWeek(shop: string, zone: string, now: Date, weeks = WEEKS_SHOWN): Promise<Week[]> {
  const span = lastWeeks(zone, now, weeks);
  const rows = await queryDirect<{ placedAt: unknown; state: string; broken: unknown }>(sql`
    SELECT p."placedAt", p."state",
      (SELECT COUNT(*) FROM "PromiseBreach" b WHERE b."shop" = p."shop" AND b."orderId" = p."orderId" AND b."decision" <> 'void') AS "broken"
    FROM "OrderPromise" p WHERE p."shop" = ${shop} AND p."placedAt" >= ${span.from} AND p."state" <> 'cancelled'`);
  const buckets = span.mondays.map((week) => ({ week, settled: 0, onTime: 0 }));
  for (const row of rows) {
    const bucket = buckets[span.indexOf(timeOf(row.placedAt)!)];
    const broken = Number(row.broken ?? 0) > 0;
    // Still open and unbroken: not settled yet either way.
    if (!bucket || (!broken && row.state === "open")) continue;
    bucket.settled++;
    if (!broken) bucket.onTime++;
  }
  return buckets.map((b) => ({ ...b, rate: b.settled > 0 ? Math.round((b.onTime / b.settled) * 1000) / 10 : null }));
}

function apologyState(
  decision: string,
  message: { status: string; sentAt: Date | null; detail: string | null } | undefined,
  hasCustomer: boolean,
  zone: string,
): Broken["sent"] {
  if (decision === "awaiting") return { tone: "warning", text: "Apology waiting for your approval" };
  if (decision === "declined") return { tone: "info", text: "You chose not to send an apology" };
  if (decision === "void") return { tone: "info", text: "No apology: it turned out fine" };
  if (!hasCustomer) return { tone: "info", text: "No apology: no customer to write to" };
  if (!message) return { tone: "info", text: "Apology being prepared" };
  if (message.sentAt && (message.status === "sent" || message.status === "outbox"))
    return { tone: "success", text: `Apology ${message.status === "sent" ? "sent" : "written to the outbox"} ${formatShopTime(message.sentAt, zone)}` };
  if (message.status === "scheduled") return { tone: "info", text: `Apology going out${message.detail ? ` (${message.detail})` : ""}` };
  return { tone: "critical", text: `Apology not sent: ${message.detail ?? message.status}` };
}

/** Everything the Promises page shows. */
export async function promisesPage(shop: string, now: Date) {
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { timezone: true, currency: true, settings: true } });
  const zone = shopRow?.timezone ?? "UTC";
  const rules = parsePromiseSettings(shopRow?.settings);
  const [risky, breaches, weeks] = await Promise.all([
    db.orderPromise.findMany({
      where: {
        shop,
        state: "open",
        OR: [
          { shippedAt: null, dispatchRiskAt: { lte: now } },
          { shippedAt: { not: null }, tracked: true, deliveredAt: null, deliveryRiskAt: { lte: now } },
        ],
      },
      orderBy: { dispatchBy: "asc" },
      take: LIST * 2,
    }),
    db.promiseBreach.findMany({ where: { shop, decision: { not: "void" } }, orderBy: { createdAt: "desc" }, take: LIST }),
    onTimeByWeek(shop, zone, now),
  ]);
  const brokenOrders = new Set(breaches.map((b) => b.orderId));
  const atRisk: AtRisk[] = risky
    .filter((p) => !brokenOrders.has(p.orderId))
    .map((p) => {
      const dispatch = !p.shippedAt;
      const deadline = dispatch ? p.dispatchBy : p.deliverBy;
      return {
        orderId: p.orderId,
        order: p.orderName,
        risk: dispatch ? "Not dispatched yet" : "Still in transit",
        deadline: `${dispatch ? "Dispatch" : "Delivery"} promised by ${formatShopTime(new Date(deadline.getTime() - 1), zone)}`,
        overdue: now.getTime() >= deadline.getTime() && now.getTime() < deadline.getTime() + GRACE_MS,
      };
    })
    .slice(0, LIST);

  const orderIds = [...brokenOrders];
  const [promises, messages, rewards, points] = await Promise.all([
    db.orderPromise.findMany({ where: { shop, orderId: { in: orderIds } }, select: { orderId: true, orderName: true, customerId: true } }),
    db.message.findMany({
      where: { shop, key: { in: breaches.map((b) => apologyKey(b.orderId, b.kind as BreachKind)) } },
      select: { key: true, status: true, sentAt: true, detail: true },
    }),
    db.reward.findMany({ where: { shop, sourceKey: { in: breaches.flatMap((b) => (b.goodwill ? [b.goodwill] : [])) } } }),
    db.loyaltyEntry.findMany({
      where: { shop, sourceKey: { in: breaches.flatMap((b) => (b.goodwill ? [b.goodwill] : [])) } },
      select: { sourceKey: true, balanceDelta: true },
    }),
  ]);
  const promiseOf = new Map(promises.map((p) => [p.orderId, p]));
  const messageOf = new Map(messages.map((m) => [m.key, m]));
  const goodwillText = (sourceKey: string | null): string | null => {
    if (!sourceKey) return null;
    const entry = points.find((p) => p.sourceKey === sourceKey);
    if (entry) return `${entry.balanceDelta.toLocaleString("en")} points given`;
    const reward = rewards.find((r) => r.sourceKey === sourceKey);
    if (!reward) return null;
    const name = goodwillName(goodwillOfReward(reward), reward.currency);
    return reward.status === "issued"
      ? `${name}${reward.code ? ` (${reward.code})` : ""}`
      : reward.status === "refused" || reward.status === "returned"
        ? `${name}: Shopify refused it (${reward.lastError ?? "no reason given"})`
        : `${name}: being created in Shopify`;
  };
  const broken: Broken[] = breaches.map((b) => {
    const kind = b.kind as BreachKind;
    const promise = promiseOf.get(b.orderId);
    return {
      orderId: b.orderId,
      order: promise?.orderName ?? b.orderId,
      kind,
      what: BREACH_NAMES[kind],
      when:
        kind === "delivery_failed"
          ? `Carrier's report ${formatShopTime(b.brokenAt, zone)}`
          : `Was due ${kind === "late_dispatch" ? "to leave" : "to arrive"} by ${formatShopTime(new Date(b.brokenAt.getTime() - 1), zone, "date")}`,
      decision: b.decision,
      sent: apologyState(b.decision, messageOf.get(apologyKey(b.orderId, kind)), Boolean(promise?.customerId), zone),
      goodwill: goodwillText(b.goodwill),
    };
  });
  const settled = weeks.slice(-4).reduce((sum, w) => sum + w.settled, 0);
  const onTime = weeks.slice(-4).reduce((sum, w) => sum + w.onTime, 0);
  return {
    zone,
    policy: {
      dispatchDays: rules.dispatchDays,
      home: rules.transit.home,
      abroad: rules.transit.abroad,
      apologies: rules.apologies,
      goodwill: goodwillName(rules.goodwill, shopRow?.currency ?? "USD"),
    },
    figures: {
      onTimeRate: settled > 0 ? Math.round((onTime / settled) * 1000) / 10 : null,
      settled,
      atRisk: atRisk.length,
      broken: broken.filter((b) => b.decision !== "declined").length,
      awaiting: broken.filter((b) => b.decision === "awaiting").length,
    },
    atRisk,
    broken,
    weeks,
  };
}

/** The apologies waiting for the merchant's approval (the shop asked to approve them first), oldest first, for the inbox. */
export async function awaitingApologies(shop: string) {
  const breaches = await db.promiseBreach.findMany({ where: { shop, decision: "awaiting" }, orderBy: { createdAt: "asc" }, take: LIST });
  const names = await db.orderPromise.findMany({
    where: { shop, orderId: { in: breaches.map((b) => b.orderId) } },
    select: { orderId: true, orderName: true },
  });
  return breaches.map((b) => ({
    orderId: b.orderId,
    order: names.find((n) => n.orderId === b.orderId)?.orderName ?? b.orderId,
    what: BREACH_NAMES[b.kind as BreachKind],
  }));
}
