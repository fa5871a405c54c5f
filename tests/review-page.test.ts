// The review page a review request opens, end to end: the email's star link in real Chromium
// on a phone, a photo straight off a camera (GPS in its EXIF), the review stored and served,
// script in the text inert, and the rules: one review per item, auto-publish, low ratings
// opening a case, the reminder cancelled once something was reviewed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createMailer } from "~/modules/messaging/mailer";
import { deliver, startApp, type RunningApp } from "./support/app";
import { installSession, sessionToken } from "./support/admin";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { BEANS, customer, GRINDER, installShop, MUG, runWorkerAt } from "./support/followups";
import { fulfillmentPayload, orderPayload, toShopifyJson } from "./support/payloads";

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const outbox = createMailer("");

/** A shop whose customer got a review request (in the outbox) for grinder, mug and beans. */
async function reviewRequested() {
  const shop = await installShop();
  const who = customer();
  const order = orderPayload({ customer: { ...who }, createdAt: "2026-11-01T15:00:00Z", lines: [GRINDER, MUG, BEANS] });
  order.email = who.email;
  await deliver(app, "orders/paid", toShopifyJson(order), { shop });
  const parcel = fulfillmentPayload(order.id, { createdAt: "2026-11-02T15:00:00Z", lineItems: order.line_items, shipmentStatus: "delivered" });
  await deliver(app, "fulfillments/create", toShopifyJson(parcel), { shop });
  await runWorkerAt(shop, "2026-11-09T16:00:00Z", outbox);
  const request = await db.message.findFirstOrThrow({ where: { shop, flow: "review_request", step: 0, status: "outbox" } });
  const starLink = (productId: string, rating: number) =>
    new RegExp(`href="https://aftercare\\.test(/review/[^"]+product=${productId}&amp;rating=${rating})"`).exec(request.html!)![1]!.replaceAll("&amp;", "&");
  return { shop, who, order, request, starLink };
}

/** A 3000×2000 JPEG as a phone camera writes it: orientation, camera make and a GPS position in EXIF. */
async function cameraPhoto(): Promise<string> {
  const jpeg = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#8a5a3c" } })
    .withExif({
      IFD0: { Make: "PhoneMaker", Model: "Pocket 12" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 31/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "13/1 24/1 0/1" },
    })
    .jpeg()
    .toBuffer();
  expect((await sharp(jpeg).metadata()).exif).toBeDefined();
  const file = join(mkdtempSync(join(tmpdir(), "review-photo-")), "grinder.jpg");
  writeFileSync(file, jpeg);
  return file;
}

/** Posts the review form as a browser without JavaScript would. */
async function postReview(path: string, fields: Record<string, string>, photos: Blob[] = []) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  for (const photo of photos) form.append("photos", photo, "photo.bin");
  const response = await fetch(`${app.url}${path}`, { method: "POST", body: form });
  return { status: response.status, body: await response.text() };
}

