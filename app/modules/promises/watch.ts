// Watching delivery promises. A paid order that ships something is made a promise from the
// shop's settings (dispatch by, deliver by); fulfillments move it along; the worker looks again
// at each deadline. A promise breaks three ways, each once per order whatever order the
// webhooks and checks come in: not dispatched in time, a tracked parcel still travelling past
// its delivery date, or the carrier's failure / attempted delivery. A breach gets the apology
// (by itself, or once the merchant approves) and the shop's goodwill gesture, given once per order.
//
// Deadlines are given an hour's grace before the worker calls them broken: a parcel handed over
// at 17:59 is heard of a little later. A fulfillment that shows the order left in time after
// all voids the breach and the apology not yet sent.
import db, { sql, statementsIn, timeOf, type Tx } from "~/db.server";
import type { IntakeEvent, WebhookReaction } from "~/modules/intake";
import { HOUR } from "~/modules/messaging/timing";
import { scheduleNotice } from "~/modules/messaging/notice";
import { afterDays, afterWorkingDays, daysBefore, riskFrom } from "./calendar";
import { giveGoodwill } from "./goodwill";
import { contextOf, transitDays, workCalendar, type PromiseContext } from "./settings";

export const BREACH_KINDS = ["late_dispatch", "late_delivery", "delivery_failed"] as const;
export type BreachKind = (typeof BREACH_KINDS)[number];

export const APOLOGY_FLOW = "delay_apology";
export const apologyKey = (orderId: string, kind: BreachKind) => `${APOLOGY_FLOW}:${orderId}:${kind}`;

export const GRACE_MS = HOUR;
/** A late or failed delivery is expected to arrive this many days after it is found out. */
const RECOVERY_DAYS = 3;
const FAILED_SHIPMENT = new Set(["failure", "attempted_delivery"]);
const BATCH = 200;

/** The promise an order paid at `placedAt` and shipping to `destination` is made. */
export function promiseFor(placedAt: Date, destination: string | null, context: PromiseContext) {
  const { rules, zone } = context;
  const calendar = workCalendar(rules, zone);
  const dispatchBy = afterWorkingDays(placedAt, rules.dispatchDays, calendar);
  const deliverBy = afterDays(new Date(dispatchBy.getTime() - 1), transitDays(rules, context.country, destination), zone);
  return {
    dispatchBy,
    dispatchRiskAt: riskFrom(dispatchBy, rules.leadDays, calendar),
    deliverBy,
    deliveryRiskAt: daysBefore(deliverBy, rules.leadDays, zone),
  };
}

type PromiseRow = {
  orderId: string;
  customerId: string | null;
  country: string | null;
  dispatchBy: Date;
  deliverBy: Date;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  tracked: boolean;
  state: string;
};

const PROMISE_FIELDS = {
  orderId: true,
  customerId: true,
  country: true,
  dispatchBy: true,
  deliverBy: true,
  shippedAt: true,
  deliveredAt: true,
  tracked: true,
  state: true,
} as const;

async function promiseIn(tx: Tx, shop: string, orderId: string): Promise<PromiseRow | null> {
  return tx.orderPromise.findUnique({
    where: { shop_orderId: { shop, orderId } },
    select: PROMISE_FIELDS,
  });
}

async function onPaid(tx: Tx, event: IntakeEvent): Promise<void> {
  const order = event.order!;
  if (order.cancelledAt || !order.shippingCountry || order.fulfillmentStatus === "fulfilled") return;
  const context = await contextOf(tx, event.shop);
  if (!context?.live) return;
  const promise = promiseFor(order.processedAt, order.shippingCountry, context);
  const created = await statementsIn(tx).execute(sql`
    INSERT INTO "OrderPromise" ("shop", "orderId", "orderName", "customerId", "country", "placedAt", "dispatchBy", "dispatchRiskAt", "deliverBy", "deliveryRiskAt",
      "tracked", "state", "checkAt", "createdAt", "updatedAt")
    VALUES (${event.shop}, ${order.id}, ${order.name}, ${order.customerId}, ${order.shippingCountry}, ${order.processedAt}, ${promise.dispatchBy}, ${promise.dispatchRiskAt},
      ${promise.deliverBy}, ${promise.deliveryRiskAt}, ${false}, 'open', ${new Date(promise.dispatchBy.getTime() + GRACE_MS)}, ${event.now}, ${event.now})
    ON CONFLICT ("shop", "orderId") DO NOTHING`);
  // A fulfillment that outran its order is counted now.
  if (created === 1) await followShipping(tx, event.shop, order.id, context, event.now);
}

