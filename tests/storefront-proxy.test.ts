// The storefront's review list through Shopify's app proxy: only requests Shopify signed (and
// recently) are answered; published reviews only, a page at a time with the histogram; text as
// written inside JSON; cache headers and ETag revalidation.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { proxySignature } from "~/modules/storefront/proxy";
import { startApp, uniqueShop, type RunningApp } from "./support/app";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

/** The URL Shopify forwards a storefront request to, with the parameters and signature it adds. */
function proxied(shop: string, query: Record<string, string>, options: { secret?: string; timestamp?: number } = {}) {
  const params = new URLSearchParams({
    ...query,
    shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/aftercare",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
  });
  params.set("signature", proxySignature(params, options.secret ?? process.env.SHOPIFY_API_SECRET!));
  return `${app.url}/proxy/reviews?${params}`;
}

async function review(shop: string, productId: string, rating: number, status: string, extra: object = {}) {
  await db.review.create({
    data: { id: randomUUID(), shop, productId, productTitle: "Mug", rating, body: "Nice.", authorName: "A. B.", source: "email", status, verified: true, createdAt: new Date(), ...extra },
  });
}

describe("app proxy review list", () => {
  it("signs as Shopify documents it", () => {
    const params = new URLSearchParams("extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555");
    expect(proxySignature(params, "hush")).toBe("4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb");
  });

  it("answers a signed request with one page of published reviews, the histogram and replies; text stays text", async () => {
    const shop = uniqueShop("proxy");
    for (const rating of [5, 5, 4, 2]) await review(shop, "77", rating, "published");
    await review(shop, "77", 1, "pending");
    await review(shop, "77", 1, "hidden");
    await review(shop, "77", 5, "published", { title: '<img src=x onerror="alert(1)">', reply: "Thanks!" });
    await review(uniqueShop("other"), "77", 1, "published");

    const response = await fetch(proxied(shop, { product_id: "77" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");
    const body = await response.json();
    expect(body).toMatchObject({ productId: "77", count: 5, average: 4.2, histogram: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 3 }, page: 1, pages: 1 });
    expect(body.reviews).toHaveLength(5);
    expect(body.reviews.find((r: { reply: string | null }) => r.reply)).toMatchObject({ title: '<img src=x onerror="alert(1)">', reply: "Thanks!" });

    const lowest = await (await fetch(proxied(shop, { product_id: "77", sort: "lowest" }))).json();
    expect(lowest.reviews.map((r: { rating: number }) => r.rating)).toEqual([2, 4, 5, 5, 5]);

    const again = await fetch(proxied(shop, { product_id: "77" }), { headers: { "If-None-Match": response.headers.get("etag")! } });
    expect(again.status).toBe(304);
    await again.body?.cancel();
  });

  it("refuses a bad or stale signature, and a request without a product", async () => {
    const shop = uniqueShop("proxy");
    const forged = await fetch(proxied(shop, { product_id: "77" }, { secret: "not-the-secret" }));
    expect(forged.status).toBe(401);
    await forged.body?.cancel();
    const stale = await fetch(proxied(shop, { product_id: "77" }, { timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale.status).toBe(401);
    await stale.body?.cancel();
    const tampered = proxied(shop, { product_id: "77" }).replace("product_id=77", "product_id=78");
    expect((await fetch(tampered)).status).toBe(401);
    const missing = await fetch(proxied(shop, {}));
    expect(missing.status).toBe(400);
    await missing.body?.cancel();
  });
});