describe("the review page from a review request", () => {
  it("takes a review with a photo on a phone: verified, published at once, the photo resized and stripped, script in the text inert", async () => {
    const { shop, order, starLink } = await reviewRequested();
    const { page, problems } = await openPage(browser, 390, 844);
    await page.goto(`${app.url}${starLink(GRINDER.productId, 5)}`, { waitUntil: "networkidle" });
    expect(await page.getByRole("heading", { name: "How is your Hand Grinder?" }).isVisible()).toBe(true);
    expect(await page.locator("#star-5").isChecked()).toBe(true); // the star clicked in the email
    expect(await page.locator("#authorName").inputValue()).toBe("Robin Q.");
    await page.locator("label[for=star-4]").click();
    await page.locator("#title").fill("<script>window.__pwned = 1</script>Grinds evenly");
    await page.locator("#body").fill('Consistent grind for pour-over. <img src=x onerror="window.__pwned = 2">');
    await page.locator("#photos").setInputFiles(await cameraPhoto());
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(page, "shopper-review-form-phone");
    await page.getByRole("button", { name: "Post my review" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Thank you for your review" }).isVisible()).toBe(true);
    expect(await page.getByText("It's live on the store now").isVisible()).toBe(true);
    await screenshot(page, "shopper-review-thanks-phone");
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems.errors).toEqual([]);
    await page.context().close();

    const review = await db.review.findFirstOrThrow({ where: { shop }, include: { photos: true } });
    expect(review).toMatchObject({
      productId: GRINDER.productId,
      orderId: String(order.id),
      rating: 4,
      title: "<script>window.__pwned = 1</script>Grinds evenly", // stored as written
      authorName: "Robin Q.",
      verified: true,
      source: "email",
      status: "published",
    });
    expect(review.photos).toHaveLength(1);
    const served = await fetch(`${app.url}/review-photos/${review.photos[0]!.id}`);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    const stored = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect({ format: stored.format, width: stored.width, height: stored.height, exif: stored.exif }).toEqual({
      format: "webp",
      width: 1600,
      height: 1067,
      exif: undefined,
    });

    // Something was reviewed: the reminder five days later is not sent.
    await runWorkerAt(shop, "2026-11-14T16:00:00Z", outbox);
    expect(await db.message.findFirstOrThrow({ where: { shop, flow: "review_request", step: 1 } })).toMatchObject({
      status: "cancelled",
      detail: "reviewed already",
    });

    // One review per item: the same link again shows it is done.
    const again = await fetch(`${app.url}${starLink(GRINDER.productId, 5)}`);
    expect(await again.text()).toContain("You&#x27;ve reviewed Hand Grinder");
  });

  it("holds low ratings and links for the merchant, opens a case for a low rating, and refuses what is not a photo", async () => {
    const { shop, starLink } = await reviewRequested();
    const fields = { rating: "2", title: "Chipped rim", body: "Arrived with a chip on the rim.", authorName: "Robin Q." };

    const notAPhoto = await postReview(starLink(MUG.productId, 2), fields, [new Blob(["%PDF-1.4 not an image"], { type: "image/jpeg" })]);
    expect(notAPhoto.status).toBe(400);
    expect(notAPhoto.body).toContain("Please use a JPEG, PNG or WebP image.");
    const tooBig = await postReview(starLink(MUG.productId, 2), fields, [new Blob([new Uint8Array(5 * 1024 * 1024 + 1)], { type: "image/jpeg" })]);
    expect(tooBig.status).toBe(413);
    const empty = await postReview(starLink(MUG.productId, 2), { ...fields, body: "  " });
    expect(empty.body).toContain("Tell other customers a little about it.");
    expect(await db.review.count({ where: { shop } })).toBe(0); // nothing half-saved

    expect((await postReview(starLink(MUG.productId, 2), fields)).status).toBe(200);
    const low = await db.review.findFirstOrThrow({ where: { shop, productId: MUG.productId } });
    expect(low).toMatchObject({ status: "pending", rating: 2 });
    expect(await db.customerCase.findFirst({ where: { shop, reviewId: low.id } })).toMatchObject({
      kind: "low_rating",
      status: "open",
      summary: "2★ review of Stoneware Mug: “Chipped rim”",
    });

    await postReview(starLink(BEANS.productId, 5), { rating: "5", title: "", body: "Lovely beans, more at www.cheap-beans.example", authorName: "R." });
    expect(await db.review.findFirstOrThrow({ where: { shop, productId: BEANS.productId } })).toMatchObject({ status: "pending", rating: 5, title: null });

    // A product the email did not ask about, or a forged token, finds nothing.
    const other = starLink(BEANS.productId, 5).replace(BEANS.productId, "999999");
    expect((await fetch(`${app.url}${other}`)).status).toBe(404);
    expect((await fetch(`${app.url}/review/bm90LWEtdG9rZW4.bm9wZQ?product=${BEANS.productId}`)).status).toBe(404);
  });
});

// Pages a signed link plays no part in: looked at once, not again with the clock a year ahead.
describe.runIf(process.env.TEST_DATABASE !== "year-ahead")("reviews in the admin", () => {
  it("lists them with filters, publishes the waiting ones in bulk, hides one, and saves a public reply; stars follow in Shopify", async () => {
    const { shop, starLink } = await reviewRequested();
    await installSession(shop);
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#6b4f3a" } })
      .jpeg()
      .toBuffer();
    await postReview(
      starLink(GRINDER.productId, 5),
      { rating: "5", title: "Worth every penny", body: "Burrs are sharp, grind is even.", authorName: "Robin Q." },
      [new Blob([new Uint8Array(photo)], { type: "image/jpeg" })],
    );
    await postReview(starLink(MUG.productId, 3), { rating: "3", title: "<b>Fine</b>", body: "Nice glaze, a little small.", authorName: "Robin Q." });
    await postReview(starLink(BEANS.productId, 2), { rating: "2", title: "Too dark", body: "Roasted darker than described.", authorName: "Robin Q." });

    const { page, problems } = await openPage(browser, 1280, 900, { Authorization: `Bearer ${await sessionToken(shop)}` });
    await page.goto(`${app.url}/app/reviews`, { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText("Worth every penny").isVisible()).toBe(true);
    expect(await page.getByText("2 waiting for you to read").isVisible()).toBe(true);
    expect(await page.getByText("<b>Fine</b>").isVisible()).toBe(true); // shown as written, never as markup
    await screenshot(page, "admin-reviews-desktop");

    await page.goto(`${app.url}/app/reviews?status=pending`, { waitUntil: "networkidle" });
    await expect.poll(() => page.locator("tbody tr").count()).toBe(2);
    await page.locator("thead input[type=checkbox]").first().check({ force: true });
    await page.getByRole("button", { name: "Publish" }).click();
    await expect.poll(async () => db.review.count({ where: { shop, status: "published" } })).toBe(3);
    expect(await db.productRatingSync.count({ where: { shop } })).toBe(3);

    await page.goto(`${app.url}/app/reviews?photos=yes`, { waitUntil: "networkidle" });
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
    await page.getByText("Worth every penny").click();
    await expect.poll(() => page.getByText("Your public reply").isVisible()).toBe(true);
    expect(await page.locator("img[src^='/review-photos/']").count()).toBe(1);
    await page.getByLabel("Reply").fill("Thank you, Robin! Enjoy the coffee.");
    await page.getByRole("button", { name: "Save reply" }).click();
    await expect.poll(() => page.getByText("Reply saved.").isVisible()).toBe(true);
    await screenshot(page, "admin-review-desktop");
    await page.getByRole("button", { name: "Hide from the store" }).click();
    await expect.poll(async () => (await db.review.findFirstOrThrow({ where: { shop, productId: GRINDER.productId } })).status).toBe("hidden");
    expect(await db.review.findFirstOrThrow({ where: { shop, productId: GRINDER.productId } })).toMatchObject({ reply: "Thank you, Robin! Enjoy the coffee." });
    expect(problems.errors).toEqual([]);
    await page.context().close();

    // Moving from another reviews app: the import page lists the columns it reads.
    const importing = await openPage(browser, 1280, 900, { Authorization: `Bearer ${await sessionToken(shop)}` });
    await importing.page.goto(`${app.url}/app/reviews/import`, { waitUntil: "networkidle" });
    await expect.poll(() => importing.page.getByText("created_at").isVisible()).toBe(true);
    await screenshot(importing.page, "admin-reviews-import-desktop");
    expect(importing.problems.errors).toEqual([]);
    await importing.page.context().close();

    const phone = await openPage(browser, 390, 844, { Authorization: `Bearer ${await sessionToken(shop)}` });
    await phone.page.goto(`${app.url}/app/reviews`, { waitUntil: "networkidle" });
    await expect.poll(() => phone.page.getByText("Too dark").first().isVisible()).toBe(true);
    await screenshot(phone.page, "admin-reviews-phone");
    expect(phone.problems.errors).toEqual([]);
    await phone.page.context().close();
  });
});
