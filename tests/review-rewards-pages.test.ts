// What merchants and customers see of review rewards, in real Chromium: the review settings
// page (desktop and phone, a refused and a saved form), the reward email at 600 and 375 px, a
// review's page with its reward, and Activity naming the email. Screenshots in tests/screenshots.
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { rewardOwnersOf } from "~/modules/capability";
import { CAPABILITIES } from "~/modules/capabilities";
import { composeByFlow, dispatchDueMessages } from "~/modules/messaging/dispatch";
import { createMailer } from "~/modules/messaging/mailer";
import { setReviewStatus } from "~/modules/reviews/moderation";
import { issueDueRewards } from "~/modules/rewards";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { installSession, sessionToken } from "./support/admin";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { newId } from "./support/payloads";
import { answerAdminGraphql, costExtension, standInForShopify, type ShopifyEdge } from "./support/shopify-edge";

let app: RunningApp;
let browser: Browser;
let edge: ShopifyEdge;
const shop = uniqueShop("reward-pages");
const NOW = new Date("2026-11-20T12:00:00Z");
let reviewId = "";

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  edge = standInForShopify();
  // Shopify creates each discount it is asked for (as documented: the new node, no userErrors).
  answerAdminGraphql(edge, shop, () => ({
    data: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1057371270" }, userErrors: [] } },
    extensions: costExtension(),
  }));
  await installSession(shop);
  const reward = { kind: "discount", valueType: "percentage", value: 15, expiresInDays: 60 };
  await db.shop.create({
    data: {
      shop,
      name: "Larch & Ember Coffee",
      contactEmail: "hello@larch.test",
      currency: "CAD",
      timezone: "America/Toronto",
      installedAt: NOW,
      settings: JSON.stringify({ reviews: { reward } }),
    },
  });
  const customerId = newId();
  const orderId = newId();
  await db.customer.create({ data: { shop, id: customerId, email: "maya@example.com", firstName: "Maya", lastName: "Chen" } });
  await db.order.create({ data: { shop, id: orderId, name: "#1042", customerId, currency: "CAD", totalMinor: 3800, processedAt: NOW, shopifyUpdatedAt: NOW } });
  reviewId = randomUUID();
  await db.review.create({
    data: {
      id: reviewId,
      shop,
      productId: "7001",
      productTitle: "Ember Blend, whole bean",
      orderId,
      customerId,
      rating: 2,
      title: "Too dark for me",
      body: "Well roasted, but darker than I like.",
      authorName: "Maya C.",
      verified: true,
      source: "email",
      status: "pending",
      createdAt: NOW,
    },
  });
  await setReviewStatus(shop, [reviewId], "published", NOW);
  await issueDueRewards(NOW, { shop, owners: rewardOwnersOf(CAPABILITIES) });
  await dispatchDueMessages({ shop, now: new Date("2026-11-20T15:00:00Z"), compose: composeByFlow(CAPABILITIES), mailer: createMailer("") });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await edge?.restore();
});

