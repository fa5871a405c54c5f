// The theme extension's blocks on a product page in real Chromium: the star badge and the
// reviews summary rendered by the server from the standard metafields, the review list loaded
// through the (signed) app proxy from the app, text from reviewers inert, no layout shift, and
// every script of the extension under Shopify's 10 KB compressed limit; and the structured data
// (JSON-LD) the app embed prints in the page's head. Then the block's "write a review" form, as
// a guest and as a logged-in buyer, posted through the same proxy; and its questions and
// answers, loaded when opened, with a shopper asking one.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { setReviewStatus } from "~/modules/reviews/moderation";
import { markRatingChanged } from "~/modules/reviews/ratings";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { productPage, renderBlock, startStorefront, type Storefront } from "./support/storefront";

let app: RunningApp;
let browser: Browser;
let storefront: Storefront;
let buyerStorefront: Storefront;
const BUYER = { id: "6201", first_name: "Sam", last_name: "Kaur", email: "sam@example.com" };
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
    data: {
      id: randomUUID(),
      shop,
      productId: PRODUCT.id,
      productTitle: PRODUCT.title,
      rating: 1,
      body: "Waiting for moderation",
      authorName: "X.",
      source: "email",
      status: "pending",
      createdAt: new Date(),
    },
  });
  // What the app does with every change to published reviews (written straight to the table here).
  await markRatingChanged(db, shop, [PRODUCT.id], new Date());
  const blocks = [
    await renderBlock("star-rating", PRODUCT, { star_color: "#e8a317", text_color: "#303030", show_count: true, show_when_empty: false }),
    await renderBlock("product-reviews", PRODUCT, { heading: "Customer reviews", star_color: "#e8a317", accent_color: "#2c6e49", show_questions: true }),
  ];
  const asked = (id: string, body: string, answers: { body: string; authorName: string; kind: string }[], day: number) =>
    db.question.create({
      data: {
        id,
        shop,
        productId: PRODUCT.id,
        productTitle: PRODUCT.title,
        askerName: "Ola",
        askerEmail: "ola@example.com",
        body,
        status: "published",
        answered: answers.length > 0,
        createdAt: new Date(Date.UTC(2026, 10, day)),
        publishedAt: new Date(Date.UTC(2026, 10, day)),
        answers: {
          create: answers.map((a, i) => ({
            id: `${id}-${i}`,
            shop,
            ...a,
            status: "published",
            createdAt: new Date(Date.UTC(2026, 10, day + 1)),
            publishedAt: new Date(Date.UTC(2026, 10, day + 1)),
          })),
        },
      },
    });
  await asked(
    "q-1",
    'Is it good as espresso? <img src=x onerror="window.__pwned=4">',
    [
      { body: "Yes: we roast it medium-light, lovely as a long shot.", authorName: "Larch & Ember Coffee", kind: "store" },
      { body: "I use it in a moka pot every morning.", authorName: "Maya C.", kind: "buyer" },
    ],
    3,
  );
  await asked("q-2", "Do you sell it in 1 kg bags?", [], 5);
  const structuredData = await renderBlock("review-schema", PRODUCT, {});
  const page = productPage(PRODUCT.title, blocks, { css: ["star-rating.css", "product-reviews.css"], js: ["product-reviews.js"] }, [structuredData]);
  storefront = await startStorefront({ shop, appUrl: app.url, page, secret: process.env.SHOPIFY_API_SECRET!, handle: "ethiopia-guji" });

  // The same product page for a logged-in customer who bought the product.
  await db.customer.create({ data: { shop, id: BUYER.id, email: BUYER.email, firstName: BUYER.first_name, lastName: BUYER.last_name } });
  await db.order.create({
    data: {
      shop,
      id: "7301",
      name: "#1042",
      customerId: BUYER.id,
      currency: "EUR",
      totalMinor: 1950,
      processedAt: new Date("2026-11-02T09:00:00Z"),
      shopifyUpdatedAt: new Date(),
      lineItems: { create: [{ id: "73011", productId: PRODUCT.id, title: PRODUCT.title, quantity: 1, priceMinor: 1950 }] },
    },
  });
  const buyerBlock = await renderBlock("product-reviews", PRODUCT, { heading: "Customer reviews", star_color: "#e8a317", accent_color: "#2c6e49" }, BUYER);
  const buyerPage = productPage(PRODUCT.title, [buyerBlock], { css: ["product-reviews.css"], js: ["product-reviews.js"] });
  buyerStorefront = await startStorefront({
    shop,
    appUrl: app.url,
    page: buyerPage,
    secret: process.env.SHOPIFY_API_SECRET!,
    handle: "ethiopia-guji",
    customerId: BUYER.id,
  });
});
/** A page at this size; photo URLs name the app's public address (SHOPIFY_APP_URL), which here is the test server. */
async function open(width: number, height: number) {
  const opened = await openPage(browser, width, height);
  const publicUrl = process.env.SHOPIFY_APP_URL!;
  await opened.page.route(`${publicUrl}/review-photos/**`, (route) =>
    route
      .fetch({ url: route.request().url().replace(publicUrl, app.url) })
      .then((response) => route.fulfill({ response }))
      // A test may end with a photo still loading: its page is disposed of with the request, and the photo is not needed.
      .catch(() => undefined),
  );
  return opened;
}

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await buyerStorefront?.close();
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
      const { page, problems } = await open(viewport.width, viewport.height);
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
      expect(await page.locator(".aftercare-review .aftercare-review__stars").first().getAttribute("aria-label")).toBe("5 out of 5 stars");
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
          {
            "@type": "Review",
            author: { name: "Maya C." },
            reviewBody: "Blueberry notes.</script><script>window.__pwned=3</script>",
            reviewRating: { ratingValue: 5 },
          },
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

