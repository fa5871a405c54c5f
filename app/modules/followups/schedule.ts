// Intake reactions that schedule and cancel follow-ups. Each scheduled message has a unique
// key per (shop, order, flow, step), so however often a fact arrives it schedules once.
// They run inside the intake transaction: no exceptions on purpose (PostgreSQL aborts a
// transaction on a failed statement), so "already scheduled" is a read, not a caught error.
import { randomUUID } from "node:crypto";
import { integerOf, sql, statementsIn, timeOf, type Tx, type TxStatements } from "~/db.server";
import type { IntakeEvent, WebhookReaction } from "~/modules/intake";
import { DAY } from "~/modules/messaging/timing";
import { delayMs, FLOWS, type FlowId } from "./flows";
import { replenishmentIntervals } from "./replenishment";
import { parseFollowupSettings, type FollowupSettings } from "./settings";

export const messageKey = (orderId: string, flow: FlowId, step = 0) => `order:${orderId}:${flow}:${step}`;

type Plan = {
  shop: string;
  orderId: string;
  customerId: string | null;
  flow: FlowId;
  dueAt: Date;
  /** Several messages of one flow for one order (re-order: one per run-out date). */
  step?: number;
  /** The products it is about, when that is decided now (re-order reminders). */
  productIds?: string[];
  key?: string;
  marketing?: boolean;
};

/**
 * Creates the message unless its key exists; returns whether it did. One raw statement: it runs
 * for every paid order and fulfillment the worker applies.
 */
export async function scheduleOnce(tx: Tx, plan: Plan): Promise<boolean> {
  const key = plan.key ?? messageKey(plan.orderId, plan.flow, plan.step);
  const marketing = plan.marketing ?? FLOWS[plan.flow].marketing;
  const at = new Date();
  const created = await statementsIn(tx).execute(sql`
    INSERT INTO "Message" ("id", "shop", "key", "flow", "step", "marketing", "orderId", "customerId", "dueAt", "status", "productIds", "createdAt", "updatedAt")
    VALUES (${randomUUID()}, ${plan.shop}, ${key}, ${plan.flow}, ${plan.step ?? 0}, ${marketing}, ${plan.orderId}, ${plan.customerId}, ${plan.dueAt}, 'scheduled',
      ${JSON.stringify(plan.productIds ?? [])}, ${at}, ${at})
    ON CONFLICT ("shop", "key") DO NOTHING`);
  return created === 1;
}

/** Moves a still-scheduled message to a new time (a delivery event refines the estimate). */
async function reschedule(tx: Tx, shop: string, key: string, dueAt: Date): Promise<void> {
  await statementsIn(tx).execute(
    sql`UPDATE "Message" SET "dueAt" = ${dueAt}, "updatedAt" = ${new Date()} WHERE "shop" = ${shop} AND "key" = ${key} AND "status" = 'scheduled'`,
  );
}

/** The shop's follow-up settings, read inside the intake transaction. */
async function settingsIn(statements: TxStatements, shop: string): Promise<FollowupSettings> {
  const [row] = await statements.query<{ settings: string }>(sql`SELECT "settings" FROM "Shop" WHERE "shop" = ${shop}`);
  return parseFollowupSettings(row?.settings);
}

/** The review reminder follows the request by this many days, when nothing was reviewed. */
const REVIEW_REMINDER_DAYS = 5;

/** Whether refunds of `refundedMinor` in all leave nothing of the order paid (an order of nothing is never "refunded"). */
export function refundsCoverOrder(order: { totalMinor: number }, refundedMinor: number): boolean {
  return order.totalMinor > 0 && refundedMinor >= order.totalMinor;
}

export async function cancelOrderMessages(tx: Tx, shop: string, orderId: string, reason: string): Promise<void> {
  await statementsIn(tx).execute(sql`
    UPDATE "Message" SET "status" = 'cancelled', "detail" = ${reason}, "updatedAt" = ${new Date()}
    WHERE "shop" = ${shop} AND "orderId" = ${orderId} AND "status" = 'scheduled'`);
}

async function onPaid(tx: Tx, event: IntakeEvent): Promise<void> {
  const order = event.order!;
  if (order.cancelledAt) return;
  const { flows } = await settingsIn(statementsIn(tx), event.shop);
  if (flows.thank_you.enabled) {
    // Timed from when Shopify recorded the payment, not from when we heard of it.
    const paidAt = order.shopifyUpdatedAt;
    await scheduleOnce(tx, {
      shop: event.shop,
      orderId: order.id,
      customerId: order.customerId,
      flow: "thank_you",
      dueAt: new Date(paidAt.getTime() + delayMs("thank_you", flows.thank_you.timing)),
    });
  }
  if (flows.reorder.enabled && order.customerId) await scheduleReorders(tx, event.shop, order, flows.reorder.timing);
}

/** Products whose run-out dates fall within this of the group's first go in one reminder. */
const REORDER_GROUP_DAYS = 7;

/**
 * One reminder per run-out date: the order's products with an interval, grouped when they
 * run out within a week of each other, each group reminded `daysBefore` its first run-out.
 * The step is the group's interval, so a duplicate delivery finds the same keys.
 */
