// The theme extension's blocks on a product page in real Chromium: the star badge and the
// reviews summary rendered by the server from the standard metafields, the review list loaded
// through the (signed) app proxy from the app, text from reviewers inert, no layout shift, and
// every script of the extension under Shopify's 10 KB compressed limit; and the structured data
// (JSON-LD) the app embed prints in the page's head.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { markRatingChanged } from "~/modules/reviews/ratings";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { productPage, renderBlock, startStorefront, type Storefront } from "./support/storefront";

let app: RunningApp;
let browser: Browser;
let storefront: Storefront;
const shop = uniqueShop("widget");
const PRODUCT = {
  id: "8101000000001",
  title: "Ethiopia Guji Natural",
  handle: "ethiopia-guji",
  rating: 4.33,
  ratingCount: 12,
  recent: [
    { author: "Maya C.", rating: 5, title: "Bright and fruity", body: "Blueberry notes.</script><script>window.__pwned=3</script>", date: "2026-11-01" },
    { author: "Priya N.", rating: 4, title: null, body: "Good beans, fresh roast.", date: "2026-10-31" },
  ],
};

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const ratings = [5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 3, 4];
  for (const [i, rating] of ratings.entries()) {
    await db.review.create({
      data: {
        id: randomUUID(),
        shop,
        productId: PRODUCT.id,
        productTitle: PRODUCT.title,
        rating,
        title: i === 0 ? '<img src=x onerror="window.__pwned=1">Bright and fruity' : i === 1 ? "My morning cup" : null,
        body: i === 0 ? "Blueberry notes, lovely as pour-over.\n<script>window.__pwned=2</script>" : `Review number ${i + 1}: good beans, fresh roast.`,
        authorName: ["Maya C.", "Priya N.", "Tomás R."][i % 3]!,
        verified: i % 2 === 0,
        source: "email",
        status: "published",
        reply: i === 0 ? "Thank you, Maya! The next lot lands in March." : null,
        createdAt: new Date(Date.parse("2026-11-01T10:00:00Z") - i * 86_400_000),
      },
    });
  }
  await db.review.create({
    data: { id: randomUUID(), shop, productId: PRODUCT.id, productTitle: PRODUCT.title, rating: 1, body: "Waiting for moderation", authorName: "X.", source: "email", status: "pending", createdAt: new Date() },
  });
  // What the app does with every change to published reviews (written straight to the table here).
  await markRatingChanged(db, shop, [PRODUCT.id], new Date());
  const blocks = [
    await renderBlock("star-rating", PRODUCT, { star_color: "#e8a317", text_color: "#303030", show_count: true, show_when_empty: false }),
    await renderBlock("product-reviews", PRODUCT, { heading: "Customer reviews", star_color: "#e8a317", accent_color: "#2c6e49" }),
  ];
  const structuredData = await renderBlock("review-schema", PRODUCT, {});
  const page = productPage(PRODUCT.title, blocks, { css: ["star-rating.css", "product-reviews.css"], js: ["product-reviews.js"] }, [structuredData]);
  storefront = await startStorefront({ shop, appUrl: app.url, page, secret: process.env.SHOPIFY_API_SECRET!, handle: "ethiopia-guji" });
});
afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await app?.close();
});

describe("storefront blocks", () => {
  it("every script of the extension is under 10 KB compressed", () => {
    const dir = new URL("../extensions/aftercare-theme/assets/", import.meta.url);
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".js"))) {
      expect(gzipSync(readFileSync(new URL(name, dir))).length, name).toBeLessThan(10 * 1024);
    }
  });

  for (const viewport of [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    it(`show stars and reviews on a product page (${viewport.name}), loaded through the app proxy, with nothing injected and no layout shift`, async () => {
      const { page, problems } = await openPage(browser, viewport.width, viewport.height);
      await page.addInitScript(() => {
        (window as unknown as { __cls: number }).__cls = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) (window as unknown as { __cls: number }).__cls += entry.value;
          }
        }).observe({ type: "layout-shift", buffered: true });
      });
      await page.goto(`${storefront.url}/products/ethiopia-guji`, { waitUntil: "domcontentloaded" });
      // Server-rendered, before any script: the badge and the summary.
      expect(await page.locator(".aftercare-stars__count").textContent()).toContain("(12 reviews)");
      expect(await page.getByText("Based on 12 reviews").isVisible()).toBe(true);

      await expect.poll(() => page.locator(".aftercare-review").count()).toBe(10);
      expect(await page.getByText("Bright and fruity", { exact: false }).first().isVisible()).toBe(true);
      expect(await page.getByText("Thank you, Maya! The next lot lands in March.").isVisible()).toBe(true);
      expect(await page.getByText("Waiting for moderation").count()).toBe(0);
      await page.getByRole("button", { name: "Show more reviews" }).click();
      await expect.poll(() => page.locator(".aftercare-review").count()).toBe(12);
      expect(await page.getByRole("button", { name: "Show more reviews" }).isVisible()).toBe(false);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator(".aftercare-review img[src='x']").count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { __cls: number }).__cls)).toBeLessThan(0.1);

      // Structured data in the server's HTML: the aggregate and the latest reviews, valid JSON, inert text.
      const [jsonLd, ...others] = await page.locator('script[type="application/ld+json"]').allTextContents();
      expect(others).toEqual([]);
      expect(JSON.parse(jsonLd!)).toMatchObject({
        "@type": "Product",
        name: "Ethiopia Guji Natural",
        url: "https://larch-and-ember.example/products/ethiopia-guji",
        aggregateRating: { "@type": "AggregateRating", ratingValue: 4.33, bestRating: 5, reviewCount: 12 },
        review: [
          { "@type": "Review", author: { name: "Maya C." }, reviewBody: "Blueberry notes.</script><script>window.__pwned=3</script>", reviewRating: { ratingValue: 5 } },
          { "@type": "Review", author: { name: "Priya N." }, name: null },
        ],
      });

      await page.locator(".aftercare-reviews").scrollIntoViewIfNeeded();
      await screenshot(page, `storefront-reviews-${viewport.name}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    });
  }
});
