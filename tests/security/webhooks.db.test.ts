// Attacks on the webhook door that a valid signature does not stop: Shopify's HMAC covers the
// body only, so topic, shop and time (headers) can be swapped under a captured body. Real HTTP
// into the built server, checked in the database (SQLite, and PostgreSQL in the postgres project).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { now, setNow } from "~/modules/clock";
import { CAPABILITIES } from "~/modules/capabilities";
import { applyPendingDeliveries, MAX_ATTEMPTS, type WebhookReaction } from "~/modules/intake";
import { installSession } from "../support/admin";
import { applyIntake, deliver, sendWebhook, startApp, uniqueShop, type RunningApp } from "../support/app";
import { customerPayload, newId, orderPayload, sample, toShopifyJson } from "../support/payloads";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());
afterEach(() => setNow(null));

const HOUR = 3_600_000;

/** A shop with a customer and an order of theirs, applied. */
async function shopWithCustomer(label: string) {
  const shop = uniqueShop(label);
  await installSession(shop);
  const who = { id: newId(), email: `${label}-${newId()}@example.com`, firstName: "Ines", lastName: "Varga" };
  const order = orderPayload({ customer: who });
  expect((await deliver(app, "orders/paid", toShopifyJson(order), { shop })).status).toBe(200);
  return { shop, who, orderId: order.id as string };
}

/** What the shop holds, to compare before and after an attack. */
async function holdings(shop: string) {
  return {
    deliveries: await db.webhookDelivery.count({ where: { shop } }),
    orders: await db.order.findMany({ where: { shop }, orderBy: { id: "asc" } }),
    customers: await db.customer.findMany({ where: { shop }, orderBy: { id: "asc" } }),
    lineItems: await db.lineItem.count({ where: { shop } }),
    sessions: await db.session.count({ where: { shop } }),
  };
}

describe("a signed body under other headers", () => {
  it("refuses an orders/paid body replayed as shop/redact, at either address, and erases nothing", async () => {
    const { shop } = await shopWithCustomer("replay");
    const before = await holdings(shop);
    const body = toShopifyJson(orderPayload());
    const attempts = [
      // The topic header names the address, but the body is an order: no shop_domain to match.
      { path: "/webhooks/shop/redact", topic: "shop/redact" },
      { path: "/webhooks/shop/redact", topic: "orders/paid" },
      { path: "/webhooks/orders/paid", topic: "shop/redact" },
      { path: "/webhooks/orders/paid?x=1", topic: "shop/redact" },
    ];
    for (const { path, topic } of attempts) {
      const response = await sendWebhook(app, topic, body, { shop, path });
      expect(response.status, `${topic} at ${path}`).toBe(400);
    }
    await applyIntake(shop);
    expect(await holdings(shop)).toEqual(before);
  });

  it("refuses a customers/redact body of shop A sent with shop B's header, and B keeps its customer", async () => {
    const a = await shopWithCustomer("a");
    const b = await shopWithCustomer("b");
    // The same Shopify customer id at B, so a wrongly applied request would find someone to erase.
    await deliver(app, "customers/create", toShopifyJson(customerPayload({ ...a.who, email: "b-side@example.com" })), { shop: b.shop });
    const [beforeA, beforeB] = [await holdings(a.shop), await holdings(b.shop)];

    const body = toShopifyJson({ shop_id: 954889, shop_domain: a.shop, customer: { id: a.who.id, email: a.who.email }, orders_to_redact: [a.orderId] });
    const response = await sendWebhook(app, "customers/redact", body, { shop: b.shop });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/shop_domain/);
    const noDomain = toShopifyJson({ shop_id: 954889, customer: { id: a.who.id } });
    expect((await sendWebhook(app, "customers/redact", noDomain, { shop: b.shop })).status).toBe(400);
    const dataRequest = toShopifyJson({ shop_id: 954889, shop_domain: a.shop, customer: { id: a.who.id }, data_request: { id: 5 } });
    expect((await sendWebhook(app, "customers/data_request", dataRequest, { shop: b.shop })).status).toBe(400);
    await applyIntake(b.shop);

    expect(await holdings(b.shop)).toEqual(beforeB);
    expect(await db.dataRequest.count({ where: { shop: b.shop } })).toBe(0);
    expect(await holdings(a.shop)).toEqual(beforeA);
    // Sent for its own shop, the same request is taken.
    expect((await deliver(app, "customers/redact", body, { shop: a.shop })).status).toBe(200);
    expect(await db.customer.findUnique({ where: { shop_id: { shop: a.shop, id: a.who.id } } })).toBeNull();
  });

  it("shop/redact for a shop still installed erases nothing and says why; after the uninstall it erases", async () => {
    const { shop } = await shopWithCustomer("installed");
    const before = await holdings(shop);
    const body = toShopifyJson({ shop_id: 954889, shop_domain: shop });
    expect((await deliver(app, "shop/redact", body, { shop })).status).toBe(200);
    const ignored = await db.webhookDelivery.findFirst({ where: { shop, topic: "shop/redact" } });
    expect(ignored).toMatchObject({ outcome: "skipped", payload: null });
    expect(ignored!.detail).toMatch(/installed.*nothing erased/);
    expect({ ...(await holdings(shop)), deliveries: before.deliveries }).toEqual(before);

    await deliver(app, "app/uninstalled", toShopifyJson(sample("app_uninstalled")), { shop });
    expect((await deliver(app, "shop/redact", body, { shop })).status).toBe(200);
    expect(await db.order.count({ where: { shop } })).toBe(0);
    expect(await db.customer.count({ where: { shop } })).toBe(0);
  });
});

