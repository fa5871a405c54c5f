// Earning: an order's points are pending from its payment until its return window has passed
// (the worker approves them), voided by a cancellation and taken back, in proportion, by
// refunds. Every rule reads the mirror, not the delivery that triggered it, so the same state
// gives the same entries whatever order the webhooks came in: a refund heard before its order
// is taken back when the order's points are earned, a cancellation heard first leaves nothing
// to earn.
import { currencyDigits } from "~/format";
import db, { empty, integerOf, sql, statementsIn, timeOf, type Tx } from "~/db.server";
import type { IntakeEvent, WebhookReaction } from "~/modules/intake";
import { DAY } from "~/modules/messaging/timing";
import { schedulePointsApproved } from "./emails";
import { recordNextOrderOffer } from "./next-order";
import { orderEntries, post } from "./ledger";
import { parseLoyaltySettings, type LoyaltySettings } from "./settings";
import { reviewTier, spendOf, tierFor } from "./tiers";

type MirroredOrder = {
  id: string;
  name: string;
  customerId: string | null;
  cancelledAt: unknown;
  currency: string;
  totalMinor: number;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
};

type ShopProgram = { settings: LoyaltySettings; currency: string; installed: boolean };

async function shopProgram(tx: Tx, shop: string): Promise<ShopProgram> {
  const [row] = await statementsIn(tx).query<{ settings: string; currency: string; uninstalledAt: unknown }>(
    sql`SELECT "settings", "currency", "uninstalledAt" FROM "Shop" WHERE "shop" = ${shop}`,
  );
  return { settings: parseLoyaltySettings(row?.settings), currency: row?.currency ?? "USD", installed: Boolean(row) && !timeOf(row!.uninstalledAt) };
}

async function mirroredOrder(tx: Tx, shop: string, orderId: string): Promise<MirroredOrder | null> {
  const [order] = await statementsIn(tx).query<MirroredOrder>(sql`
    SELECT "id", "name", "customerId", "cancelledAt", "currency", "totalMinor", "subtotalMinor", "shippingMinor", "taxMinor"
    FROM "Order" WHERE "shop" = ${shop} AND "id" = ${orderId}`);
  return order ?? null;
}

/** The points an order earns: its subtotal after discounts (and shipping and tax when the merchant says so), per whole unit of the shop's currency. */
export function pointsFor(order: Pick<MirroredOrder, "subtotalMinor" | "shippingMinor" | "taxMinor">, settings: LoyaltySettings, shopCurrency: string): number {
  const minor = order.subtotalMinor + (settings.includeShipping ? order.shippingMinor : 0) + (settings.includeTax ? order.taxMinor : 0);
  return Math.max(0, Math.floor((minor / 10 ** currencyDigits(shopCurrency)) * settings.pointsPerUnit));
}

/**
 * Takes back the share of the order's points its refunds cover: of everything it earned,
 * refunded / total (at most all), less what was taken back before. From the pending points
 * while they are pending, from the balance once approved (which may leave it below zero: the
 * customer owes them). The key names the total taken back, so a repeat posts nothing.
 */
async function takeBackRefunded(tx: Tx, shop: string, order: MirroredOrder, now: Date): Promise<void> {
  if (!order.customerId || order.totalMinor <= 0) return;
  const entries = await orderEntries(tx, shop, order.id);
  const earned = entries.get("earn")?.pending ?? 0;
  if (earned === 0 || entries.has("void")) return;
  const [refunds] = await statementsIn(tx).query<{ refunded: unknown }>(
    sql`SELECT SUM("amountMinor") AS "refunded" FROM "Refund" WHERE "shop" = ${shop} AND "orderId" = ${order.id}`,
  );
  const target = Math.floor((earned * Math.min(order.totalMinor, integerOf(refunds?.refunded))) / order.totalMinor);
  const reversed = entries.get("reverse");
  const already = -((reversed?.pending ?? 0) + (reversed?.balance ?? 0));
  const points = target - already;
  if (points <= 0) return;
  const approved = entries.has("approve");
  await post(
    tx,
    shop,
    {
      sourceKey: `order:${order.id}:reversed-to:${target}`,
      customerId: order.customerId,
      kind: "reverse",
      pendingDelta: approved ? 0 : -points,
      balanceDelta: approved ? -points : 0,
      orderId: order.id,
      reason: `Order ${order.name} refunded`,
    },
    now,
  );
}

/** A paid order: the next-order offer (its own switch), then the order's points; one read of the shop for both. */
async function onPaid(tx: Tx, event: IntakeEvent): Promise<void> {
  const program = await shopProgram(tx, event.shop);
  if (program.installed) await recordNextOrderOffer(tx, event, program.settings.nextOrder, program.currency);
  await earn(tx, event, program);
}

async function earn(tx: Tx, event: IntakeEvent, { settings, currency }: ShopProgram): Promise<void> {
  const { shop } = event;
  if (settings.status !== "live") return;
  const order = await mirroredOrder(tx, shop, event.order!.id);
  if (!order?.customerId || timeOf(order.cancelledAt)) return;
  // The tier the customer held before this order multiplies what it earns.
  const tier = settings.tiers.enabled ? tierFor(await spendOf(statementsIn(tx), shop, order.customerId, event.now, order.id), settings.tiers) : null;
  const points = Math.floor((pointsFor(order, settings, currency) * (tier?.multiplier ?? 100)) / 100);
  if (points === 0) return;
  const reason = tier && tier.multiplier !== 100 ? `Order ${order.name} (${tier.name}: ×${tier.multiplier / 100})` : `Order ${order.name}`;
  const posting = { sourceKey: `order:${order.id}:earn`, customerId: order.customerId, kind: "earn" as const, orderId: order.id };
  const earned = await post(tx, shop, { ...posting, pendingDelta: points, balanceDelta: 0, reason }, event.now);
  if (earned !== "posted") return;
  await takeBackRefunded(tx, shop, order, event.now);
  if (settings.tiers.enabled) await reviewTier(tx, shop, order.customerId, settings, event.now);
}

