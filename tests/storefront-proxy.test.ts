// The storefront's review list through Shopify's app proxy: only requests Shopify signed (and
// recently) are answered; published reviews only, a page at a time with the histogram; text as
// written inside JSON; cache headers and ETag revalidation. And the widget's "write a review"
// form posted through the proxy: verified for a logged-in buyer, waiting for anyone else,
// one per order item or address, limited per shopper's address.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import db from "~/db.server";
import { CAPABILITIES } from "~/modules/capabilities";
import { redactCustomer } from "~/modules/privacy";
import { markRatingChanged } from "~/modules/reviews/ratings";
import { proxySignature } from "~/edge/proxy";
import { startApp, uniqueShop, type RunningApp } from "./support/app";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

/** The URL Shopify forwards a storefront request to, with the parameters and signature it adds. */
function proxied(shop: string, query: Record<string, string>, options: { secret?: string; timestamp?: number; customerId?: string } = {}) {
  const params = new URLSearchParams({
    ...query,
    shop,
    logged_in_customer_id: options.customerId ?? "",
    path_prefix: "/apps/aftercare",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
  });
  params.set("signature", proxySignature(params, options.secret ?? process.env.SHOPIFY_API_SECRET!));
  return `${app.url}/proxy/reviews?${params}`;
}

/** A review written straight to the table, then counted as the app counts every change to published reviews. */
async function review(
  shop: string,
  productId: string,
  rating: number,
  status: string,
  extra: { createdAt?: Date; title?: string; reply?: string; photos?: number } = {},
) {
  const { photos = 0, ...fields } = extra;
  const id = randomUUID();
  await db.review.create({
    data: {
      id,
      shop,
      productId,
      productTitle: "Mug",
      rating,
      body: "Nice.",
      authorName: "A. B.",
      source: "email",
      status,
      verified: true,
      createdAt: new Date(),
      ...fields,
    },
  });
  for (let position = photos - 1; position >= 0; position--) {
    await db.reviewPhoto.create({
      data: {
        id: `${id}-photo-${position}`,
        shop,
        reviewId: id,
        position,
        mimeType: "image/webp",
        width: 400 + position,
        height: 300,
        bytes: Buffer.from("webp"),
      },
    });
  }
  await markRatingChanged(db, shop, [productId], new Date());
  return id;
}