describe("X-Shopify-Triggered-At", () => {
  it("refuses a delivery triggered 2 days ago, or far ahead, or without the header; takes one triggered 1 h ago", async () => {
    setNow(new Date("2026-11-20T12:00:00Z"));
    const shop = uniqueShop("stale");
    const at = (offsetMs: number) => new Date(now().getTime() + offsetMs).toISOString();
    for (const triggeredAt of [at(-48 * HOUR), at(-6 * HOUR - 60_000), at(10 * 60_000), "yesterday"]) {
      const response = await sendWebhook(app, "orders/paid", toShopifyJson(orderPayload()), { shop, triggeredAt });
      expect(response.status, triggeredAt).toBe(400);
    }
    const missing = await sendWebhook(app, "orders/paid", toShopifyJson(orderPayload()), { shop, headers: { "X-Shopify-Triggered-At": undefined } });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/x-shopify-triggered-at/);
    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(0);

    const order = orderPayload();
    expect((await deliver(app, "orders/paid", toShopifyJson(order), { shop, triggeredAt: at(-HOUR) })).status).toBe(200);
    expect((await deliver(app, "orders/paid", toShopifyJson(orderPayload()), { shop, triggeredAt: at(-5 * HOUR) })).status).toBe(200);
    expect(await db.order.count({ where: { shop } })).toBe(2);
  });
});

describe("text no database can hold, and deliveries given up on", () => {
  it("applies a customer whose name holds a lone surrogate or NUL, with the text cleaned", async () => {
    const shop = uniqueShop("surrogate");
    const id = newId();
    const customer = customerPayload({ id, email: `s-${id}@example.com`, firstName: "Ada\ud800", lastName: "Nul\u0000l" });
    const response = await deliver(app, "customers/create", JSON.stringify(customer).replace(/"(\d{16,20})"/g, "$1"), { shop });
    expect(response.status).toBe(200);
    expect(await db.customer.findUnique({ where: { shop_id: { shop, id } } })).toMatchObject({ firstName: "Ada\ufffd", lastName: "Nul\ufffdl" });
    expect(await db.webhookDelivery.findFirst({ where: { shop } })).toMatchObject({ outcome: "processed", payload: null });

    const order = orderPayload({ customer: { id: newId(), email: "o@example.com", firstName: "\udc00Bo", lastName: "Li" } });
    expect((await deliver(app, "orders/paid", toShopifyJson(order), { shop })).status).toBe(200);
    expect(await db.customer.findUnique({ where: { shop_id: { shop, id: order.customer.id } } })).toMatchObject({ firstName: "\ufffdBo" });
  });

  it("keeps topic, ids and the error of a delivery that fails for good, but not its raw body", async () => {
    const shop = uniqueShop("failing");
    const webhookId = newId();
    // The app's capabilities, and one more whose reaction to this shop's customer updates always fails.
    const failing: WebhookReaction = {
      topics: ["customers/update"],
      react: async (_tx, event) => {
        if (event.shop === shop) throw new Error("downstream refused");
      },
    };
    const capabilities = [...CAPABILITIES, { reactions: [failing], privacy: [] }];
    const id = newId();
    const body = toShopifyJson(customerPayload({ id, email: `f-${id}@example.com`, firstName: "Private", lastName: "Person" }));
    expect((await sendWebhook(app, "customers/update", body, { shop, webhookId })).status).toBe(200);
    let at = now().getTime();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      at += 2 * HOUR; // past every retry pause
      expect(await applyPendingDeliveries(capabilities, { shop, now: new Date(at) })).toBe(1);
    }
    const row = await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId } } });
    expect(row).toMatchObject({ topic: "customers/update", outcome: "failed", attempts: MAX_ATTEMPTS, payload: null });
    expect(row!.detail).toMatch(/downstream refused/);
    expect(JSON.stringify(row)).not.toMatch(/Private|Person/);
    expect(await db.customer.count({ where: { shop } })).toBe(0);
  });
});
