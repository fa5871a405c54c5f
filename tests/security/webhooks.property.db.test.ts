// Runs on SQLite and PostgreSQL: each refuses different text (PostgreSQL: NUL, lone surrogates).
// Random and malformed webhooks, headers and bodies, through real HTTP into the built server:
// never a 5xx, never a crash, and a delivery is stored whole or not at all; once applied, a
// refused one has left nothing in the mirror and an accepted one is applied or skipped, never stuck.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { now } from "~/modules/clock";
import { TOPICS } from "~/modules/intake";
import { applyIntake, sendWebhook, startApp, uniqueShop, type RunningApp } from "../support/app";
import { customerPayload, newId, orderPayload, toShopifyJson } from "../support/payloads";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const HOUR = 3_600_000;
const oddText = fc.oneof(fc.string(), fc.fullUnicodeString(), fc.constantFrom("\ud800", "Ana\udc00", "\u0000", "\ud83d\ude00", "é".repeat(500)));
const json = (value: unknown) => toShopifyJson(value);

/** A body for `shop`: Shopify-shaped with odd values, other shops' privacy requests, or no JSON at all. */
const body: fc.Arbitrary<(shop: string) => string> = fc.oneof(
  fc.record({ first: oddText, last: oddText }).map(({ first, last }) => () => {
    const id = newId();
    return json(customerPayload({ id, email: `p-${id}@example.com`, firstName: first, lastName: last }));
  }),
  fc
    .record({ key: fc.constantFrom("id", "currency", "line_items", "customer", "updated_at", "total_price", "fulfillments", "refunds"), value: fc.jsonValue() })
    .map(
      ({ key, value }) =>
        () =>
          json({ ...orderPayload(), [key]: value }),
    ),
  fc
    .record({ ownShop: fc.boolean(), id: fc.oneof(fc.constant(newId()), fc.jsonValue()), extra: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }) })
    .map(
      ({ ownShop, id, extra }) =>
        (shop: string) =>
          json({ shop_id: 1, shop_domain: ownShop ? shop : "other.myshopify.com", customer: { id }, orders_to_redact: [], ...extra }),
    ),
  fc.jsonValue().map((value) => () => JSON.stringify(value) ?? "null"),
  fc.oneof(fc.string(), fc.fullUnicodeString(), fc.constantFrom("", "{", '{"id": 1,', "\ud800", "[".repeat(5000))).map((text) => () => text),
);

const HEADERS = [
  "X-Shopify-Topic",
  "X-Shopify-Hmac-Sha256",
  "X-Shopify-Shop-Domain",
  "X-Shopify-API-Version",
  "X-Shopify-Webhook-Id",
  "X-Shopify-Triggered-At",
];

const delivery = fc.record({
  topic: fc.oneof(fc.constantFrom(...TOPICS), fc.constantFrom("orders/delete", "", "orders/paid/../../shop/redact")),
  samePath: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  pathTopic: fc.constantFrom(...TOPICS),
  signed: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  validShop: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  triggeredOffset: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -72 * HOUR, max: HOUR }) }),
  dropped: fc.oneof({ weight: 5, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.subarray(HEADERS, { minLength: 1 }) }),
  body,
});

describe("webhooks, random and malformed", () => {
  it("never answer 5xx, store a delivery whole or not at all, and leave nothing of a refused one", async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async (d) => {
        const shop = uniqueShop("prop");
        const webhookId = newId();
        const raw = d.body(shop);
        const headers: Record<string, string | undefined> = {
          "X-Shopify-Shop-Domain": d.validShop ? shop : "evil.example.com",
          "X-Shopify-Triggered-At": new Date(now().getTime() + d.triggeredOffset).toISOString(),
          ...(d.signed ? {} : { "X-Shopify-Hmac-Sha256": "bm90IGEgc2lnbmF0dXJl" }),
        };
        for (const name of d.dropped) headers[name] = undefined;
        const path = `/webhooks/${d.samePath ? d.topic : d.pathTopic}`;
        const response = await sendWebhook(app, d.topic, raw, { shop, webhookId, path, headers });
        expect([200, 400, 401, 413]).toContain(response.status);

        const stored = await db.webhookDelivery.findMany({ where: { shop } });
        if (response.status !== 200) {
          expect(stored).toEqual([]);
        } else {
          expect(stored).toHaveLength(1);
          expect(stored[0]).toMatchObject({ webhookId, topic: d.topic, payload: Buffer.from(raw, "utf8").toString("utf8") });
        }
        await applyIntake(shop);
        const row = await db.webhookDelivery.findFirst({ where: { shop } });
        if (row) expect(["processed", "skipped"]).toContain(row.outcome);
        if (response.status !== 200) {
          const held = await Promise.all([
            db.order.count({ where: { shop } }),
            db.lineItem.count({ where: { shop } }),
            db.customer.count({ where: { shop } }),
            db.fulfillment.count({ where: { shop } }),
            db.refund.count({ where: { shop } }),
          ]);
          expect(held).toEqual([0, 0, 0, 0, 0]);
        }
      }),
      { numRuns: 150 },
    );
    // Still serving.
    const shop = uniqueShop("after");
    expect((await sendWebhook(app, "orders/paid", json(orderPayload()), { shop })).status).toBe(200);
  }, 120_000);
});
