// Intake reactions that schedule and cancel follow-ups. Each scheduled message has a unique
// key per (shop, order, flow, step), so however often a fact arrives it schedules once.
// They run inside the intake transaction: no exceptions on purpose (PostgreSQL aborts a
// transaction on a failed statement), so "already scheduled" is a read, not a caught error.
import { randomUUID } from "node:crypto";
import type db from "~/db.server";
import type { Tx } from "~/db.server";
import type { IntakeEvent, WebhookReaction } from "~/modules/intake";
import { DAY } from "~/modules/messaging/timing";
import { delayMs, FLOWS, type FlowId } from "./flows";
import { replenishmentIntervals } from "./replenishment";
import { followupSettings } from "./settings";

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

/** Creates the message unless its key exists; returns whether it did. */
export async function scheduleOnce(tx: Tx, plan: Plan): Promise<boolean> {
  const key = plan.key ?? messageKey(plan.orderId, plan.flow, plan.step);
  if (await tx.message.findUnique({ where: { shop_key: { shop: plan.shop, key } }, select: { id: true } })) return false;
  await tx.message.create({
    data: {
      id: randomUUID(),
      shop: plan.shop,
      key,
      flow: plan.flow,
      step: plan.step ?? 0,
      marketing: plan.marketing ?? FLOWS[plan.flow].marketing,
      orderId: plan.orderId,
      customerId: plan.customerId,
      dueAt: plan.dueAt,
      status: "scheduled",
      productIds: JSON.stringify(plan.productIds ?? []),
    },
  });
  return true;
}

/** Moves a still-scheduled message to a new time (a delivery event refines the estimate). */
async function reschedule(tx: Tx, shop: string, key: string, dueAt: Date): Promise<void> {
  await tx.message.updateMany({ where: { shop, key, status: "scheduled" }, data: { dueAt } });
}

/** The review reminder follows the request by this many days, when nothing was reviewed. */
const REVIEW_REMINDER_DAYS = 5;

/** Refunds add up to the whole order: nothing more should be said about it. */
export async function isFullyRefunded(client: Tx | typeof db, shop: string, order: { id: string; totalMinor: number }): Promise<boolean> {
  if (order.totalMinor <= 0) return false;
  const refunded = await client.refund.aggregate({ where: { shop, orderId: order.id }, _sum: { amountMinor: true } });
  return refundsCoverOrder(order, refunded._sum.amountMinor ?? 0);
}

/** Whether refunds of `refundedMinor` in all leave nothing of the order paid (an order of nothing is never "refunded"). */
export function refundsCoverOrder(order: { totalMinor: number }, refundedMinor: number): boolean {
  return order.totalMinor > 0 && refundedMinor >= order.totalMinor;
}

export async function cancelOrderMessages(tx: Tx, shop: string, orderId: string, reason: string): Promise<void> {
  await tx.message.updateMany({ where: { shop, orderId, status: "scheduled" }, data: { status: "cancelled", detail: reason } });
}

async function onPaid(tx: Tx, event: IntakeEvent): Promise<void> {
  const order = event.order!;
  if (order.cancelledAt) return;
  const { flows } = await followupSettings(tx, event.shop);
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
  const intervals = await replenishmentIntervals(tx, shop, order.customerId, productIds);
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
  const row = await tx.fulfillment.findUnique({ where: { shop_id: { shop, id: fulfillment.id } }, select: { deliveredAt: true } });
  const deliveredAt = row?.deliveredAt ?? null;
  const shippedAt = fulfillment.shopifyCreatedAt;
  const order = await tx.order.findUnique({ where: { shop_id: { shop, id: fulfillment.orderId } }, select: { customerId: true, cancelledAt: true } });
  if (order?.cancelledAt) return;
  const { flows } = await followupSettings(tx, shop);
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
      const created = await scheduleOnce(tx, { shop, orderId: fulfillment.orderId, customerId: order?.customerId ?? null, flow, step, dueAt });
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
  const order = await tx.order.findUnique({
    where: { shop_id: { shop, id: refund.orderId } },
    select: { id: true, totalMinor: true, customerId: true, cancelledAt: true },
  });
  if (!order) return; // The send-time check covers a refund that outruns its order.
  if (await isFullyRefunded(tx, shop, order)) {
    await cancelOrderMessages(tx, shop, order.id, "order fully refunded");
    return;
  }
  // Items sent back (not a cancellation or a goodwill refund): suggest alternatives.
  const returned = refund.lineItems.some((item) => item.restockType === "return");
  const { flows } = await followupSettings(tx, shop);
  if (!returned || order.cancelledAt || !flows.after_return.enabled) return;
  await scheduleOnce(tx, {
    shop,
    orderId: order.id,
    customerId: order.customerId,
    flow: "after_return",
    dueAt: new Date(refund.shopifyCreatedAt.getTime() + delayMs("after_return", flows.after_return.timing)),
  });
}

async function onUninstall(tx: Tx, event: IntakeEvent): Promise<void> {
  await tx.message.updateMany({ where: { shop: event.shop, status: "scheduled" }, data: { status: "cancelled", detail: "app uninstalled" } });
}

/** The follow-ups' reactions to webhooks, as the capability list names them. */
export const FOLLOWUP_REACTIONS: readonly WebhookReaction[] = [
  { topics: ["orders/paid"], react: onPaid },
  { topics: ["orders/create", "orders/paid", "orders/updated", "orders/cancelled"], react: onOrderChange },
  { topics: ["fulfillments/create", "fulfillments/update"], react: onFulfillment },
  { topics: ["refunds/create"], react: onRefund },
  { topics: ["app/uninstalled"], react: onUninstall },
];
