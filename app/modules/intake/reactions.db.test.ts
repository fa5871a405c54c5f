// The seam later capabilities plug into: a reaction runs once per delivery, inside the
// intake transaction, so a failing reaction leaves no half-applied delivery behind.
import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { onWebhook, receiveDelivery, type IntakeEvent } from "~/modules/intake";
import { orderPayload, toShopifyJson } from "../../../tests/support/payloads";

const shopName = () => `seam-${randomUUID().slice(0, 8)}.myshopify.com`;
let unregister: (() => void) | null = null;
afterEach(() => {
  unregister?.();
  unregister = null;
});

describe("intake reactions", () => {
  it("run once per delivery with the mirrored record, and not again for a duplicate", async () => {
    const shop = shopName();
    const seen: IntakeEvent[] = [];
    unregister = onWebhook(["orders/paid"], async (tx, event) => {
      seen.push(event);
      // A reaction sees the mirror as this delivery left it.
      expect(await tx.order.count({ where: { shop, id: event.order!.id } })).toBe(1);
    });
    const delivery = { topic: "orders/paid", webhookId: randomUUID(), body: toShopifyJson(orderPayload()) };
    const now = new Date("2026-11-22T10:00:00Z");
    expect(await receiveDelivery(shop, delivery, now)).toMatchObject({ status: 200, outcome: "processed" });
    expect(await receiveDelivery(shop, delivery, now)).toMatchObject({ status: 200, outcome: "duplicate" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ shop, topic: "orders/paid", write: "created", now });
  });

  it("roll the whole delivery back when one fails, so Shopify's retry applies it again", async () => {
    const shop = shopName();
    let fail = true;
    unregister = onWebhook(["orders/create"], async () => {
      if (fail) throw new Error("reaction failed");
    });
    const delivery = { topic: "orders/create", webhookId: randomUUID(), body: toShopifyJson(orderPayload()) };
    await expect(receiveDelivery(shop, delivery)).rejects.toThrow("reaction failed");
    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(0);
    expect(await db.order.count({ where: { shop } })).toBe(0);

    fail = false;
    expect(await receiveDelivery(shop, delivery)).toMatchObject({ outcome: "processed" });
    expect(await db.order.count({ where: { shop } })).toBe(1);
  });

  it("record a topic the app does not handle as skipped", async () => {
    const shop = shopName();
    expect(await receiveDelivery(shop, { topic: "products/update", webhookId: randomUUID(), body: "{}" })).toMatchObject({
      status: 200,
      outcome: "skipped",
    });
  });
});