describe("write a review on the storefront", () => {
  it("a guest (on a phone) sees a field's problem, then sends a review with a photo that waits for the merchant", async () => {
    const { page, problems } = await open(390, 844);
    await page.goto(`${storefront.url}/products/ethiopia-guji`);
    await page.getByText("Write a review").click();
    await page.locator("label[title='4 out of 5 stars']").click();
    await page.getByLabel("Title (optional)").fill("<b>Smooth</b> and sweet");
    await page.getByLabel("Your review", { exact: true }).fill("Stone fruit, honey, a clean finish.");
    await page.getByLabel("Name shown with your review").fill("Lena");
    await page.getByLabel("Email (never shown)").fill("lena@example.com");
    const photos = page.getByLabel("Photos (up to 3, optional)");
    await photos.setInputFiles({ name: "beans.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not really a picture") });
    await page.getByRole("button", { name: "Post review" }).click();
    const problem = page.locator("[data-field='photos'] .aftercare-form__error");
    await expect.poll(() => problem.count()).toBe(1);
    expect(await db.review.count({ where: { shop, source: "storefront" } })).toBe(0);

    const picture = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#7a5230" } })
      .jpeg()
      .toBuffer();
    await photos.setInputFiles({ name: "beans.jpg", mimeType: "image/jpeg", buffer: picture });
    await page.getByRole("button", { name: "Post review" }).click();
    await expect.poll(() => page.getByText("Thank you! Your review will appear once the store has read it.").isVisible()).toBe(true);
    await screenshot(page, "storefront-review-form-sent-phone");
    const review = await db.review.findFirstOrThrow({ where: { shop, source: "storefront" }, include: { photos: true } });
    expect(review).toMatchObject({
      rating: 4,
      title: "<b>Smooth</b> and sweet",
      authorName: "Lena",
      email: "lena@example.com",
      verified: false,
      status: "pending",
    });
    expect(review.photos).toHaveLength(1);
    // Once the merchant publishes it, the photo shows under it, linked to the full-size image.
    await setReviewStatus(shop, [review.id], "published", new Date());
    await page.reload();
    const photo = page.locator(".aftercare-review__photos a img").first();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator(".aftercare-review__photos a").first().getAttribute("href")).toMatch(/\/review-photos\/[\w-]+$/);
    // The browser reports the refused photo's 422 as a failed resource; nothing else went wrong.
    expect(problems.errors).toEqual([expect.stringContaining("422")]);
    await page.context().close();
  });

  it("a logged-in buyer finds their name filled in and no address asked; the review is verified and live at once", async () => {
    const { page, problems } = await open(1280, 900);
    await page.goto(`${buyerStorefront.url}/products/ethiopia-guji`);
    await page.getByText("Write a review").click();
    expect(await page.getByLabel("Name shown with your review").inputValue()).toBe("Sam K.");
    expect(await page.getByLabel("Email (never shown)").count()).toBe(0);
    await page.locator("label[title='5 out of 5 stars']").click();
    await page.getByLabel("Your review", { exact: true }).fill("The best natural I have had this year.");
    await screenshot(page, "storefront-review-form-desktop");
    await page.getByRole("button", { name: "Post review" }).click();
    await expect.poll(() => page.getByText("Thank you! Your review is live.").isVisible()).toBe(true);
    expect(await db.review.findFirst({ where: { shop, customerId: BUYER.id } })).toMatchObject({ orderId: "7301", verified: true, status: "published" });

    await page.reload();
    await expect.poll(() => page.getByText("The best natural I have had this year.").isVisible()).toBe(true);
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });
});

describe("questions and answers on the storefront", () => {
  it("load when opened, answered first, text inert; a shopper asks one that waits for the merchant", async () => {
    const { page, problems } = await open(390, 844);
    await page.goto(`${storefront.url}/products/ethiopia-guji`);
    await page.getByText("Questions & answers").click();
    await expect.poll(() => page.locator(".aftercare-qa article").count()).toBe(2);
    const questions = await page.locator(".aftercare-qa article .aftercare-review__title").allTextContents();
    expect(questions).toEqual(['Is it good as espresso? <img src=x onerror="window.__pwned=4">', "Do you sell it in 1 kg bags?"]);
    expect(await page.getByText("Answer from Larch & Ember Coffee").isVisible()).toBe(true);
    expect(await page.getByText("Maya C., verified buyer").isVisible()).toBe(true);
    expect(await page.getByText("Not answered yet").isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await page.getByText("Ask a question").click();
    await page.getByLabel("Your question").fill("Is the roast date printed on the bag?");
    await page.getByLabel("Your name").fill("Ren");
    await page.getByLabel("Email (we'll tell you when it is answered; never shown)").fill("ren@example.com");
    await page.getByRole("button", { name: "Send question" }).click();
    await expect.poll(() => page.getByText("Thank you! We'll email you when your question is answered.").isVisible()).toBe(true);
    await page.locator(".aftercare-qa").scrollIntoViewIfNeeded();
    await screenshot(page, "storefront-questions-phone");
    expect(await db.question.findFirst({ where: { shop, askerEmail: "ren@example.com" } })).toMatchObject({
      status: "pending",
      body: "Is the roast date printed on the bag?",
      productUrl: "/products/ethiopia-guji",
    });
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });
});
