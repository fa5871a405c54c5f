// customers/redact really erases on SQLite: not only from every row, but from the bytes of the
// database file and its write-ahead log. Without secure_delete the freed pages kept the email
// (17 copies were found); with it, what a delete or update frees is overwritten with zeros.
// SQLite only (the project of this file): PostgreSQL keeps dead tuples until VACUUM, see db.server.ts.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrivateDatabase } from "../support/global-setup";

// A database file of this test's own: a checkpoint completes only when no other process reads the file.
const database = await createPrivateDatabase("sqlite");
process.env.DATABASE_URL = database.url;
const { default: db } = await import("~/db.server");
const { submitStorefrontReview } = await import("~/modules/reviews");
const { deliver, startApp, uniqueShop } = await import("../support/app");
const { installSession } = await import("../support/admin");
const { fulfillmentPayload, newId, orderPayload, sample, toShopifyJson } = await import("../support/payloads");

const file = fileURLToPath(new URL(database.url.replace(/^file:/, "file://")));
let app: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
  await db.$disconnect();
  await database.drop();
});

/** Copies of `text` in the database file and its WAL, once the WAL is written back and emptied. */
async function copiesOnDisk(text: string): Promise<number> {
  const [result] = await db.$queryRawUnsafe<{ busy: number }[]>("PRAGMA wal_checkpoint(TRUNCATE)");
  expect(Number(result!.busy)).toBe(0);
  const needle = Buffer.from(text, "utf8");
  let copies = 0;
  for (const path of [file, `${file}-wal`]) {
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) copies++;
  }
  return copies;
}

describe("customers/redact on SQLite", () => {
  it("leaves no copy of the customer's email in the database file or its WAL", async () => {
    const shop = uniqueShop("bytes");
    await installSession(shop);
    const email = `erase.me.${newId()}@example.com`;
    const who = { id: newId(), email, firstName: "Ida", lastName: "Erased" };
    const customer: Record<string, unknown> = { ...sample("customers_create"), id: who.id, email, first_name: who.firstName, last_name: who.lastName };
    customer.email_marketing_consent = { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-11-01T10:00:00Z" };
    await deliver(app, "customers/create", toShopifyJson(customer), { shop });
    const orderIds: string[] = [];
    let productId = "";
    for (let n = 0; n < 3; n++) {
      const order = orderPayload({ customer: who });
      orderIds.push(order.id as string);
      productId = String((order.line_items as { product_id: number | string }[])[0]!.product_id);
      await deliver(app, "orders/paid", toShopifyJson(order), { shop });
      await deliver(app, "fulfillments/create", toShopifyJson(fulfillmentPayload(order.id, { shipmentStatus: "delivered" })), { shop });
    }
    // And a review of one of those products written as a guest with the same address.
    const review = await submitStorefrontReview(
      shop,
      { customerId: null, email },
      productId,
      { rating: 5, title: "", body: "Lovely beans", authorName: "Ida", photos: [] },
      new Date(),
    );
    expect(review.kind).toBe("saved");
    expect(await copiesOnDisk(email)).toBeGreaterThan(0);

    const body = toShopifyJson({ shop_id: 954889, shop_domain: shop, customer: { id: who.id, email }, orders_to_redact: orderIds });
    expect((await deliver(app, "customers/redact", body, { shop })).status).toBe(200);

    expect(await db.review.count({ where: { shop } })).toBe(0);
    expect(await copiesOnDisk(email)).toBe(0);
  });
});
