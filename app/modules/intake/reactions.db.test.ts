// The seam later capabilities plug into: a reaction runs once per delivery, inside the
// transaction that applies it, so a failing reaction leaves no half-applied delivery behind.
import { afterEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { acceptDelivery, applyPendingDeliveries, MAX_ATTEMPTS, type IntakeEvent, type WebhookReaction } from "~/modules/intake";
import { orderPayload, toShopifyJson } from "../../../dev/payloads";

const shopName = () => `seam-${randomUUID().slice(0, 8)}.myshopify.com`;
const at = (iso: string) => new Date(iso);
/** The reaction under test: intake is given a capability list of one capability made of it. */
let reactions: WebhookReaction[] = [];
afterEach(() => {
  reactions = [];
});

async function drain(shop: string, now: Date) {
  while ((await applyPendingDeliveries([{ reactions, privacy: [] }], { shop, now })) > 0);
}

describe("intake reactions", () => {
  it("run once per delivery with the mirrored record, and not again for a duplicate", async () => {
    const shop = shopName();
    const seen: IntakeEvent[] = [];
    const mirrored: number[] = [];
    reactions = [
      {
        topics: ["orders/paid"],
        react: async (tx, event) => {
          seen.push(event);
          // What the reaction sees of the mirror, checked outside: intake catches what a reaction throws.
          mirrored.push(await tx.order.count({ where: { shop, id: event.order!.id } }));
        },
      },
    ];
    const delivery = { shop, topic: "orders/paid", webhookId: randomUUID(), body: toShopifyJson(orderPayload()) };
    const now = at("2026-11-22T10:00:00Z");
    await acceptDelivery(delivery, now);
    await drain(shop, now);
    await acceptDelivery(delivery, now);
    await drain(shop, now);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ shop, topic: "orders/paid", write: "created", now });
    expect(mirrored).toEqual([1]); // the mirror as this delivery left it
    expect(await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId: delivery.webhookId } } })).toMatchObject({
      outcome: "processed",
      attempts: 0,
    });
  });

  it("run exactly once when several workers apply the same deliveries at the same time", async () => {
    const shop = shopName();
    const runs = new Map<string, number>();
    reactions = [
      {
        topics: ["orders/create"],
        react: async (_tx, event) => {
          runs.set(event.webhookId, (runs.get(event.webhookId) ?? 0) + 1);
        },
      },
    ];
    const now = at("2026-11-22T10:00:00Z");
    const ids = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(ids.map((webhookId) => acceptDelivery({ shop, topic: "orders/create", webhookId, body: toShopifyJson(orderPayload()) }, now)));
    await Promise.all([1, 2, 3, 4].map(() => drain(shop, now)));
    expect([...runs.values()]).toEqual(ids.map(() => 1));
    expect(await db.webhookDelivery.count({ where: { shop, outcome: "processed" } })).toBe(20);
    expect(await db.order.count({ where: { shop } })).toBe(20);
  });

  it("roll the whole delivery back when one fails, retry it later with growing pauses, then mark it failed", async () => {
    const shop = shopName();
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let fail = true;
    reactions = [
      {
        topics: ["orders/create"],
        react: async () => {
          if (fail) throw new Error("reaction failed");
        },
      },
    ];
    const webhookId = randomUUID();
    const key = { shop_webhookId: { shop, webhookId } };
    let now = at("2026-11-22T10:00:00Z");
    await acceptDelivery({ shop, topic: "orders/create", webhookId, body: toShopifyJson(orderPayload()) }, now);
    await drain(shop, now);
    const waiting = await db.webhookDelivery.findUnique({ where: key });
    expect(waiting).toMatchObject({ outcome: "pending", attempts: 1 });
    expect(waiting!.detail).toMatch(/reaction failed/);
    expect(waiting!.retryAt!.getTime()).toBeGreaterThan(now.getTime());
    expect(await db.order.count({ where: { shop } })).toBe(0);

    // Not due yet: nothing happens.
    await drain(shop, now);
    expect((await db.webhookDelivery.findUnique({ where: key }))!.attempts).toBe(1);

    fail = false;
    now = new Date(waiting!.retryAt!.getTime() + 1);
    await drain(shop, now);
    expect(await db.webhookDelivery.findUnique({ where: key })).toMatchObject({ outcome: "processed", attempts: 1, payload: null });
    expect(await db.order.count({ where: { shop } })).toBe(1);

    // One that never succeeds ends as failed, with its reason, after MAX_ATTEMPTS.
    fail = true;
    const doomed = randomUUID();
    await acceptDelivery({ shop, topic: "orders/create", webhookId: doomed, body: toShopifyJson(orderPayload()) }, now);
    const pauses: number[] = [];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await drain(shop, now);
      const { retryAt } = (await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId: doomed } } }))!;
      if (retryAt) pauses.push(retryAt.getTime() - now.getTime());
      now = new Date(now.getTime() + 2 * 3_600_000);
    }
    // 5 s after the first failed try, doubling each time (the ceiling, an hour, is not reached).
    expect(pauses).toEqual([5, 10, 20, 40, 80, 160, 320].map((seconds) => seconds * 1000));
    expect(await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId: doomed } } })).toMatchObject({
      outcome: "failed",
      attempts: MAX_ATTEMPTS,
    });
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/attempt 8: reaction failed/));
    logged.mockRestore();
  });

  it("apply the rest of a batch when one delivery in it fails, and count the failed attempt against that one only", async () => {
    const shop = shopName();
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const doomed = ids[2]!;
    const runs = new Map<string, number>();
    reactions = [
      {
        topics: ["orders/create"],
        react: async (_tx, event) => {
          if (event.webhookId === doomed) throw new Error("reaction failed");
          runs.set(event.webhookId, (runs.get(event.webhookId) ?? 0) + 1);
        },
      },
    ];
    const now = at("2026-11-22T10:00:00Z");
    for (const webhookId of ids) await acceptDelivery({ shop, topic: "orders/create", webhookId, body: toShopifyJson(orderPayload()) }, now);
    await drain(shop, now);
    expect(await db.webhookDelivery.count({ where: { shop, outcome: "processed" } })).toBe(4);
    expect(await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId: doomed } } })).toMatchObject({ outcome: "pending", attempts: 1 });
    expect(await db.order.count({ where: { shop } })).toBe(4);
    // Each good delivery's effects committed once, whether or not its batch was tried first.
    expect(await db.webhookDelivery.count({ where: { shop, attempts: { gt: 0 } } })).toBe(1);
    expect(new Set(runs.keys())).toEqual(new Set(ids.filter((id) => id !== doomed)));
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });

  it("record a topic the app does not handle as skipped", async () => {
    const shop = shopName();
    const webhookId = randomUUID();
    const now = at("2026-11-22T10:00:00Z");
    await acceptDelivery({ shop, topic: "products/update", webhookId, body: "{}" }, now);
    await drain(shop, now);
    expect(await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId } } })).toMatchObject({
      outcome: "skipped",
      detail: "topic products/update is not handled",
    });
  });
});