/**
 * Brings a promise up to date with the order's fulfillments: shipped (the first parcel), tracked,
 * delivered (every parcel), the delivery date moved for a late dispatch, and a late-dispatch
 * breach voided when the order left in time after all (or recorded when it left late).
 */
async function followShipping(tx: Tx, shop: string, orderId: string, context: PromiseContext, now: Date): Promise<void> {
  const promise = await promiseIn(tx, shop, orderId);
  if (!promise || promise.state !== "open") return;
  const parcels = await statementsIn(tx).query<{ shipmentStatus: string | null; deliveredAt: unknown; shopifyCreatedAt: unknown }>(sql`
    SELECT "shipmentStatus", "deliveredAt", "shopifyCreatedAt" FROM "Fulfillment" WHERE "shop" = ${shop} AND "orderId" = ${orderId} AND "status" = 'success'`);
  if (parcels.length === 0) return;
  const shippedAt = new Date(Math.min(...parcels.map((p) => timeOf(p.shopifyCreatedAt)!.getTime())));
  const delivered = parcels.map((p) => timeOf(p.deliveredAt));
  const deliveredAt = delivered.every(Boolean) ? new Date(Math.max(...delivered.map((d) => d!.getTime()))) : null;
  const tracked = parcels.some((p) => p.shipmentStatus !== null);
  const transit = transitDays(context.rules, context.country, promise.country);
  // A late dispatch moves the delivery date later; an early one never earlier than promised.
  const deliverBy = new Date(Math.max(promise.deliverBy.getTime(), afterDays(shippedAt, transit, context.zone).getTime()));
  const checkAt = deliveredAt ? null : new Date(deliverBy.getTime() + (tracked ? GRACE_MS : 0));
  await tx.orderPromise.update({
    where: { shop_orderId: { shop, orderId } },
    data: {
      shippedAt,
      deliveredAt,
      tracked,
      deliverBy,
      deliveryRiskAt: daysBefore(deliverBy, context.rules.leadDays, context.zone),
      state: deliveredAt ? "done" : "open",
      checkAt,
      updatedAt: now,
    },
  });
  if (shippedAt <= promise.dispatchBy) await voidBreach(tx, shop, orderId, "late_dispatch", "it left in time after all", now);
  // Left late, and heard of before the worker looked (it was down): the breach is still one.
  else if (shippedAt.getTime() > promise.dispatchBy.getTime() + GRACE_MS)
    await recordBreach(tx, shop, promise, "late_dispatch", promise.dispatchBy, deliverBy, context, now);
}

async function onFulfillment(tx: Tx, event: IntakeEvent): Promise<void> {
  const fulfillment = event.fulfillment!;
  if (event.write === "stale" || fulfillment.status !== "success") return;
  const context = await contextOf(tx, event.shop);
  if (!context?.live) return;
  await followShipping(tx, event.shop, fulfillment.orderId, context, event.now);
  if (fulfillment.shipmentStatus && FAILED_SHIPMENT.has(fulfillment.shipmentStatus)) {
    const promise = await promiseIn(tx, event.shop, fulfillment.orderId);
    if (promise && promise.state === "open") {
      const expectedBy = afterDays(event.now, RECOVERY_DAYS, context.zone);
      await recordBreach(tx, event.shop, promise, "delivery_failed", fulfillment.shopifyUpdatedAt, expectedBy, context, event.now);
    }
  }
}

