// The loyalty launcher (an app embed) on a storefront page in real Chromium, through the signed
// app proxy: nothing is fetched until the shopper opens it; a guest is asked to sign in; a
// signed-in customer sees their points and tier, redeems a reward and sees it being created,
// with the balance taken down at once. Screenshots at desktop and phone widths.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { now } from "~/modules/clock";
import { parseLoyaltySettings, post, setProgramStatus } from "~/modules/loyalty";
import { updateSettingsSection } from "~/modules/shops/settings";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { productPage, renderBlock, startStorefront, type StorefrontCustomer } from "./support/storefront";

let app: RunningApp;
let browser: Browser;
const shop = uniqueShop("loyalty-widget");
const BUYER: StorefrontCustomer = { id: "6301", first_name: "Sam", last_name: "Kaur", email: "sam@example.com" };
const PRODUCT = { id: "8101000000009", title: "House Espresso Blend", handle: "house-espresso", rating: null, ratingCount: 0 };
const SETTINGS = { label: "Rewards", accent_color: "#2c6e49", position: "right" };

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  await db.shop.create({ data: { shop, name: "Larch & Ember Coffee", currency: "USD", installedAt: new Date() } });
  await setProgramStatus(shop, "live");
  const tiers = {
    enabled: true,
    list: [
      { id: "bronze", name: "Bronze", threshold: 0, multiplier: 100, perks: "" },
      { id: "silver", name: "Silver", threshold: 10_000, multiplier: 150, perks: "" },
    ],
  };
  await updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({ ...current, tiers }));
  await db.customer.create({ data: { shop, id: BUYER.id, email: BUYER.email, firstName: BUYER.first_name } });
  await db.$transaction(async (tx) => {
    const order = { customerId: BUYER.id, orderId: "9001", pendingDelta: 0 };
    await post(tx, shop, { ...order, sourceKey: "order:9001:earn", kind: "earn", pendingDelta: 640, balanceDelta: 0, reason: "Order #1001" }, now());
    await post(
      tx,
      shop,
      { ...order, sourceKey: "order:9001:approve", kind: "approve", pendingDelta: -640, balanceDelta: 640, reason: "Order #1001: approved" },
      now(),
    );
    await post(
      tx,
      shop,
      { ...order, orderId: "9002", sourceKey: "order:9002:earn", kind: "earn", pendingDelta: 58, balanceDelta: 0, reason: "Order #1002" },
      now(),
    );
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function storefrontFor(customer?: StorefrontCustomer) {
  const block = await renderBlock("loyalty-launcher", PRODUCT, SETTINGS, customer);
  const page = productPage(PRODUCT.title, [block], { css: ["loyalty.css"], js: ["loyalty.js"] });
  return startStorefront({ shop, appUrl: app.url, page, secret: process.env.SHOPIFY_API_SECRET!, handle: PRODUCT.handle, customerId: customer?.id });
}

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

describe("the loyalty launcher", () => {
  it("asks a guest to sign in, after loading nothing until opened", async () => {
    const storefront = await storefrontFor();
    const { page, problems } = await openPage(browser, 1280, 900);
    const proxied: string[] = [];
    page.on("request", (request) => void (request.url().includes("/apps/aftercare/") && proxied.push(request.url())));
    await page.goto(`${storefront.url}/products/${PRODUCT.handle}`, { waitUntil: "networkidle" });
    expect(proxied).toEqual([]);
    await page.getByRole("button", { name: "Rewards" }).click();
    await expect.poll(() => page.getByText("Earn points on every order: 1 for each $1.00 you spend.").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/account/login");
    expect(proxied).toHaveLength(1);
    await page.keyboard.press("Escape");
    expect(await page.getByRole("dialog").isVisible()).toBe(false);
    expect(problems.errors).toEqual([]);
    await page.context().close();
    await storefront.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`lets a signed-in customer see their points and redeem a reward (${viewport.name})`, async () => {
      const storefront = await storefrontFor(BUYER);
      const { page, problems } = await openPage(browser, viewport.width, viewport.height);
      await page.goto(`${storefront.url}/products/${PRODUCT.handle}`, { waitUntil: "networkidle" });
      await page.getByRole("button", { name: "Rewards" }).click();
      const panel = page.getByRole("dialog");
      const balance = panel.locator(".aftercare-loyalty__balance strong");
      await expect.poll(() => balance.textContent()).toBe(viewport.name === "desktop" ? "640" : "140");
      expect(await panel.getByText("58 points pending").isVisible()).toBe(true);
      expect(await panel.getByText("Bronze member: 1× points on every order.").isVisible()).toBe(true);
      expect(await panel.getByText("Spend $100.00 more within 12 months to reach Silver.").isVisible()).toBe(true);
      // The panel stays within the screen.
      const box = (await panel.boundingBox())!;
      expect(box.x >= 0 && box.x + box.width <= viewport.width + 1 && box.y >= 0).toBe(true);
      if (viewport.name === "desktop") {
        await panel.getByRole("button", { name: "Redeem" }).click();
        await expect.poll(() => balance.textContent()).toBe("140");
        expect(await panel.getByText("Redeemed!").isVisible()).toBe(true);
        expect(await panel.getByText("$5.00 off: being created…").isVisible()).toBe(true);
      }
      if (viewport.name === "desktop") {
        expect(await panel.getByText("Tell us your birthday and get 100 points on the day.").isVisible()).toBe(true);
        // The birthday, given once: the form goes, the panel says so.
        await panel.getByLabel("Month").selectOption("7");
        await panel.getByLabel("Day").selectOption("4");
        await panel.getByRole("button", { name: "Save my birthday" }).click();
        await expect.poll(() => panel.getByText("Saved! We'll celebrate with you.").isVisible()).toBe(true);
        expect(await panel.getByLabel("Month").count()).toBe(0);
      } else {
        expect(await panel.getByLabel("Month").count()).toBe(0); // given on the desktop a moment ago
      }
      // 140 points: the $5.00 reward waits for 360 more.
      expect(await panel.getByRole("button", { name: "Redeem" }).isDisabled()).toBe(true);
      await screenshot(page, `loyalty-launcher-${viewport.name}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
      await storefront.close();
    });
  }
});
