// Star ratings in Shopify: the worker writes each changed product's aggregate of published
// reviews to the standard reviews.rating / reviews.rating_count metafields with metafieldsSet
// (Shopify's Admin API stood in for at the HTTP edge, answering as documented), removes them
// when no published review is left, and copes with userErrors, throttling and a second worker.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { markRatingChanged, syncProductRatings } from "~/modules/reviews/ratings";
import { uniqueShop } from "../../../tests/support/app";
import { installSession } from "../../../tests/support/admin";
import { answerAdminGraphql, standInForShopify, throttled, type ShopifyEdge } from "../../../dev/shopify/admin";

let edge: ShopifyEdge;
beforeAll(() => {
  edge = standInForShopify();
});
afterAll(() => edge.restore());

type Sent = { query: string; variables: { metafields: { ownerId: string; key: string; type?: string; value?: string }[] } };
const COST = { cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } } };

/** Answers the shop's Admin API calls in turn with `replies` (then success), recording what was sent. */
function answer(shop: string, replies: ((sent: Sent) => object)[] = []) {
  const sent: Sent[] = [];
  answerAdminGraphql(edge, shop, (request) => {
    const body = request as unknown as Sent;
    sent.push(body);
    const custom = replies[sent.length - 1];
    if (custom) return custom(body);
    if (/metafieldsDelete/.test(body.query)) {
      return {
        data: {
          metafieldsDelete: {
            deletedMetafields: body.variables.metafields.map(({ ownerId, key }) => ({ ownerId, key, namespace: "reviews" })),
            userErrors: [],
          },
        },
        extensions: COST,
      };
    }
    const metafields = body.variables.metafields.map(({ key, ownerId }) => ({ key, namespace: "reviews", owner: { id: ownerId } }));
    return { data: { metafieldsSet: { metafields, userErrors: [] } }, extensions: COST };
  });
  return sent;
}

async function shopWithReviews(ratings: Record<string, number[]>) {
  const shop = uniqueShop("ratings");
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "Star Goods", installedAt: new Date() } });
  for (const [productId, stars] of Object.entries(ratings)) {
    for (const rating of stars) {
      await db.review.create({
        data: {
          id: randomUUID(),
          shop,
          productId,
          productTitle: `Product ${productId}`,
          rating,
          body: "Fine.",
          authorName: "A. B.",
          source: "email",
          status: "published",
          createdAt: new Date(),
        },
      });
    }
  }
  await markRatingChanged(db, shop, Object.keys(ratings), new Date("2026-11-20T10:00:00Z"));
  return shop;
}
const rows = (shop: string) => db.productRatingSync.findMany({ where: { shop }, orderBy: { productId: "asc" } });

