// Lists longer than one query takes (Prisma allows a SQLite statement 999 values): a
// customers/redact naming more than a thousand orders, and a bulk action naming more than a
// thousand reviews, do all their work on both databases instead of failing.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { setReviewStatus } from "~/modules/reviews/moderation";
import { setQuestionStatus } from "~/modules/questions/moderation";
import { importReviewsCsv } from "~/modules/reviews/csv";
import { deliver, startApp, uniqueShop, type RunningApp } from "../support/app";
import { installSession } from "../support/admin";
import { newId, orderPayload, toShopifyJson } from "../support/payloads";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const MANY = 1_200;

describe("long lists", () => {
  it("customers/redact naming more orders than a query takes anonymises every one", async () => {
    const shop = uniqueShop("many-orders");
    await installSession(shop);
    const who = { id: newId(), email: `many.${randomUUID().slice(0, 8)}@example.com`, firstName: "Mo", lastName: "Orders" };
    const order = orderPayload({ customer: who });
    await deliver(app, "orders/paid", toShopifyJson(order), { shop });
    const orderIds = [...Array.from({ length: MANY - 1 }, () => newId()), order.id as string];
    const webhookId = randomUUID();
    const body = toShopifyJson({ shop_id: 954889, shop_domain: shop, customer: { id: who.id, email: who.email }, orders_to_redact: orderIds });
    expect((await deliver(app, "customers/redact", body, { shop, webhookId })).status).toBe(200);
    expect(await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId } }, select: { outcome: true, detail: true } })).toEqual({
      outcome: "processed",
      detail: "redacted 1 customer(s), anonymised 1 order(s)",
    });
    expect(await db.order.findUnique({ where: { shop_id: { shop, id: order.id as string } }, select: { customerId: true, email: true } })).toEqual({
      customerId: null,
      email: null,
    });
  });

  it("publishing and hiding more reviews and questions than a query takes changes every one", async () => {
    const shop = uniqueShop("many-ids");
    const lines = ["product_id,product_title,rating,body,author,status,created_at"];
    for (let i = 0; i < MANY; i++) lines.push(`${9_000 + (i % 40)},Beans,4,Review ${i},Writer ${i},pending,2025-02-01`);
    expect(await importReviewsCsv(shop, lines.join("\n"), new Date())).toEqual({ imported: MANY, duplicates: 0 });
    const ids = (await db.review.findMany({ where: { shop }, select: { id: true } })).map((r) => r.id);
    expect(await setReviewStatus(shop, ids, "published", new Date())).toBe(MANY);
    expect(await db.review.count({ where: { shop, status: "published" } })).toBe(MANY);
    expect(await setReviewStatus(shop, ids, "hidden", new Date())).toBe(MANY);

    await db.question.createMany({
      data: Array.from({ length: MANY }, (_, i) => ({
        id: `${shop}-q${i}`,
        shop,
        productId: "9000",
        productTitle: "Beans",
        body: `Question ${i}?`,
        askerName: "Asker",
        askerEmail: "asker@example.com",
        status: "pending",
        createdAt: new Date(),
      })),
    });
    const questionIds = Array.from({ length: MANY }, (_, i) => `${shop}-q${i}`);
    expect(await setQuestionStatus(shop, questionIds, "hidden", new Date())).toBe(MANY);
    expect(await db.question.count({ where: { shop, status: "hidden" } })).toBe(MANY);
  });
});
