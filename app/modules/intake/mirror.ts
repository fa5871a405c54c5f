// Keeps the local mirror of Shopify data. Every write is conditional on Shopify's own
// updated_at, so a late or retried delivery never overwrites newer state. Applying a webhook
// is the worker's hot path, so these are raw statements in the intake transaction (decision
// 0003): the same SQL on SQLite and PostgreSQL; times are compared in SQL, never read back.
import { inParts, join, sql, STATEMENT_VALUES, type TxStatements } from "~/db.server";
import type { CustomerRecord, FulfillmentRecord, LineItemRecord, OrderRecord, RefundRecord } from "./payloads";

/** Outcome of one mirror write: "stale" means the mirror already held newer state. */
export type MirrorWrite = "created" | "updated" | "stale";

/**
 * Customers embedded in orders carry no updated_at; they only fill in a customer we have
 * not seen yet. A customers/* payload (with updated_at) wins when it is newer.
 */
export async function upsertCustomer(db: TxStatements, shop: string, customer: CustomerRecord): Promise<MirrorWrite> {
  const c = customer;
  // The row's own times, as Prisma's @default(now()) and @updatedAt would set them.
  const at = new Date();
  const created = await db.execute(sql`
    INSERT INTO "Customer" ("shop", "id", "email", "firstName", "lastName", "phone", "locale", "emailMarketingState", "emailMarketingUpdatedAt", "shopifyUpdatedAt", "createdAt", "updatedAt")
    VALUES (${shop}, ${c.id}, ${c.email}, ${c.firstName}, ${c.lastName}, ${c.phone}, ${c.locale}, ${c.emailMarketingState}, ${c.emailMarketingUpdatedAt}, ${c.shopifyUpdatedAt}, ${at}, ${at})
    ON CONFLICT ("shop", "id") DO NOTHING`);
  if (created === 1) return "created";
  if (!c.shopifyUpdatedAt) return "stale";
  const updated = await db.execute(sql`
    UPDATE "Customer" SET "email" = ${c.email}, "firstName" = ${c.firstName}, "lastName" = ${c.lastName}, "phone" = ${c.phone}, "locale" = ${c.locale},
      "emailMarketingState" = ${c.emailMarketingState}, "emailMarketingUpdatedAt" = ${c.emailMarketingUpdatedAt}, "shopifyUpdatedAt" = ${c.shopifyUpdatedAt}, "updatedAt" = ${at}
    WHERE "shop" = ${shop} AND "id" = ${c.id} AND ("shopifyUpdatedAt" IS NULL OR "shopifyUpdatedAt" <= ${c.shopifyUpdatedAt})`);
  return updated === 1 ? "updated" : "stale";
}

export async function upsertFulfillments(db: TxStatements, shop: string, fulfillments: FulfillmentRecord[]): Promise<MirrorWrite[]> {
  const writes: MirrorWrite[] = [];
  for (const f of fulfillments) {
    const lineItems = JSON.stringify(f.lineItems);
    // Delivery is a fact: the first delivered event fixes the time and later ones keep it.
    const deliveredAt = f.shipmentStatus === "delivered" ? f.shopifyUpdatedAt : null;
    const updated = await db.execute(sql`
      UPDATE "Fulfillment" SET "orderId" = ${f.orderId}, "status" = ${f.status}, "shipmentStatus" = ${f.shipmentStatus}, "trackingCompany" = ${f.trackingCompany},
        "trackingNumber" = ${f.trackingNumber}, "lineItems" = ${lineItems}, "shopifyCreatedAt" = ${f.shopifyCreatedAt}, "shopifyUpdatedAt" = ${f.shopifyUpdatedAt},
        "deliveredAt" = COALESCE("deliveredAt", ${deliveredAt})
      WHERE "shop" = ${shop} AND "id" = ${f.id} AND "shopifyUpdatedAt" <= ${f.shopifyUpdatedAt}`);
    if (updated === 1) {
      writes.push("updated");
      continue;
    }
    const created = await db.execute(sql`
      INSERT INTO "Fulfillment" ("shop", "id", "orderId", "status", "shipmentStatus", "trackingCompany", "trackingNumber", "lineItems", "deliveredAt", "shopifyCreatedAt", "shopifyUpdatedAt")
      VALUES (${shop}, ${f.id}, ${f.orderId}, ${f.status}, ${f.shipmentStatus}, ${f.trackingCompany}, ${f.trackingNumber}, ${lineItems}, ${deliveredAt}, ${f.shopifyCreatedAt}, ${f.shopifyUpdatedAt})
      ON CONFLICT ("shop", "id") DO NOTHING`);
    writes.push(created === 1 ? "created" : "stale");
  }
  return writes;
}