async function scheduleReorders(tx: Tx, shop: string, order: NonNullable<IntakeEvent["order"]>, daysBefore: number): Promise<void> {
  const productIds = [...new Set(order.lineItems.map((item) => item.productId).filter((id): id is string => Boolean(id)))];
  if (productIds.length === 0) return;
  const intervals = await replenishmentIntervals(statementsIn(tx), shop, order.customerId, productIds);
  const timed = [...intervals.entries()].sort((a, b) => a[1].days - b[1].days);
  while (timed.length > 0) {
    const first = timed[0]![1].days;
    const group = timed.filter(([, interval]) => interval.days - first <= REORDER_GROUP_DAYS);
    timed.splice(0, group.length);
    await scheduleOnce(tx, {
      shop,
      orderId: order.id,
      customerId: order.customerId,
      flow: "reorder",
      step: first,
      productIds: group.map(([productId]) => productId),
      dueAt: new Date(order.processedAt.getTime() + (first - daysBefore) * DAY),
    });
  }
}

const AFTER_DELIVERY = ["delivery_checkin", "review_request", "nps", "goes_with"] as const;

async function onFulfillment(tx: Tx, event: IntakeEvent): Promise<void> {
  const fulfillment = event.fulfillment!;
  if (fulfillment.status !== "success" || event.write === "stale") return;
  const { shop } = event;
  const statements = statementsIn(tx);
  // The fulfillment was just mirrored; its order may not be yet.
  const [row] = await statements.query<{ deliveredAt: unknown; customerId: string | null; cancelledAt: unknown }>(sql`
    SELECT f."deliveredAt", o."customerId", o."cancelledAt" FROM "Fulfillment" f
    LEFT JOIN "Order" o ON o."shop" = f."shop" AND o."id" = f."orderId"
    WHERE f."shop" = ${shop} AND f."id" = ${fulfillment.id}`);
  const deliveredAt = timeOf(row?.deliveredAt);
  const shippedAt = fulfillment.shopifyCreatedAt;
  if (timeOf(row?.cancelledAt)) return;
  const customerId = row?.customerId ?? null;
  const { flows } = await settingsIn(statements, shop);
  const after = (from: Date, flow: FlowId) => new Date(from.getTime() + delayMs(flow, flows[flow].timing));
  const due: Record<(typeof AFTER_DELIVERY)[number], Date> = {
    // Delivered: check in now. Not (yet): after the fallback delay from shipping.
    delivery_checkin: deliveredAt ?? after(shippedAt, "delivery_checkin"),
    review_request: after(deliveredAt ?? shippedAt, "review_request"),
    nps: after(deliveredAt ?? shippedAt, "nps"),
    goes_with: after(deliveredAt ?? shippedAt, "goes_with"),
  };
  for (const flow of AFTER_DELIVERY) {
    if (!flows[flow].enabled) continue;
    // The review request has a second step, a reminder; its content decides whether it goes.
    const steps = flow === "review_request" ? [0, 1] : [0];
    for (const step of steps) {
      const dueAt = new Date(due[flow].getTime() + step * REVIEW_REMINDER_DAYS * DAY);
      const created = await scheduleOnce(tx, { shop, orderId: fulfillment.orderId, customerId, flow, step, dueAt });
      // A delivery event replaces the shipping-based estimate of a message still waiting.
      if (!created && deliveredAt) await reschedule(tx, shop, messageKey(fulfillment.orderId, flow, step), dueAt);
    }
  }
}

async function onOrderChange(tx: Tx, event: IntakeEvent): Promise<void> {
  const order = event.order!;
  if (order.cancelledAt && event.write !== "stale") await cancelOrderMessages(tx, event.shop, order.id, "order cancelled");
}

async function onRefund(tx: Tx, event: IntakeEvent): Promise<void> {
  const { shop } = event;
  const refund = event.refund!;
  const statements = statementsIn(tx);
  const [order] = await statements.query<{ id: string; totalMinor: number; customerId: string | null; cancelledAt: unknown; refundedMinor: unknown }>(sql`
    SELECT o."id", o."totalMinor", o."customerId", o."cancelledAt",
      (SELECT SUM(r."amountMinor") FROM "Refund" r WHERE r."shop" = o."shop" AND r."orderId" = o."id") AS "refundedMinor"
    FROM "Order" o WHERE o."shop" = ${shop} AND o."id" = ${refund.orderId}`);
  if (!order) return; // The send-time check covers a refund that outruns its order.
  if (refundsCoverOrder(order, integerOf(order.refundedMinor))) {
    await cancelOrderMessages(tx, shop, order.id, "order fully refunded");
    return;
  }
  // Items sent back (not a cancellation or a goodwill refund): suggest alternatives.
  const returned = refund.lineItems.some((item) => item.restockType === "return");
  const { flows } = await settingsIn(statements, shop);
  if (!returned || timeOf(order.cancelledAt) || !flows.after_return.enabled) return;
  await scheduleOnce(tx, {
    shop,
    orderId: order.id,
    customerId: order.customerId,
    flow: "after_return",
    dueAt: new Date(refund.shopifyCreatedAt.getTime() + delayMs("after_return", flows.after_return.timing)),
  });
}

async function onUninstall(tx: Tx, event: IntakeEvent): Promise<void> {
  await statementsIn(tx).execute(sql`
    UPDATE "Message" SET "status" = 'cancelled', "detail" = 'app uninstalled', "updatedAt" = ${new Date()} WHERE "shop" = ${event.shop} AND "status" = 'scheduled'`);
}

/** The follow-ups' reactions to webhooks, as the capability list names them. */
export const FOLLOWUP_REACTIONS: readonly WebhookReaction[] = [
  { topics: ["orders/paid"], react: onPaid },
  { topics: ["orders/create", "orders/paid", "orders/updated", "orders/cancelled"], react: onOrderChange },
  { topics: ["fulfillments/create", "fulfillments/update"], react: onFulfillment },
  { topics: ["refunds/create"], react: onRefund },
  { topics: ["app/uninstalled"], react: onUninstall },
];