describe("star rating sync", () => {
  it("writes the standard rating and count metafields once per change, and nothing when nothing changed", async () => {
    const shop = await shopWithReviews({ "101": [4, 5], "102": [5] });
    const sent = answer(shop);
    const now = new Date("2026-11-20T10:00:05Z");
    expect(await syncProductRatings(now, { shop })).toEqual({ synced: 2, retrying: 0, failed: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query).toContain("metafieldsSet");
    const recent = (rating: number) => ({ author: "A. B.", rating, title: null, body: "Fine.", date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
    const [r101, c101, j101, r102, c102, j102, ...more] = sent[0]!.variables.metafields;
    expect(more).toEqual([]);
    expect([r101, c101, r102, c102]).toEqual([
      {
        ownerId: "gid://shopify/Product/101",
        namespace: "reviews",
        key: "rating",
        type: "rating",
        value: '{"value":"4.50","scale_min":"1.0","scale_max":"5.0"}',
      },
      { ownerId: "gid://shopify/Product/101", namespace: "reviews", key: "rating_count", type: "number_integer", value: "2" },
      {
        ownerId: "gid://shopify/Product/102",
        namespace: "reviews",
        key: "rating",
        type: "rating",
        value: '{"value":"5.00","scale_min":"1.0","scale_max":"5.0"}',
      },
      { ownerId: "gid://shopify/Product/102", namespace: "reviews", key: "rating_count", type: "number_integer", value: "1" },
    ]);
    // The latest reviews, for the structured data the theme prints.
    expect(j101).toMatchObject({ ownerId: "gid://shopify/Product/101", namespace: "aftercare", key: "recent_reviews", type: "json" });
    expect(JSON.parse(j101!.value!)).toEqual(expect.arrayContaining([recent(4), recent(5)]));
    expect(JSON.parse(j102!.value!)).toEqual([recent(5)]);
    expect(await syncProductRatings(new Date("2026-11-20T10:01:00Z"), { shop })).toEqual({ synced: 0, retrying: 0, failed: 0 });
    expect(sent).toHaveLength(1);

    // The last published review of 102 is hidden: its stars are removed, not set to zero.
    await db.review.updateMany({ where: { shop, productId: "102" }, data: { status: "hidden" } });
    await markRatingChanged(db, shop, ["102"], new Date("2026-11-20T11:00:00Z"));
    await syncProductRatings(new Date("2026-11-20T11:00:01Z"), { shop });
    expect(sent[1]!.query).toContain("metafieldsDelete");
    expect(sent[1]!.variables.metafields).toEqual([
      { ownerId: "gid://shopify/Product/102", namespace: "reviews", key: "rating" },
      { ownerId: "gid://shopify/Product/102", namespace: "reviews", key: "rating_count" },
      { ownerId: "gid://shopify/Product/102", namespace: "aftercare", key: "recent_reviews" },
    ]);
    expect((await rows(shop)).every((row) => row.syncedAt?.getTime() === row.changedAt.getTime())).toBe(true);
  });

  it("keeps a product Shopify refuses aside with its error, and sends the others again at once", async () => {
    const shop = await shopWithReviews({ "201": [3], "202": [4] });
    const sent = answer(shop, [
      () => ({
        data: {
          metafieldsSet: {
            metafields: [],
            userErrors: [{ field: ["metafields", "3", "ownerId"], message: "Owner does not exist", code: "INVALID", elementIndex: 3 }],
          },
        },
        extensions: COST,
      }),
    ]);
    const now = new Date("2026-11-20T10:00:05Z");
    expect(await syncProductRatings(now, { shop })).toMatchObject({ synced: 0, failed: 1 });
    const [first, refused] = await rows(shop);
    expect(refused).toMatchObject({ productId: "202", attempts: 1, lastError: "Owner does not exist", syncedAt: null });
    expect(first).toMatchObject({ productId: "201", attempts: 0, syncedAt: null });
    expect(await syncProductRatings(now, { shop })).toMatchObject({ synced: 1 });
    expect(new Set(sent[1]!.variables.metafields.map((m) => m.ownerId))).toEqual(new Set(["gid://shopify/Product/201"]));
    expect((await rows(shop))[1]!.retryAt!.getTime()).toBeGreaterThan(now.getTime());
  });

  it("waits with growing pauses when throttled, then catches up", async () => {
    const shop = await shopWithReviews({ "301": [5] });
    const sent = answer(shop, [() => throttled(), () => throttled()]);
    const start = new Date("2026-11-20T10:00:05Z").getTime();
    expect(await syncProductRatings(new Date(start), { shop })).toMatchObject({ retrying: 1 });
    const once = (await rows(shop))[0]!;
    expect(once).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/Throttled/) });
    expect(once.retryAt!.getTime() - start).toBe(2000);
    expect(await syncProductRatings(new Date(start + 1000), { shop })).toMatchObject({ synced: 0, retrying: 0 }); // still resting
    await syncProductRatings(new Date(start + 2000), { shop });
    expect((await rows(shop))[0]!.retryAt!.getTime() - (start + 2000)).toBe(4000);
    expect(await syncProductRatings(new Date(start + 6000), { shop })).toMatchObject({ synced: 1 });
    expect(sent).toHaveLength(3);
  });

  it("two workers at once write each product once", async () => {
    const shop = await shopWithReviews(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`4${String(i).padStart(2, "0")}`, [4]])));
    const sent = answer(shop);
    const now = new Date("2026-11-20T10:00:05Z");
    const reports = await Promise.all([syncProductRatings(now, { shop }), syncProductRatings(now, { shop })]);
    expect(reports[0]!.synced + reports[1]!.synced).toBe(30);
    const written = sent.flatMap((call) => call.variables.metafields.filter((m) => m.key === "rating").map((m) => m.ownerId));
    expect(written).toHaveLength(30);
    expect(new Set(written).size).toBe(30);
    expect(sent.every((call) => call.variables.metafields.length <= 25)).toBe(true);
  });
});
