// Keeps the local mirror of Shopify data. Every write is conditional on Shopify's own
// updated_at, so a late or retried delivery never overwrites newer state.
import type { Tx } from "~/db.server";
import type { CustomerRecord, FulfillmentRecord, OrderRecord, RefundRecord } from "./payloads";

/** Outcome of one mirror write: "stale" means the mirror already held newer state. */
export type MirrorWrite = "created" | "updated" | "stale";

function customerFields(customer: CustomerRecord) {
  const { id: _id, ...fields } = customer;
  return fields;
}

/**
 * Customers embedded in orders carry no updated_at; they only fill in a customer we have
 * not seen yet. A customers/* payload (with updated_at) wins when it is newer.
 */
export async function upsertCustomer(tx: Tx, shop: string, customer: CustomerRecord): Promise<MirrorWrite> {
  const key = { shop_id: { shop, id: customer.id } };
  const existing = await tx.customer.findUnique({ where: key, select: { shopifyUpdatedAt: true } });
  if (!existing) {
    await tx.customer.create({ data: { shop, ...customer } });
    return "created";
  }
  const incoming = customer.shopifyUpdatedAt;
  if (!incoming || (existing.shopifyUpdatedAt && existing.shopifyUpdatedAt > incoming)) return "stale";
  await tx.customer.update({ where: key, data: customerFields(customer) });
  return "updated";
}

export async function upsertFulfillments(tx: Tx, shop: string, fulfillments: FulfillmentRecord[]): Promise<MirrorWrite[]> {
  if (fulfillments.length === 0) return [];
  const existing = await tx.fulfillment.findMany({
    where: { shop, id: { in: fulfillments.map((f) => f.id) } },
    select: { id: true, shopifyUpdatedAt: true, deliveredAt: true },
  });
  const byId = new Map(existing.map((row) => [row.id, row]));
  const writes: MirrorWrite[] = [];
  for (const fulfillment of fulfillments) {
    const current = byId.get(fulfillment.id);
    const delivered = fulfillment.shipmentStatus === "delivered";
    const data = {
      orderId: fulfillment.orderId,
      status: fulfillment.status,
      shipmentStatus: fulfillment.shipmentStatus,
      trackingCompany: fulfillment.trackingCompany,
      trackingNumber: fulfillment.trackingNumber,
      lineItems: JSON.stringify(fulfillment.lineItems),
      shopifyCreatedAt: fulfillment.shopifyCreatedAt,
      shopifyUpdatedAt: fulfillment.shopifyUpdatedAt,
    };
    if (!current) {
      await tx.fulfillment.create({
        data: { shop, id: fulfillment.id, ...data, deliveredAt: delivered ? fulfillment.shopifyUpdatedAt : null },
      });
      writes.push("created");
    } else if (current.shopifyUpdatedAt > fulfillment.shopifyUpdatedAt) {
      writes.push("stale");
    } else {
      // Delivery is a fact: the first delivered event fixes the time and later ones keep it.
      const deliveredAt = current.deliveredAt ?? (delivered ? fulfillment.shopifyUpdatedAt : null);
      await tx.fulfillment.update({ where: { shop_id: { shop, id: fulfillment.id } }, data: { ...data, deliveredAt } });
      writes.push("updated");
    }
  }
  return writes;
}

/** Refunds never change once issued: insert the ones not seen yet. */
export async function insertRefunds(tx: Tx, shop: string, refunds: RefundRecord[]): Promise<MirrorWrite[]> {
  if (refunds.length === 0) return [];
  const known = new Set((await tx.refund.findMany({ where: { shop, id: { in: refunds.map((r) => r.id) } }, select: { id: true } })).map((r) => r.id));
  const fresh = refunds.filter((refund) => !known.has(refund.id));
  if (fresh.length > 0) {
    await tx.refund.createMany({
      data: fresh.map((refund) => ({ shop, ...refund, lineItems: JSON.stringify(refund.lineItems) })),
    });
  }
  return refunds.map((refund) => (known.has(refund.id) ? "stale" : "created"));
}

export async function upsertOrder(tx: Tx, shop: string, order: OrderRecord): Promise<MirrorWrite> {
  const { lineItems, customer, fulfillments, refunds, ...fields } = order;
  const lineItemRows = lineItems.map((item) => ({ shop, orderId: order.id, ...item }));

  // The common case (orders/paid after orders/create) is one conditional UPDATE.
  const updated = await tx.order.updateMany({
    where: { shop, id: order.id, shopifyUpdatedAt: { lte: order.shopifyUpdatedAt } },
    data: fields,
  });
  let write: MirrorWrite;
  if (updated.count === 1) {
    write = "updated";
    await tx.lineItem.deleteMany({ where: { shop, orderId: order.id } });
    if (lineItemRows.length > 0) await tx.lineItem.createMany({ data: lineItemRows });
  } else if (await tx.order.findUnique({ where: { shop_id: { shop, id: order.id } }, select: { id: true } })) {
    write = "stale";
  } else {
    write = "created";
    await tx.order.create({ data: { shop, ...fields } });
    if (lineItemRows.length > 0) await tx.lineItem.createMany({ data: lineItemRows });
  }

  if (customer) await upsertCustomer(tx, shop, customer);
  await upsertFulfillments(tx, shop, fulfillments);
  await insertRefunds(tx, shop, refunds);
  return write;
}
