// Webhook intake: one delivery -> one short transaction that records the delivery (the
// dedupe key is X-Shopify-Webhook-Id), updates the mirror and runs the reactions.
// Nothing here calls Shopify or sends mail; that is the worker's job.
import db, { type Tx } from "~/db.server";
import { now as clockNow } from "~/modules/clock";
import { eraseShop, gatherCustomerData, redactCustomer } from "~/modules/privacy";
import { recordUninstall } from "~/modules/shops";
import { parseShopifyJson } from "./json";
import { insertRefunds, upsertCustomer, upsertFulfillments, upsertOrder, type MirrorWrite } from "./mirror";
import { PayloadError, readCustomer, readFulfillment, readOrder, readPrivacyRequest, readRefund } from "./payloads";
import { isTopic, runReactions, type IntakeEvent, type Topic } from "./reactions";

export { onWebhook, TOPICS, type IntakeEvent, type Topic } from "./reactions";

export type Delivery = {
  topic: string;
  webhookId: string;
  eventId?: string | null;
  triggeredAt?: string | null;
  body: string;
};

export type IntakeOutcome =
  | { status: 200; outcome: "processed" | "skipped" | "duplicate"; detail: string }
  | { status: 400; outcome: "malformed"; detail: string };

type Applied = { event: Omit<IntakeEvent, "shop" | "topic" | "webhookId" | "now">; detail: string; keepDelivery?: false };

class DuplicateDelivery extends Error {}

async function shopCurrency(tx: Tx, shop: string): Promise<string> {
  return (await tx.shop.findUnique({ where: { shop }, select: { currency: true } }))?.currency ?? "USD";
}

const describe = (write: MirrorWrite, what: string) =>
  write === "stale" ? `${what}: older than the state held, mirror unchanged` : `${what} ${write}`;

/** Reads the payload and applies it to the mirror. Throws PayloadError before any write when the shape is wrong. */
async function apply(tx: Tx, shop: string, topic: Topic, payload: unknown, now: Date): Promise<Applied> {
  switch (topic) {
    case "orders/create":
    case "orders/paid":
    case "orders/updated":
    case "orders/cancelled": {
      const order = readOrder(payload);
      const write = await upsertOrder(tx, shop, order);
      return { event: { write, order }, detail: describe(write, `order ${order.name}`) };
    }
    case "fulfillments/create":
    case "fulfillments/update": {
      const fulfillment = readFulfillment(payload);
      const [write = "stale"] = await upsertFulfillments(tx, shop, [fulfillment]);
      const status = fulfillment.shipmentStatus ?? fulfillment.status;
      return { event: { write, fulfillment }, detail: describe(write, `fulfillment ${fulfillment.id} (${status})`) };
    }
    case "refunds/create": {
      const refund = readRefund(payload, await shopCurrency(tx, shop));
      const [write = "stale"] = await insertRefunds(tx, shop, [refund]);
      return { event: { write, refund }, detail: describe(write, `refund ${refund.id} of order ${refund.orderId}`) };
    }
    case "customers/create":
    case "customers/update": {
      const customer = readCustomer(payload);
      const write = await upsertCustomer(tx, shop, customer);
      return { event: { write, customer }, detail: describe(write, `customer ${customer.id}`) };
    }
    case "app/uninstalled":
      await recordUninstall(tx, shop, now);
      return { event: { write: null }, detail: "app uninstalled: sessions removed, pending work stopped" };
    case "customers/redact": {
      const privacy = readPrivacyRequest(payload);
      return { event: { write: null, privacy }, detail: await redactCustomer(tx, shop, privacy) };
    }
    case "customers/data_request": {
      const privacy = readPrivacyRequest(payload);
      return { event: { write: null, privacy }, detail: await gatherCustomerData(tx, shop, privacy, now) };
    }
    case "shop/redact":
      await eraseShop(tx, shop);
      return { event: { write: null }, detail: "shop erased", keepDelivery: false };
  }
}

function triggeredAtDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Applies one authenticated delivery exactly once. Duplicates (same webhook id) change
 * nothing; a body that is not JSON gets a 400 and nothing is stored; a payload of an
 * unexpected shape or topic is recorded as skipped, with the reason, and changes nothing else.
 */
export async function receiveDelivery(shop: string, delivery: Delivery, now: Date = clockNow()): Promise<IntakeOutcome> {
  let payload: unknown;
  try {
    payload = parseShopifyJson(delivery.body);
  } catch {
    return { status: 400, outcome: "malformed", detail: "body is not JSON" };
  }
  const record = {
    shop,
    webhookId: delivery.webhookId,
    topic: delivery.topic,
    eventId: delivery.eventId ?? null,
    triggeredAt: triggeredAtDate(delivery.triggeredAt),
    receivedAt: now,
  };
  const recordSkipped = async (detail: string): Promise<IntakeOutcome> => {
    try {
      await db.webhookDelivery.create({ data: { ...record, outcome: "skipped", detail } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { status: 200, outcome: "duplicate", detail: "already received" };
    }
    return { status: 200, outcome: "skipped", detail };
  };

  const topic = delivery.topic;
  if (!isTopic(topic)) return recordSkipped(`topic ${topic} is not handled`);

  try {
    return await db.$transaction(async (tx) => {
      // Recording the delivery first takes the write lock and makes a concurrent duplicate
      // wait for us, then fail on the primary key.
      try {
        await tx.webhookDelivery.create({ data: { ...record, outcome: "processed" } });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateDelivery();
        throw error;
      }
      const applied = await apply(tx, shop, topic, payload, now);
      await runReactions(tx, { shop, topic, webhookId: delivery.webhookId, now, ...applied.event });
      if (applied.keepDelivery !== false) {
        await tx.webhookDelivery.update({
          where: { shop_webhookId: { shop, webhookId: delivery.webhookId } },
          data: { detail: applied.detail },
        });
      }
      return { status: 200 as const, outcome: "processed" as const, detail: applied.detail };
    });
  } catch (error) {
    if (error instanceof DuplicateDelivery) return { status: 200, outcome: "duplicate", detail: "already received" };
    if (error instanceof PayloadError) return recordSkipped(`unexpected payload: ${error.message}`);
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