async function onCancelled(tx: Tx, event: IntakeEvent): Promise<void> {
  if (!event.order!.cancelledAt || event.write === "stale") return;
  const { shop } = event;
  const order = await mirroredOrder(tx, shop, event.order!.id);
  if (!order?.customerId) return;
  await reviewTierAfter(tx, shop, order.customerId, event.now);
  const entries = await orderEntries(tx, shop, order.id);
  const pending = [...entries.values()].reduce((sum, entry) => sum + entry.pending, 0);
  if (pending <= 0 || entries.has("approve")) return;
  await post(
    tx,
    shop,
    {
      sourceKey: `order:${order.id}:void`,
      customerId: order.customerId,
      kind: "void",
      pendingDelta: -pending,
      balanceDelta: 0,
      orderId: order.id,
      reason: `Order ${order.name} cancelled`,
    },
    event.now,
  );
}

async function onRefund(tx: Tx, event: IntakeEvent): Promise<void> {
  const order = await mirroredOrder(tx, event.shop, event.refund!.orderId);
  if (!order) return;
  await takeBackRefunded(tx, event.shop, order, event.now);
  await reviewTierAfter(tx, event.shop, order.customerId, event.now);
}

/** A refund or a cancellation lowers the 12 months' spend: the tier may move down at once. */
async function reviewTierAfter(tx: Tx, shop: string, customerId: string | null, now: Date): Promise<void> {
  if (!customerId) return;
  const { settings } = await shopProgram(tx, shop);
  if (settings.status !== "off" && settings.tiers.enabled) await reviewTier(tx, shop, customerId, settings, now);
}

/** Loyalty's reactions to webhooks, as the capability list names them. */
export const LOYALTY_REACTIONS: readonly WebhookReaction[] = [
  { topics: ["orders/paid"], react: onPaid },
  { topics: ["orders/cancelled", "orders/updated"], react: onCancelled },
  { topics: ["refunds/create"], react: onRefund },
];

const APPROVE_BATCH = 500;
/** Points earned longer ago than this and never approved (an order never fulfilled) are no longer looked at. */
const APPROVAL_HORIZON_DAYS = 400;

/**
 * Approves the pending points of orders whose return window has passed: the approval window
 * after the last delivery event, or the longer one after the last fulfillment when no delivery
 * event came. Orders not fulfilled yet wait. Oldest first, a batch at a time; returns how many
 * orders' points it approved.
 */
export async function approveDuePoints(now: Date, scope: { shop?: string }): Promise<number> {
  return db.$transaction(async (tx) => {
    const candidates = await statementsIn(tx).query<{
      shop: string;
      orderId: string;
      customerId: string;
      name: string;
      pending: unknown;
      deliveredAt: unknown;
      fulfilledAt: unknown;
    }>(sql`
      SELECT p."shop", p."orderId", p."customerId", o."name",
        (SELECT SUM(x."pendingDelta") FROM "LoyaltyEntry" x WHERE x."shop" = p."shop" AND x."orderId" = p."orderId") AS "pending",
        (SELECT MAX(f."deliveredAt") FROM "Fulfillment" f WHERE f."shop" = p."shop" AND f."orderId" = p."orderId") AS "deliveredAt",
        (SELECT MAX(f."shopifyCreatedAt") FROM "Fulfillment" f WHERE f."shop" = p."shop" AND f."orderId" = p."orderId" AND f."status" = 'success') AS "fulfilledAt"
      FROM "LoyaltyEntry" p JOIN "Order" o ON o."shop" = p."shop" AND o."id" = p."orderId"
      WHERE p."kind" = 'earn' AND p."createdAt" > ${new Date(now.getTime() - APPROVAL_HORIZON_DAYS * DAY)} ${scope.shop ? sql`AND p."shop" = ${scope.shop}` : empty}
        AND EXISTS (SELECT 1 FROM "Fulfillment" f WHERE f."shop" = p."shop" AND f."orderId" = p."orderId" AND f."status" = 'success')
        AND NOT EXISTS (SELECT 1 FROM "LoyaltyEntry" a WHERE a."shop" = p."shop" AND a."orderId" = p."orderId" AND a."kind" IN ('approve', 'void'))
      ORDER BY p."createdAt" ASC
      LIMIT ${APPROVE_BATCH}`);
    const settingsByShop = new Map<string, LoyaltySettings>();
    let approved = 0;
    for (const c of candidates) {
      const points = integerOf(c.pending);
      if (points <= 0) continue;
      if (!settingsByShop.has(c.shop)) settingsByShop.set(c.shop, (await shopProgram(tx, c.shop)).settings);
      const settings = settingsByShop.get(c.shop)!;
      const delivered = timeOf(c.deliveredAt);
      const dueAt = delivered
        ? delivered.getTime() + settings.approveAfterDeliveryDays * DAY
        : timeOf(c.fulfilledAt)!.getTime() + settings.approveAfterFulfillmentDays * DAY;
      if (dueAt > now.getTime()) continue;
      const posting = { sourceKey: `order:${c.orderId}:approve`, customerId: c.customerId, kind: "approve" as const, orderId: c.orderId };
      const posted = await post(tx, c.shop, { ...posting, pendingDelta: -points, balanceDelta: points, reason: `Order ${c.name}: approved` }, now);
      if (posted !== "posted") continue;
      await schedulePointsApproved(tx, c.shop, { orderId: c.orderId, customerId: c.customerId }, now);
      approved++;
    }
    return approved;
  });
}