async function onOrderChange(tx: Tx, event: IntakeEvent): Promise<void> {
  const order = event.order!;
  if (!order.cancelledAt || event.write === "stale") return;
  const cancelled = await tx.orderPromise.updateMany({
    where: { shop: event.shop, orderId: order.id, state: { not: "cancelled" } },
    data: { state: "cancelled", checkAt: null, updatedAt: event.now },
  });
  if (cancelled.count === 0) return;
  for (const kind of BREACH_KINDS) await voidBreach(tx, event.shop, order.id, kind, "the order was cancelled", event.now);
}

/** A breach not yet acted on for good: void, and its apology held back if it has not gone. */
async function voidBreach(tx: Tx, shop: string, orderId: string, kind: BreachKind, why: string, now: Date): Promise<void> {
  const voided = await tx.promiseBreach.updateMany({
    where: { shop, orderId, kind, decision: { in: ["auto", "awaiting", "approved"] } },
    data: { decision: "void", detail: why, updatedAt: now },
  });
  if (voided.count === 0) return;
  await tx.message.updateMany({
    where: { shop, key: apologyKey(orderId, kind), status: "scheduled" },
    data: { status: "cancelled", detail: `not sent: ${why}`, updatedAt: now },
  });
}

/**
 * Records that `promise` broke this way, once; the first time, the apology and goodwill follow
 * by themselves, or wait for the merchant when the shop asked to approve apologies.
 */
async function recordBreach(
  tx: Tx,
  shop: string,
  promise: Pick<PromiseRow, "orderId" | "customerId">,
  kind: BreachKind,
  brokenAt: Date,
  expectedBy: Date,
  context: PromiseContext,
  now: Date,
): Promise<boolean> {
  const decision = context.rules.apologies === "ask" ? "awaiting" : "auto";
  const created = await statementsIn(tx).execute(sql`
    INSERT INTO "PromiseBreach" ("shop", "orderId", "kind", "brokenAt", "expectedBy", "decision", "createdAt", "updatedAt")
    VALUES (${shop}, ${promise.orderId}, ${kind}, ${brokenAt}, ${expectedBy}, ${decision}, ${now}, ${now})
    ON CONFLICT ("shop", "orderId", "kind") DO NOTHING`);
  if (created === 1 && decision === "auto") await makeAmends(tx, shop, promise, kind, context, now);
  return created === 1;
}

/** The apology (to a known customer) and the goodwill gesture (once per order) for a breach. */
async function makeAmends(
  tx: Tx,
  shop: string,
  promise: Pick<PromiseRow, "orderId" | "customerId">,
  kind: BreachKind,
  context: PromiseContext,
  now: Date,
): Promise<void> {
  if (!promise.customerId) return;
  const goodwill = await giveGoodwill(tx, shop, { customerId: promise.customerId, orderId: promise.orderId }, context, now);
  const messageId = await scheduleNotice(tx, shop, {
    key: apologyKey(promise.orderId, kind),
    flow: APOLOGY_FLOW,
    customerId: promise.customerId,
    orderId: promise.orderId,
    marketing: false,
    dueAt: now,
  });
  await tx.promiseBreach.update({ where: { shop_orderId_kind: { shop, orderId: promise.orderId, kind } }, data: { messageId, goodwill, updatedAt: now } });
}

/** The merchant's answer to an apology waiting for approval: sent (with the goodwill) or not. */
export async function decideBreach(
  shop: string,
  key: { orderId: string; kind: BreachKind },
  approve: boolean,
  actor: string | null,
  now: Date,
): Promise<"decided" | "not_found" | "already_decided"> {
  return db.$transaction(async (tx) => {
    const breach = await tx.promiseBreach.findUnique({ where: { shop_orderId_kind: { shop, ...key } } });
    if (!breach) return "not_found";
    if (breach.decision !== "awaiting") return "already_decided";
    await tx.promiseBreach.update({
      where: { shop_orderId_kind: { shop, ...key } },
      data: { decision: approve ? "approved" : "declined", decidedBy: actor, updatedAt: now },
    });
    const promise = await promiseIn(tx, shop, key.orderId);
    const context = await contextOf(tx, shop);
    if (approve && promise && context) await makeAmends(tx, shop, promise, key.kind, context, now);
    return "decided";
  });
}

