// The compliance webhooks, for real: erasure is checked by scanning every table of the
// database, and the data export is fetched through the admin like a merchant would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import db, { databaseUrl, isPostgres, splitPostgresSchema } from "~/db.server";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { adminFetch, installSession } from "./support/admin";
import { fulfillmentPayload, newId, orderPayload, sample, toShopifyJson } from "./support/payloads";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

/** Every row of every table, as text. */
async function everyRow(): Promise<{ table: string; text: string }[]> {
  const schema = isPostgres ? (splitPostgresSchema(databaseUrl).schema ?? "public") : null;
  const tables: { name: string }[] = schema
    ? await db.$queryRawUnsafe(`SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = $1`, schema)
    : await db.$queryRawUnsafe(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  expect(tables.length).toBeGreaterThan(8);
  const rows: { table: string; text: string }[] = [];
  for (const { name } of tables) {
    const result: unknown[] = await db.$queryRawUnsafe(`SELECT * FROM ${schema ? `"${schema}".` : ""}"${name}"`);
    for (const row of result) rows.push({ table: name, text: JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? String(v) : v)) });
  }
  return rows;
}

function person() {
  const tag = randomUUID().slice(0, 8);
  return {
    id: newId(),
    email: `zoe.${tag}@example.com`,
    firstName: `Zoe${tag}`,
    lastName: `Quint${tag}`,
    phone: `+1555${tag.replace(/\D/g, "7").slice(0, 7)}`,
    address: `${tag} Juniper Lane`,
  };
}

async function customerWithHistory(shop: string) {
  const who = person();
  const customer = sample("customers_create");
  Object.assign(customer, {
    id: who.id,
    email: who.email,
    first_name: who.firstName,
    last_name: who.lastName,
    phone: who.phone,
    email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-11-01T10:00:00Z" },
    default_address: { ...customer.default_address, address1: who.address, customer_id: who.id, phone: who.phone },
  });
  await deliver(app, "customers/create", toShopifyJson(customer), { shop });
  const order = orderPayload({ customer: who });
  order.shipping_address = { ...order.shipping_address, address1: who.address, first_name: who.firstName };
  await deliver(app, "orders/paid", toShopifyJson(order), { shop });
  await deliver(app, "fulfillments/create", toShopifyJson(fulfillmentPayload(order.id, { shipmentStatus: "delivered" })), { shop });
  return { who, orderId: order.id as string };
}

function privacyPayload(shop: string, who: { id: string; email: string; phone: string }, orderIds: string[], extra: object = {}) {
  return toShopifyJson({
    shop_id: 954889,
    shop_domain: shop,
    customer: { id: who.id, email: who.email, phone: who.phone },
    ...extra,
    orders_to_redact: orderIds,
  });
}

describe("customers/data_request", () => {
  it("gathers everything held about the customer into an export the merchant downloads from the admin", async () => {
    const shop = uniqueShop();
    await installSession(shop);
    const { who, orderId } = await customerWithHistory(shop);
    const body = toShopifyJson({
      shop_id: 954889,
      shop_domain: shop,
      customer: { id: who.id, email: who.email, phone: who.phone },
      orders_requested: [orderId],
      data_request: { id: 9999 },
    });
    expect((await deliver(app, "customers/data_request", body, { shop })).status).toBe(200);

    const [request] = await db.dataRequest.findMany({ where: { shop } });
    expect(request).toMatchObject({ customerId: who.id, requestId: "9999" });

    const page = await adminFetch(app, shop, "/app/privacy");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Customer ${who.id}`);

    const download = await adminFetch(app, shop, `/app/privacy/${request!.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("attachment");
    const exported = await download.json();
    expect(exported.customers[0]).toMatchObject({ email: who.email, firstName: who.firstName, emailMarketingState: "SUBSCRIBED" });
    expect(exported.orders[0]).toMatchObject({ id: orderId, email: who.email });
    expect(exported.orders[0].lineItems).toHaveLength(3);
    expect(exported.fulfillments[0]).toMatchObject({ orderId, shipmentStatus: "delivered" });

    // Another shop cannot fetch it, even knowing the id.
    const other = uniqueShop("other");
    await installSession(other);
    expect((await adminFetch(app, other, `/app/privacy/${request!.id}`)).status).toBe(404);
  });
});

describe("customers/redact", () => {
  it("leaves no trace of the customer's email, name, phone or address in any table", async () => {
    const shop = uniqueShop();
    const { who, orderId } = await customerWithHistory(shop);
    const bystander = await customerWithHistory(shop);
    await deliver(app, "customers/data_request", privacyPayload(shop, who, [orderId], { data_request: { id: 1 } }), { shop });

    const traces = [who.email, who.firstName, who.lastName, who.phone, who.address];
    const before = (await everyRow()).filter((row) => traces.some((t) => row.text.includes(t)));
    expect(before.length).toBeGreaterThan(0);

    const response = await deliver(app, "customers/redact", privacyPayload(shop, who, [orderId]), { shop });
    expect(response.status).toBe(200);

    const after = (await everyRow()).filter((row) => traces.some((t) => row.text.includes(t)));
    expect(after).toEqual([]);
    // The order stays, anonymous, for the store's figures; another customer is untouched.
    expect(await db.order.findUnique({ where: { shop_id: { shop, id: orderId } } })).toMatchObject({ customerId: null, email: null });
    expect(await db.customer.findUnique({ where: { shop_id: { shop, id: bystander.who.id } } })).toMatchObject({
      email: bystander.who.email,
    });
  });
});

describe("shop/redact and app/uninstalled", () => {
  it("app/uninstalled removes the sessions and marks the shop uninstalled", async () => {
    const shop = uniqueShop();
    await installSession(shop);
    const response = await deliver(app, "app/uninstalled", toShopifyJson(sample("app_uninstalled")), { shop });
    expect(response.status).toBe(200);
    expect(await db.session.count({ where: { shop } })).toBe(0);
    expect((await db.shop.findUnique({ where: { shop } }))?.uninstalledAt).toBeInstanceOf(Date);
  });

  it("shop/redact leaves no row of the shop in any table, and no other shop loses anything", async () => {
    const [shop, neighbour] = [uniqueShop("gone"), uniqueShop("stays")];
    for (const s of [shop, neighbour]) {
      await installSession(s);
      const { who, orderId } = await customerWithHistory(s);
      await deliver(app, "refunds/create", toShopifyJson({ ...sample("refunds_create"), order_id: orderId }), { shop: s });
      await deliver(app, "customers/data_request", privacyPayload(s, who, [orderId], { data_request: { id: 2 } }), { shop: s });
    }
    await deliver(app, "app/uninstalled", toShopifyJson(sample("app_uninstalled")), { shop });
    const neighbourRowsBefore = (await everyRow()).filter((row) => row.text.includes(neighbour)).length;

    const response = await deliver(app, "shop/redact", toShopifyJson({ shop_id: 954889, shop_domain: shop }), { shop });
    expect(response.status).toBe(200);

    expect((await everyRow()).filter((row) => row.text.includes(shop))).toEqual([]);
    expect((await everyRow()).filter((row) => row.text.includes(neighbour)).length).toBe(neighbourRowsBefore);
  });
});
