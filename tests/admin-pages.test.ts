// The admin pages in real Chromium, as a merchant sees them: rendered, hydrated without a
// script error, laid out at desktop and phone widths. Screenshots land in tests/screenshots.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import db from "~/db.server";
import { composeFollowup, FLOW_IDS } from "~/modules/followups";
import { dispatchDueMessages } from "~/modules/messaging/dispatch";
import { createMailer } from "~/modules/messaging/mailer";
import { signLink, type LinkPurpose } from "~/modules/messaging/tokens";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { installSession, sessionToken } from "./support/admin";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { product } from "./support/followups";
import { customerPayload, fulfillmentPayload, newId, orderPayload, refundPayload, toShopifyJson } from "./support/payloads";
import { replyToProductQueries, standInForShopify, type ShopifyEdge } from "./support/shopify-edge";
import { saveMerchantIntervals } from "~/modules/followups/replenishment";

let app: RunningApp;
let browser: Browser;
let edge: ShopifyEdge;
const shop = uniqueShop("pages");

const MUG = product(31, "Speckled Mug", "28.00", "Fernhill");
const SENCHA = product(32, "Loose-leaf Sencha", "14.50", "Kyoto Leaf");
const BOWL = product(33, "Matcha Bowl", "42.00", "Fernhill");
const CUP = product(34, "Stacking Cup", "19.00", "Fernhill");
const catalogue = [
  { ...MUG, productType: "Mugs", handle: "speckled-mug" },
  { ...SENCHA, productType: "Tea", handle: "sencha" },
  { ...BOWL, productType: "Bowls", handle: "matcha-bowl" },
  { ...CUP, productType: "Mugs", handle: "stacking-cup" },
].map((p) => ({ id: p.productId, title: p.title, handle: p.handle, productType: p.productType, vendor: p.vendor!, price: p.price, currencyCode: "EUR" }));

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  edge = standInForShopify();
  replyToProductQueries(edge, shop, catalogue);
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "Fernhill Ceramics", currency: "EUR", timezone: "Europe/Berlin", installedAt: new Date() } });
  // Another customer's basket: what goes well with a mug and tea.
  const other = { id: newId(), email: "jonas@example.com", firstName: "Jonas", lastName: "Berg", marketing: "subscribed" };
  const at = (day: number) => new Date(Date.parse("2027-01-01T09:00:00Z") + day * 86_400_000).toISOString();
  await deliver(app, "orders/paid", toShopifyJson(orderPayload({ customer: other, number: 2000, createdAt: at(-20), lines: [MUG, SENCHA, BOWL] })), { shop });
  await saveMerchantIntervals(shop, { [SENCHA.productId]: "30" });

  const customer = { id: newId(), email: "lena@example.com", firstName: "Lena", lastName: "Vogel", marketing: "subscribed" };
  await deliver(app, "customers/create", toShopifyJson(customerPayload(customer)), { shop });
  const baskets = [[MUG, SENCHA], [MUG, SENCHA], [{ ...SENCHA, quantity: 2 }]];
  for (const [i, lines] of baskets.entries()) {
    const order = orderPayload({ customer, number: 2001 + i, createdAt: at(i), lines });
    await deliver(app, "orders/paid", toShopifyJson(order), { shop });
    await deliver(app, "fulfillments/create", toShopifyJson(fulfillmentPayload(order.id, { createdAt: at(i + 1) })), { shop });
    if (i === 1) {
      const refund = refundPayload(order, { items: [{ lineItem: order.line_items[0], quantity: 1, restockType: "return" }], createdAt: at(8) });
      await deliver(app, "refunds/create", toShopifyJson(refund), { shop });
    }
  }
  await deliver(app, "orders/paid", '{"id": "not-an-id"}', { shop });
  // The worker at noon in Berlin every day of January, writing into the outbox (no SMTP here):
  // thank-yous, check-ins, reviews, surveys, and the suggestions days apart (the frequency cap).
  for (let day = 0; day < 35; day++) {
    await dispatchDueMessages({
      shop,
      now: new Date(Date.parse("2027-01-01T11:00:00Z") + day * 86_400_000),
      compose: composeFollowup,
      mailer: createMailer(""),
      limit: 100,
    });
  }
  // What waits for the merchant (the home page's first card, the cases on Activity): a 2-star
  // review to read, with the case it opened, and a delivery problem.
  const reviewId = randomUUID();
  const createdAt = new Date("2027-01-20T10:00:00Z");
  await db.review.create({
    data: {
      id: reviewId,
      shop,
      productId: MUG.productId,
      productTitle: MUG.title,
      customerId: customer.id,
      rating: 2,
      title: "Chipped rim",
      body: "Lovely glaze, but the rim was chipped.",
      authorName: "Lena V.",
      verified: true,
      source: "email",
      status: "pending",
      createdAt,
    },
  });
  await db.customerCase.create({
    data: { id: randomUUID(), shop, kind: "low_rating", customerId: customer.id, reviewId, summary: "2★ review of Speckled Mug: “Chipped rim”", createdAt },
  });
  await db.customerCase.create({
    data: { id: randomUUID(), shop, kind: "delivery_problem", customerId: customer.id, summary: "#2003: “The parcel arrived soaked”", createdAt },
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await edge?.restore();
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
      expect(await page.locator("tbody tr").count()).toBe(10);
      expect(await page.getByText("skipped").first().isVisible()).toBe(true);
      // Nothing runs off the right edge of the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-home-${viewport.name}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    });
  }
});