/** Refunds never change once issued: insert the ones not seen yet. */
export async function insertRefunds(db: TxStatements, shop: string, refunds: RefundRecord[]): Promise<MirrorWrite[]> {
  const writes: MirrorWrite[] = [];
  for (const r of refunds) {
    const created = await db.execute(sql`
      INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "lineItems", "shopifyCreatedAt")
      VALUES (${shop}, ${r.id}, ${r.orderId}, ${r.amountMinor}, ${r.currency}, ${JSON.stringify(r.lineItems)}, ${r.shopifyCreatedAt})
      ON CONFLICT ("shop", "id") DO NOTHING`);
    writes.push(created === 1 ? "created" : "stale");
  }
  return writes;
}

const LINE_ITEM_COLUMNS = 11;

async function insertLineItems(db: TxStatements, shop: string, orderId: string, items: LineItemRecord[]): Promise<void> {
  for (const part of inParts(items, Math.floor(STATEMENT_VALUES / LINE_ITEM_COLUMNS))) {
    const rows = part.map(
      (i) =>
        sql`(${shop}, ${i.id}, ${orderId}, ${i.productId}, ${i.variantId}, ${i.title}, ${i.variantTitle}, ${i.sku}, ${i.vendor}, ${i.quantity}, ${i.priceMinor})`,
    );
    await db.execute(sql`
      INSERT INTO "LineItem" ("shop", "id", "orderId", "productId", "variantId", "title", "variantTitle", "sku", "vendor", "quantity", "priceMinor")
      VALUES ${join(rows)}`);
  }
}

export async function upsertOrder(db: TxStatements, shop: string, order: OrderRecord): Promise<MirrorWrite> {
  const o = order;
  const at = new Date();
  // The common case (orders/paid after orders/create) is one conditional UPDATE.
  const updated = await db.execute(sql`
    UPDATE "Order" SET "name" = ${o.name}, "customerId" = ${o.customerId}, "email" = ${o.email}, "locale" = ${o.locale}, "currency" = ${o.currency},
      "totalMinor" = ${o.totalMinor}, "subtotalMinor" = ${o.subtotalMinor}, "shippingMinor" = ${o.shippingMinor}, "taxMinor" = ${o.taxMinor}, "shippingKey" = ${o.shippingKey}, "shippingCountry" = ${o.shippingCountry}, "financialStatus" = ${o.financialStatus}, "fulfillmentStatus" = ${o.fulfillmentStatus},
      "buyerAcceptsMarketing" = ${o.buyerAcceptsMarketing}, "cancelledAt" = ${o.cancelledAt}, "processedAt" = ${o.processedAt},
      "shopifyUpdatedAt" = ${o.shopifyUpdatedAt}, "updatedAt" = ${at}
    WHERE "shop" = ${shop} AND "id" = ${o.id} AND "shopifyUpdatedAt" <= ${o.shopifyUpdatedAt}`);
  let write: MirrorWrite;
  if (updated === 1) {
    write = "updated";
    await db.execute(sql`DELETE FROM "LineItem" WHERE "shop" = ${shop} AND "orderId" = ${o.id}`);
  } else {
    const created = await db.execute(sql`
      INSERT INTO "Order" ("shop", "id", "name", "customerId", "email", "locale", "currency", "totalMinor", "subtotalMinor", "shippingMinor", "taxMinor", "shippingKey", "shippingCountry", "financialStatus", "fulfillmentStatus",
        "buyerAcceptsMarketing", "cancelledAt", "processedAt", "shopifyUpdatedAt", "createdAt", "updatedAt")
      VALUES (${shop}, ${o.id}, ${o.name}, ${o.customerId}, ${o.email}, ${o.locale}, ${o.currency}, ${o.totalMinor}, ${o.subtotalMinor}, ${o.shippingMinor}, ${o.taxMinor}, ${o.shippingKey}, ${o.shippingCountry}, ${o.financialStatus}, ${o.fulfillmentStatus},
        ${o.buyerAcceptsMarketing}, ${o.cancelledAt}, ${o.processedAt}, ${o.shopifyUpdatedAt}, ${at}, ${at})
      ON CONFLICT ("shop", "id") DO NOTHING`);
    write = created === 1 ? "created" : "stale";
  }
  if (write !== "stale") await insertLineItems(db, shop, o.id, o.lineItems);

  if (o.customer) await upsertCustomer(db, shop, o.customer);
  await upsertFulfillments(db, shop, o.fulfillments);
  await insertRefunds(db, shop, o.refunds);
  return write;
}