describe("app proxy review list", () => {
  it("signs as Shopify documents it", () => {
    const params = new URLSearchParams(
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
    );
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

  it("pages through a product's reviews in each order, with each review's photos in their order", async () => {
    const shop = uniqueShop("proxy");
    const day = (n: number) => new Date(Date.UTC(2026, 10, n, 12));
    // 23 published reviews a day apart (review n on day n), every fifth with photos; one waiting with a photo.
    const ids: string[] = [];
    for (let n = 1; n <= 23; n++) ids.push(await review(shop, "88", 1 + (n % 5), "published", { createdAt: day(n), photos: n % 5 === 0 ? 1 + (n % 3) : 0 }));
    await review(shop, "88", 5, "pending", { createdAt: day(24), photos: 1 });
    const get = async (query: Record<string, string>) => (await fetch(proxied(shop, { product_id: "88", ...query }))).json();

    const first = await get({});
    expect(first).toMatchObject({ count: 23, histogram: { 1: 4, 2: 5, 3: 5, 4: 5, 5: 4 }, average: 3, sort: "newest", page: 1, pages: 3 });
    expect(first.reviews.map((r: { id: string }) => r.id)).toEqual(ids.slice(13).reverse());
    expect(first.reviews[0]).toEqual({
      id: ids[22],
      rating: 4,
      title: null,
      body: "Nice.",
      author: "A. B.",
      verified: true,
      date: "2026-11-23",
      reply: null,
      photos: [],
    });
    const third = await get({ page: "3" });
    expect(third.reviews.map((r: { id: string }) => r.id)).toEqual(ids.slice(0, 3).reverse());
    expect((await get({ page: "4" })).reviews).toEqual([]);

    // Only reviews with photos, newest first; each photo by position, at the app's own URL.
    const photos = await get({ sort: "photos" });
    expect(photos).toMatchObject({ count: 23, sort: "photos", pages: 1 });
    expect(photos.reviews.map((r: { id: string }) => r.id)).toEqual([ids[19], ids[14], ids[9], ids[4]]);
    expect(photos.reviews[0].photos).toEqual([
      { url: `https://aftercare.test/review-photos/${ids[19]}-photo-0`, width: 400, height: 300 },
      { url: `https://aftercare.test/review-photos/${ids[19]}-photo-1`, width: 401, height: 300 },
      { url: `https://aftercare.test/review-photos/${ids[19]}-photo-2`, width: 402, height: 300 },
    ]);
    expect(photos.reviews.map((r: { photos: unknown[] }) => r.photos.length)).toEqual([3, 1, 2, 3]);

    // Highest and lowest first; the newest first among equal stars.
    const highest = await get({ sort: "highest" });
    expect(highest.reviews.map((r: { rating: number; date: string }) => [r.rating, r.date]).slice(0, 5)).toEqual([
      [5, "2026-11-19"],
      [5, "2026-11-14"],
      [5, "2026-11-09"],
      [5, "2026-11-04"],
      [4, "2026-11-23"],
    ]);
    const lowest = await get({ sort: "lowest", page: "3" });
    expect(lowest.reviews.map((r: { rating: number }) => r.rating)).toEqual([5, 5, 5]);
  });

  it("answers the same through the Remix route (what `shopify app dev` serves), and the fast path takes only GET", async () => {
    const shop = uniqueShop("proxy");
    await review(shop, "99", 4, "published", { photos: 2, reply: "Thanks" });
    const url = proxied(shop, { product_id: "99" });
    const fast = await fetch(url);
    // Built by `npm test` before the suite runs (so not a static import the type-check would resolve).
    const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
    const viaRemix = await createRequestHandler(build, "production")(new Request(url));
    expect(viaRemix.status).toBe(200);
    expect(viaRemix.headers.get("etag")).toBe(fast.headers.get("etag"));
    expect(viaRemix.headers.get("cache-control")).toBe(fast.headers.get("cache-control"));
    expect(await viaRemix.text()).toBe(await fast.text());
    const revalidated = await createRequestHandler(build, "production")(new Request(url, { headers: { "If-None-Match": fast.headers.get("etag")! } }));
    expect(revalidated.status).toBe(304);

    // Anything but GET is the Remix route's business (the storefront form posts there).
    const posted = await fetch(url, { method: "POST", body: new URLSearchParams({ rating: "5" }) });
    expect(posted.status).toBe(400);
    expect(await posted.json()).toEqual({ error: "product_id (digits) is required" }); // the review form's own answer
  });
});

describe("storefront review form", () => {
  const PRODUCT = { product_id: "4321" };
  let address = 0;
  /** Posts the widget's form as Shopify forwards it: multipart body, signed query, the shopper's address. */
  function post(shop: string, fields: Record<string, string>, options: { customerId?: string; secret?: string; from?: string } = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...PRODUCT, ...fields })) form.set(name, value);
    return fetch(proxied(shop, {}, options), {
      method: "POST",
      body: form,
      headers: { "X-Forwarded-For": `10.0.0.1, ${options.from ?? `203.0.113.${++address}`}` },
    });
  }
  const draft = { rating: "4", title: '<script>alert("t")</script>', body: "Oiled nicely, heavy enough not to slide.", authorName: "Ana" };

  /** Someone's order of the product: the mirror knows it, with the store's title. */
  async function buyer(shop: string, customerId: string, orders: string[]) {
    await db.customer.create({ data: { shop, id: customerId, email: "sam@example.com", firstName: "Sam", lastName: "Kaur" } });
    for (const [i, id] of orders.entries()) {
      await db.order.create({
        data: {
          shop,
          id,
          name: `#10${i}`,
          customerId,
          currency: "EUR",
          totalMinor: 4500,
          processedAt: new Date(Date.UTC(2026, 9, 1 + i)),
          shopifyUpdatedAt: new Date(),
          createdAt: new Date(Date.UTC(2026, 9, 1 + i)),
          lineItems: { create: [{ id: `${id}1`, productId: PRODUCT.product_id, title: "Walnut Serving Board", quantity: 1, priceMinor: 4500 }] },
        },
      });
    }
  }

  it("refuses an unsigned post and stores nothing", async () => {
    const shop = uniqueShop("form");
    const response = await post(shop, { ...draft, email: "a@example.com" }, { secret: "not-the-secret" });
    expect(response.status).toBe(401);
    expect(await db.review.count({ where: { shop } })).toBe(0);
  });

  it("a guest's review waits for the merchant, unverified, with the address kept (never shown) and the text exactly as typed", async () => {
    const shop = uniqueShop("form");
    await buyer(shop, "601", ["9601"]);
    const missing = await post(shop, draft);
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors).toEqual({ email: expect.stringContaining("email") });

    const saved = await post(shop, { ...draft, email: " Ana@Example.com " });
    expect(saved.status).toBe(201);
    expect(await saved.json()).toEqual({ status: "pending" });
    const review = await db.review.findFirstOrThrow({ where: { shop } });
    expect(review).toMatchObject({
      productId: "4321",
      productTitle: "Walnut Serving Board",
      status: "pending",
      verified: false,
      source: "storefront",
      email: "ana@example.com",
      orderId: null,
      title: draft.title,
    });

    const again = await post(shop, { ...draft, email: "ana@example.com" });
    expect(again.status).toBe(409);
    const list = await (await fetch(proxied(shop, { product_id: "4321" }))).json();
    expect(list.count).toBe(0);

    // customers/redact with that address erases the guest's review.
    await db.$transaction((tx) =>
      redactCustomer(tx, shop, { customerId: null, email: "ana@example.com", phone: null, orderIds: [], requestId: null }, CAPABILITIES),
    );
    expect(await db.review.count({ where: { shop } })).toBe(0);
  });

  it("a logged-in customer who bought it writes a verified review of each order, published by the store's rule; one who did not, an unverified one", async () => {
    const shop = uniqueShop("form");
    await buyer(shop, "501", ["9001", "9002"]);
    const first = await post(shop, { ...draft, rating: "5", title: "Lovely board" }, { customerId: "501" });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ status: "published" });
    const second = await post(shop, { ...draft, rating: "2", title: "Second one warped" }, { customerId: "501" });
    expect(await second.json()).toEqual({ status: "pending" });
    const third = await post(shop, draft, { customerId: "501" });
    expect(third.status).toBe(409);

    const reviews = await db.review.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
    expect(reviews.map((r) => [r.orderId, r.verified, r.status, r.customerId, r.email])).toEqual([
      ["9002", true, "published", "501", null],
      ["9001", true, "pending", "501", null],
    ]);
    expect(await db.productRatingSync.count({ where: { shop, productId: "4321" } })).toBe(1);
    expect(await db.customerCase.count({ where: { shop, kind: "low_rating", orderId: "9001" } })).toBe(1);

    const stranger = await post(shop, draft, { customerId: "777" });
    expect(await stranger.json()).toEqual({ status: "pending" });
    expect(await db.review.findFirst({ where: { shop, customerId: "777" } })).toMatchObject({ verified: false, orderId: null });
  });

  it("limits submissions per shopper's address", async () => {
    const shop = uniqueShop("form");
    await buyer(shop, "601", ["9601"]);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(shop, { ...draft, email: `guest${i}@example.com` }, { from: "198.51.100.7" })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect((await post(shop, { ...draft, email: "other@example.com" }, { from: "198.51.100.8" })).status).toBe(201);
  });
});
