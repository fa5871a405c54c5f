// Webhook intake end to end: signed HTTP deliveries into the built app, checked in the real
// database (SQLite, and PostgreSQL in the postgres project).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { applyIntake, deliver, sendWebhook, startApp, uniqueShop, type RunningApp } from "./support/app";
import { fulfillmentPayload, newId, orderPayload, sample, toShopifyJson } from "./support/payloads";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe("webhook intake", () => {
  it("accepts a signed orders/paid delivery and mirrors it with exact ids and money in minor units", async () => {
    const shop = uniqueShop();
    const body = toShopifyJson(sample("orders_paid"));
    const response = await deliver(app, "orders/paid", body, { shop });
    expect(response.status).toBe(200);

    const order = await db.order.findUnique({
      where: { shop_id: { shop, id: "820982911946154508" } },
      include: { lineItems: { orderBy: { priceMinor: "desc" } } },
    });
    expect(order).toMatchObject({ name: "#9999", currency: "USD", totalMinor: 35997, customerId: "115310627314723954" });
    expect(order!.lineItems.map((i) => i.id)).toEqual(expect.arrayContaining(["487817672276298554", "976318377106520349", "315789986012684393"]));
    expect(order!.lineItems.find((i) => i.id === "487817672276298554")).toMatchObject({
      productId: "788032119674292922",
      title: "Aviator sunglasses",
      priceMinor: 8999,
    });
    const customer = await db.customer.findUnique({ where: { shop_id: { shop, id: "115310627314723954" } } });
    expect(customer).toMatchObject({ email: "john@example.com", firstName: "John", locale: "en" });
    const deliveries = await db.webhookDelivery.findMany({ where: { shop } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ topic: "orders/paid", outcome: "processed" });
  });

  it("answers 401 to a bad signature and stores nothing", async () => {
    const shop = uniqueShop();
    const response = await deliver(app, "orders/paid", toShopifyJson(orderPayload()), { shop, secret: "not-our-secret" });
    expect(response.status).toBe(401);
    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(0);
    expect(await db.order.count({ where: { shop } })).toBe(0);
  });

  it("applies the same delivery once, whether it arrives three times in a row or at once", async () => {
    const shop = uniqueShop();
    const order = orderPayload();
    const body = toShopifyJson(order);
    const webhookId = `dup-${newId()}`;
    for (let i = 0; i < 3; i++) expect((await deliver(app, "orders/create", body, { shop, webhookId })).status).toBe(200);
    const parallelId = `dup-${newId()}`;
    const parallel = await Promise.all([1, 2, 3].map(() => sendWebhook(app, "orders/paid", body, { shop, webhookId: parallelId })));
    expect(parallel.map((r) => r.status)).toEqual([200, 200, 200]);
    await applyIntake(shop);

    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(2);
    expect(await db.order.count({ where: { shop } })).toBe(1);
    expect(await db.lineItem.count({ where: { shop, orderId: order.id } })).toBe(3);
  });

  it("keeps a fulfillment that arrives before its order and links it when the order comes", async () => {
    const shop = uniqueShop();
    const order = orderPayload();
    const fulfillment = fulfillmentPayload(order.id, { shipmentStatus: "in_transit", updatedAt: "2026-11-20T10:00:00-05:00" });
    expect((await deliver(app, "fulfillments/create", toShopifyJson(fulfillment), { shop })).status).toBe(200);
    expect(await db.order.count({ where: { shop } })).toBe(0);

    expect((await deliver(app, "orders/create", toShopifyJson(order), { shop })).status).toBe(200);
    const linked = await db.fulfillment.findMany({ where: { shop, orderId: order.id } });
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ id: fulfillment.id, shipmentStatus: "in_transit", deliveredAt: null });

    const delivered = { ...fulfillment, shipment_status: "delivered", updated_at: "2026-11-21T15:30:00-05:00" };
    await deliver(app, "fulfillments/update", toShopifyJson(delivered), { shop });
    const row = await db.fulfillment.findUnique({ where: { shop_id: { shop, id: fulfillment.id } } });
    expect(row?.deliveredAt?.toISOString()).toBe("2026-11-21T20:30:00.000Z");
  });

  it("ignores an update older than the state it already holds", async () => {
    const shop = uniqueShop();
    const id = newId();
    const newer = orderPayload({ id, financialStatus: "paid", updatedAt: "2026-11-20T12:00:00Z" });
    const older = orderPayload({ id, financialStatus: "pending", updatedAt: "2026-11-20T11:00:00Z" });
    await deliver(app, "orders/paid", toShopifyJson(newer), { shop });
    const response = await deliver(app, "orders/updated", toShopifyJson(older), { shop });
    expect(response.status).toBe(200);
    const order = await db.order.findUnique({ where: { shop_id: { shop, id } } });
    expect(order?.financialStatus).toBe("paid");
    const stale = await db.webhookDelivery.findFirst({ where: { shop, topic: "orders/updated" } });
    expect(stale?.detail).toMatch(/older than the state held/);

    const fulfillment = fulfillmentPayload(id, { shipmentStatus: "delivered", updatedAt: "2026-11-22T09:00:00Z" });
    await deliver(app, "fulfillments/update", toShopifyJson(fulfillment), { shop });
    const late = { ...fulfillment, shipment_status: "in_transit", updated_at: "2026-11-21T09:00:00Z" };
    await deliver(app, "fulfillments/update", toShopifyJson(late), { shop });
    const row = await db.fulfillment.findUnique({ where: { shop_id: { shop, id: fulfillment.id } } });
    expect(row).toMatchObject({ shipmentStatus: "delivered" });
    expect(row?.deliveredAt).not.toBeNull();
  });

  it("answers 200 only once the delivery is stored, and holds the raw payload only until it is applied", async () => {
    const shop = uniqueShop();
    const order = orderPayload();
    const webhookId = newId();
    expect((await sendWebhook(app, "orders/paid", toShopifyJson(order), { shop, webhookId })).status).toBe(200);
    const stored = await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId } } });
    expect(stored).toMatchObject({ outcome: "pending", topic: "orders/paid" });
    expect(stored!.payload).toContain(String(order.id));
    expect(await db.order.count({ where: { shop } })).toBe(0);

    await applyIntake(shop);
    const applied = await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId } } });
    expect(applied).toMatchObject({ outcome: "processed", payload: null });
    expect(applied!.appliedAt).not.toBeNull();
    expect(await db.order.count({ where: { shop } })).toBe(1);
  });

  it("answers 400 to a delivery without Shopify's headers and 413 to an oversized body, storing nothing", async () => {
    const shop = uniqueShop();
    const bare = await fetch(`${app.url}/webhooks/orders/paid`, { method: "POST", body: "{}", headers: { "X-Shopify-Shop-Domain": shop } });
    expect(bare.status).toBe(400);
    expect(await bare.text()).toMatch(/x-shopify-hmac-sha256/);
    // Refused by its declared length: the server answers at once, then reads the rest away
    // before it closes (server/http.ts), so the client gets the whole answer.
    const huge = await sendWebhook(app, "orders/paid", JSON.stringify({ note: "x".repeat(11 * 1024 * 1024) }), { shop });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toBe("Payload too large");
    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("answers 400 to a signed body that is not JSON and stores nothing", async () => {
    const shop = uniqueShop();
    const response = await deliver(app, "orders/create", '{"id": 1, "line_items": [', { shop });
    expect(response.status).toBe(400);
    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("records an unexpected payload as skipped, with the reason, and writes nothing else", async () => {
    const shop = uniqueShop();
    const order = orderPayload();
    order.line_items = [...order.line_items, { title: "no id here", quantity: 1, price: "1.00" }];
    const response = await deliver(app, "orders/create", toShopifyJson(order), { shop });
    expect(response.status).toBe(200);
    const [delivery] = await db.webhookDelivery.findMany({ where: { shop } });
    expect(delivery).toMatchObject({ outcome: "skipped" });
    expect(delivery!.detail).toMatch(/line_items\[\]\.id/);
    expect(await db.order.count({ where: { shop } })).toBe(0);
    expect(await db.lineItem.count({ where: { shop } })).toBe(0);

    const wrongType = await deliver(app, "customers/update", toShopifyJson([1, 2, 3]), { shop });
    expect(wrongType.status).toBe(200);
    expect(await db.webhookDelivery.count({ where: { shop, outcome: "skipped" } })).toBe(2);
  });

  it("mirrors refunds in minor units with their returned line items", async () => {
    const shop = uniqueShop();
    await deliver(app, "orders/paid", toShopifyJson(sample("orders_paid")), { shop });
    const response = await deliver(app, "refunds/create", toShopifyJson(sample("refunds_create")), { shop });
    expect(response.status).toBe(200);
    const refund = await db.refund.findUnique({ where: { shop_id: { shop, id: "890088186047892319" } } });
    expect(refund).toMatchObject({ orderId: "820982911946154508", amountMinor: 8500, currency: "USD" });
    expect(JSON.parse(refund!.lineItems)[0]).toMatchObject({ lineItemId: "487817672276298554", quantity: 1 });
  });

  it("keeps one shop's deliveries and mirror apart from another's, even for the same Shopify ids", async () => {
    const [a, b] = [uniqueShop("a"), uniqueShop("b")];
    const id = newId();
    await deliver(app, "orders/paid", toShopifyJson(orderPayload({ id, financialStatus: "paid" })), { shop: a, webhookId: "same" });
    await deliver(app, "orders/paid", toShopifyJson(orderPayload({ id, financialStatus: "pending" })), { shop: b, webhookId: "same" });
    const orders = await db.order.findMany({ where: { id }, orderBy: { shop: "asc" } });
    expect(orders.map((o) => [o.shop, o.financialStatus])).toEqual([
      [a, "paid"],
      [b, "pending"],
    ]);
  });
});