describe("follow-up pages in Chromium", () => {
  for (const viewport of VIEWPORTS) {
    it(`Flows and Activity render real data without script errors (${viewport.name})`, async () => {
      const { page, problems } = await openPage(browser, viewport.width, viewport.height, {
        Authorization: `Bearer ${await sessionToken(shop)}`,
      });
      await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByText("Delivery check-in").first().isVisible()).toBe(true);
      expect(await page.getByText("3 sent · 0 waiting").first().isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-flows-${viewport.name}`);

      await page.goto(`${app.url}/app/activity`, { waitUntil: "networkidle" });
      // A table on desktop, stacked rows on a phone: only what is on screen counts.
      const shown = (text: string) => page.getByText(text).locator("visible=true").first();
      await expect.poll(() => shown("Thank you for your order, Lena").isVisible()).toBe(true);
      expect(await page.locator(".Polaris-Badge", { hasText: "In outbox" }).locator("visible=true").first().isVisible()).toBe(true);
      expect(await page.getByText("No mail server is set up").isVisible()).toBe(true);
      expect(await shown("already asked about every item within 12 months").isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-activity-${viewport.name}`);

      await shown("Did your order arrive safely?").click();
      await expect.poll(() => page.frameLocator("iframe").getByText("Yes, all good").isVisible()).toBe(true);
      await screenshot(page, `admin-message-${viewport.name}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    });
  }
});

/** A 240 px square in a colour derived from the picture's name, like a product photo on a plain backdrop. */
function productPicture(url: string): string {
  const hue = [...url].reduce((sum, char) => sum + char.charCodeAt(0), 0) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240"><rect width="240" height="240" fill="hsl(${hue},35%,88%)"/><circle cx="120" cy="130" r="62" fill="hsl(${hue},40%,55%)"/></svg>`;
}

describe("follow-up emails in Chromium", () => {
  for (const flow of FLOW_IDS) {
    it(`${flow} reads well at 600 px (desktop mail) and 375 px (phone)`, async () => {
      const message = await db.message.findFirstOrThrow({ where: { shop, flow, status: "outbox" } });
      for (const width of [600, 375]) {
        const { page, problems } = await openPage(browser, width, 800);
        // Product pictures come from Shopify's CDN, out of reach here: a drawn stand-in of the same size.
        await page.route("https://cdn.shopify.com/**", (route) => route.fulfill({ contentType: "image/svg+xml", body: productPicture(route.request().url()) }));
        await page.setContent(message.html!, { waitUntil: "load" });
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
        expect(await page.getByText("Fernhill Ceramics").first().isVisible()).toBe(true);
        expect(await page.getByText("Unsubscribe from these emails").isVisible()).toBe(true);
        await screenshot(page, `email-${flow}-${width}`);
        expect(problems.errors).toEqual([]);
        await page.context().close();
      }
      expect(message.text).toContain("Unsubscribe: https://aftercare.test/unsubscribe/");
    });
  }
});

describe("shopper pages from the emails, in Chromium on a phone", () => {
  // A link opens its page; a choice is recorded only by the page's button (`press`), which then shows `then`.
  const pages: { name: string; purpose: LinkPurpose; path: string; flow: string; query: string; expect: string; press?: string; then?: string }[] = [
    {
      name: "unsubscribe",
      purpose: "unsubscribe",
      path: "unsubscribe",
      flow: "thank_you",
      query: "",
      expect: "Unsubscribe from Fernhill Ceramics's follow-ups?",
    },
    { name: "checkin-problem", purpose: "checkin", path: "feedback", flow: "delivery_checkin", query: "?answer=problem", expect: "What went wrong?" },
    { name: "nps-score", purpose: "nps", path: "feedback", flow: "nps", query: "?score=9", expect: "What do you like most?" },
    {
      name: "reorder-ask",
      purpose: "reorder",
      path: "reorder",
      flow: "reorder",
      query: `?product=${SENCHA.productId}`,
      expect: "When should we remind you about Loose-leaf Sencha?",
    },
    {
      name: "reorder-chosen",
      purpose: "reorder",
      path: "reorder",
      flow: "reorder",
      query: `?product=${SENCHA.productId}&weeks=4`,
      expect: "In 4 weeks",
      press: "In 4 weeks",
      then: "We'll remind you then",
    },
    {
      name: "checkin-ok",
      purpose: "checkin",
      path: "feedback",
      flow: "delivery_checkin",
      query: "?answer=ok",
      expect: "arrive in good condition?",
      press: "Yes, all good",
      then: "Glad it arrived safely",
    },
  ];
  for (const shopperPage of pages) {
    it(`${shopperPage.name} reads well at 390 px, without script errors`, async () => {
      const message = await db.message.findFirstOrThrow({ where: { shop, flow: shopperPage.flow, status: "outbox" } });
      const token = signLink({ shop, message: message.id, purpose: shopperPage.purpose, expires: Date.now() + 3_600_000 });
      const { page, problems } = await openPage(browser, 390, 844);
      await page.goto(`${app.url}/${shopperPage.path}/${token}${shopperPage.query}`, { waitUntil: "networkidle" });
      expect(await page.getByText(shopperPage.expect).isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `shopper-${shopperPage.name}-phone`);
      if (shopperPage.press) {
        await page.getByRole("button", { name: shopperPage.press }).click();
        await page.getByText(shopperPage.then!).waitFor();
        await screenshot(page, `shopper-${shopperPage.name}-done-phone`);
      }
      expect(problems.errors).toEqual([]);
      await page.context().close();
    });
  }
});