const fitsTheScreen = (page: import("playwright-core").Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe("review settings page in Chromium", () => {
  for (const viewport of [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    it(`shows a refused value by its field, then saves (${viewport.name})`, async () => {
      const { page, problems } = await openPage(browser, viewport.width, viewport.height, { Authorization: `Bearer ${await sessionToken(shop)}` });
      page.setDefaultTimeout(5000);
      await page.goto(`${app.url}/app/reviews/settings`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByText("Reward for a review").first().isVisible()).toBe(true);
      expect(await page.getByLabel("4 and 5 stars").isChecked()).toBe(true);
      expect(await page.getByLabel("Percentage", { exact: true }).inputValue()).toBe("15");
      expect(await fitsTheScreen(page)).toBe(true);
      await screenshot(page, `admin-review-settings-${viewport.name}`);

      await page.getByLabel("Discount", { exact: true }).selectOption("fixed_amount");
      await page.getByLabel("Amount").fill("5.555");
      await page.getByRole("button", { name: "Save" }).click();
      await expect.poll(() => page.getByText("Enter an amount from CA$0.01 to CA$100,000.00.").isVisible()).toBe(true);
      expect(await page.getByText("Nothing was saved: fix what is marked below.").isVisible()).toBe(true);
      await screenshot(page, `admin-review-settings-refused-${viewport.name}`);

      await page.getByLabel("Amount").fill("5");
      await page.getByText("Invite customers who bought the product").click();
      await page.getByRole("button", { name: "Save" }).click();
      await expect.poll(() => page.getByText("Review settings saved").isVisible()).toBe(true);
      expect(await page.getByLabel("Amount").inputValue()).toBe("5.00");
      expect(JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop } })).settings).reviews).toMatchObject({
        reward: { valueType: "fixed_amount", value: 500 },
        questions: { inviteBuyers: true },
      });
      // The refused save answered 400, as it should; nothing else may complain.
      expect(problems.errors.filter((error) => !error.includes("status of 400"))).toEqual([]);
      await page.context().close();
      // Back to the percentage, for the next viewport.
      await db.shop.update({
        where: { shop },
        data: { settings: JSON.stringify({ reviews: { reward: { kind: "discount", valueType: "percentage", value: 15, expiresInDays: 60 } } }) },
      });
    });
  }

  it("the review's page shows its reward, and Activity names the email", async () => {
    const { page, problems } = await openPage(browser, 1280, 900, { Authorization: `Bearer ${await sessionToken(shop)}` });
    await page.goto(`${app.url}/app/reviews/${reviewId}`, { waitUntil: "networkidle" });
    const code = (await db.reward.findFirstOrThrow({ where: { shop } })).code!;
    await expect.poll(() => page.getByText(`Code ${code} written on Nov 20, 10:00 AM`).isVisible()).toBe(true);
    await screenshot(page, "admin-review-reward-desktop");
    await page.goto(`${app.url}/app/reviews`, { waitUntil: "networkidle" });
    expect(
      await page
        .getByRole("link", { name: "Settings" })
        .or(page.getByRole("button", { name: "Settings" }))
        .first()
        .isVisible(),
    ).toBe(true);
    await page.goto(`${app.url}/app/activity?flow=review_reward`, { waitUntil: "networkidle" });
    const shown = (text: string) => page.getByText(text).locator("visible=true").first();
    await expect.poll(() => shown("Thanks for your review — here is 15% off your next order").isVisible()).toBe(true);
    expect(await page.locator("td", { hasText: "Review reward" }).first().isVisible()).toBe(true);
    await screenshot(page, "admin-activity-review-reward-desktop");
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });
});

describe("the reward email in Chromium", () => {
  it("reads well at 600 px (desktop mail) and 375 px (phone), the code large and whole", async () => {
    const message = await db.message.findFirstOrThrow({ where: { shop, flow: "review_reward", status: "outbox" } });
    const { code } = await db.reward.findFirstOrThrow({ where: { shop } });
    for (const width of [600, 375]) {
      const { page, problems } = await openPage(browser, width, 900);
      await page.setContent(message.html!, { waitUntil: "load" });
      expect(await fitsTheScreen(page)).toBe(true);
      const shown = page.getByText(code!, { exact: true });
      expect(await shown.isVisible()).toBe(true);
      expect(await shown.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(28);
      expect((await shown.boundingBox())!.height).toBeLessThan(50); // on one line
      expect(await page.getByText("15% off everything · valid until Jan 19, 2027").isVisible()).toBe(true);
      expect(await page.getByRole("link", { name: "Shop with your code" }).getAttribute("href")).toBe(`https://${shop}/discount/${code}`);
      expect(await page.getByText("Unsubscribe from these emails").isVisible()).toBe(true);
      await screenshot(page, `email-review_reward-${width}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    }
  });
});
