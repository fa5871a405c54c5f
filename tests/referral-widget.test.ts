// The refer-a-friend block on a storefront page in real Chromium, through the signed app proxy:
// a guest sees the offer and is asked to sign in; a signed-in customer gets their link, copies
// it, sees their friends, and the link, followed, lands on Shopify's /discount/CODE on the
// shop's own domain. Screenshots at desktop and phone widths.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { setReferralStatus } from "~/modules/referrals";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { productPage, renderBlock, startStorefront, type StorefrontCustomer } from "./support/storefront";

let app: RunningApp;
let browser: Browser;
const shop = uniqueShop("referral-widget");
const ADVOCATE: StorefrontCustomer = { id: "6401", first_name: "Sam", last_name: "Kaur", email: "sam@example.com" };
const PRODUCT = { id: "8101000000010", title: "House Espresso Blend", handle: "house-espresso", rating: null, ratingCount: 0 };
const SETTINGS = { heading: "Give a friend a treat", accent_color: "#2c6e49" };

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  await db.shop.create({ data: { shop, name: "Larch & Ember Coffee", currency: "USD", installedAt: new Date() } });
  await setReferralStatus(shop, "live");
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function storefrontFor(customer?: StorefrontCustomer) {
  const block = await renderBlock("referral", PRODUCT, SETTINGS, customer);
  const page = productPage(PRODUCT.title, [block], { css: ["referral.css"], js: ["referral.js"] });
  return startStorefront({ shop, appUrl: app.url, page, secret: process.env.SHOPIFY_API_SECRET!, handle: PRODUCT.handle, customerId: customer?.id });
}

describe("the refer-a-friend block", () => {
  it("shows a guest the offer and asks them to sign in", async () => {
    const storefront = await storefrontFor();
    const { page, problems } = await openPage(browser, 1280, 900);
    await page.goto(`${storefront.url}/products/${PRODUCT.handle}`, { waitUntil: "networkidle" });
    await expect
      .poll(() => page.getByText("Give your friends 10% off a first order, and get 500 points for each friend whose order arrives and stays.").isVisible())
      .toBe(true);
    expect(await page.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/account/login");
    expect(await page.locator("[data-link]").count()).toBe(0);
    expect(problems.errors).toEqual([]);
    await page.context().close();
    await storefront.close();
  });

  for (const viewport of [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    it(`gives a signed-in customer their link to copy and share, which lands a friend on the discount (${viewport.name})`, async () => {
      const storefront = await storefrontFor(ADVOCATE);
      const { page, problems } = await openPage(browser, viewport.width, viewport.height);
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: storefront.url });
      await page.goto(`${storefront.url}/products/${PRODUCT.handle}`, { waitUntil: "networkidle" });
      const link = page.getByLabel("Your link");
      await expect.poll(() => link.inputValue()).toMatch(new RegExp(`^https://${shop.replaceAll(".", "\\.")}/apps/aftercare/r/FRIEND-`));
      const url = await link.inputValue();
      const code = url.split("/").pop()!;
      expect(await page.getByText("No friends rewarded yet: share your link to start.").isVisible()).toBe(true);
      expect(await page.locator("[data-code]").textContent()).toBe(code);
      expect(await page.getByRole("link", { name: "Email" }).getAttribute("href")).toBe(
        `mailto:?body=${encodeURIComponent(`Here's 10% off a first order at Larch & Ember Coffee: ${url}`)}`,
      );
      await page.getByRole("button", { name: "Copy link" }).click();
      await expect.poll(() => page.getByText("Copied! Send it to a friend.").isVisible()).toBe(true);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `referral-block-${viewport.name}`);

      // Once Shopify holds the code, the shared link (on the shop's domain) applies it.
      await db.reward.updateMany({ where: { shop, code }, data: { status: "issued" } });
      const landing = await page.request.get(`${storefront.url}/apps/aftercare/r/${code}`, { maxRedirects: 0 });
      expect([landing.status(), landing.headers().location]).toEqual([302, `/discount/${code}?redirect=%2F`]);
      expect(problems.errors).toEqual([]);
      await page.context().close();
      await storefront.close();
    });
  }
});