type DuePromise = PromiseRow & { shop: string };

/** What a promise due for a look comes to at `now`: a breach found, done, or the next look. */
async function lookAgain(tx: Tx, promise: DuePromise, context: PromiseContext, now: Date): Promise<void> {
  const { shop, orderId } = promise;
  const [order] = await statementsIn(tx).query<{ cancelledAt: unknown }>(sql`SELECT "cancelledAt" FROM "Order" WHERE "shop" = ${shop} AND "id" = ${orderId}`);
  const settle = (data: { state?: string; checkAt: Date | null }) =>
    tx.orderPromise.update({ where: { shop_orderId: { shop, orderId } }, data: { ...data, updatedAt: now } });
  if (!context.live || timeOf(order?.cancelledAt)) return void (await settle({ state: context.live ? "cancelled" : promise.state, checkAt: null }));
  if (!promise.shippedAt) {
    const due = new Date(promise.dispatchBy.getTime() + GRACE_MS);
    if (now < due) return void (await settle({ checkAt: due }));
    // It leaves by the end of the next working day, then travels as promised.
    const leaves = afterWorkingDays(now, 1, workCalendar(context.rules, context.zone));
    const expectedBy = afterDays(new Date(leaves.getTime() - 1), transitDays(context.rules, context.country, promise.country), context.zone);
    await recordBreach(tx, shop, promise, "late_dispatch", promise.dispatchBy, expectedBy, context, now);
    // The first fulfillment brings it back into view.
    return void (await settle({ checkAt: null }));
  }
  if (promise.deliveredAt) return void (await settle({ state: "done", checkAt: null }));
  // Untracked parcels cannot be seen arriving: the promise is over at its date.
  if (!promise.tracked) return void (await settle(now >= promise.deliverBy ? { state: "done", checkAt: null } : { checkAt: promise.deliverBy }));
  const due = new Date(promise.deliverBy.getTime() + GRACE_MS);
  if (now < due) return void (await settle({ checkAt: due }));
  await recordBreach(tx, shop, promise, "late_delivery", promise.deliverBy, afterDays(now, RECOVERY_DAYS, context.zone), context, now);
  // The delivery event closes it.
  await settle({ checkAt: null });
}

/** The worker's round: every promise whose next look is due (of one shop with `scope.shop`). Returns how many it looked at. */
export async function watchDuePromises(now: Date, scope: { shop?: string }): Promise<number> {
  const due = await db.orderPromise.findMany({
    where: { checkAt: { lte: now }, ...(scope.shop ? { shop: scope.shop } : {}) },
    orderBy: { checkAt: "asc" },
    take: BATCH,
    select: { shop: true, ...PROMISE_FIELDS },
  });
  const contexts = new Map<string, PromiseContext | null>();
  for (const promise of due) {
    if (!contexts.has(promise.shop)) contexts.set(promise.shop, await contextOf(db, promise.shop));
    const context = contexts.get(promise.shop);
    await db.$transaction(async (tx) => {
      if (!context)
        return void (await tx.orderPromise.update({ where: { shop_orderId: { shop: promise.shop, orderId: promise.orderId } }, data: { checkAt: null } }));
      await lookAgain(tx, promise, context, now);
    });
  }
  return due.length;
}

export const PROMISE_REACTIONS: readonly WebhookReaction[] = [
  { topics: ["orders/paid"], react: onPaid },
  { topics: ["fulfillments/create", "fulfillments/update"], react: onFulfillment },
  { topics: ["orders/updated", "orders/cancelled"], react: onOrderChange },
];
