// The admin pages in real Chromium, as a merchant sees them: rendered, hydrated without a
// script error, laid out at desktop and phone widths. Screenshots land in tests/screenshots.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import db from "~/db.server";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { installSession, sessionToken } from "./support/admin";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { customerPayload, fulfillmentPayload, newId, orderPayload, toShopifyJson } from "./support/payloads";

let app: RunningApp;
let browser: Browser;
const shop = uniqueShop("pages");

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "Fernhill Ceramics", currency: "EUR", timezone: "Europe/Berlin", installedAt: new Date() } });
  const customer = { id: newId(), email: "lena@example.com", firstName: "Lena", lastName: "Vogel", marketing: "subscribed" };
  await deliver(app, "customers/create", toShopifyJson(customerPayload(customer)), { shop });
  for (let i = 0; i < 3; i += 1) {
    const order = orderPayload({ customer, number: 2001 + i });
    await deliver(app, "orders/paid", toShopifyJson(order), { shop });
    await deliver(app, "fulfillments/create", toShopifyJson(fulfillmentPayload(order.id)), { shop });
  }
  await deliver(app, "orders/paid", "{\"id\": \"not-an-id\"}", { shop });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

describe("admin home in Chromium", () => {
  for (const viewport of VIEWPORTS) {
    it(`renders real data without script errors (${viewport.name})`, async () => {
      const { page, problems } = await openPage(browser, viewport.width, viewport.height, {
        Authorization: `Bearer ${await sessionToken(shop)}`,
      });
      await page.goto(`${app.url}/app`, { waitUntil: "networkidle" });
      await expect.poll(() => page.locator("h2", { hasText: "Fernhill Ceramics" }).isVisible()).toBe(true);
      expect(await page.getByText("Installed", { exact: false }).first().isVisible()).toBe(true);
      expect(await page.locator("tbody tr").count()).toBe(8);
      expect(await page.getByText("skipped").first().isVisible()).toBe(true);
      // Nothing runs off the right edge of the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-home-${viewport.name}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    });
  }
});
