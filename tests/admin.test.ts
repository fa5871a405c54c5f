// The embedded admin over HTTP: install (token exchange + afterAuth reading the shop's
// profile through modules/shopify-admin) with Shopify's servers stood in for at the HTTP
// edge, then the home page with real data.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { followupSettings } from "~/modules/followups";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { adminFetch, ADMIN_SCOPES, installSession } from "./support/admin";
import { orderPayload, toShopifyJson } from "./support/payloads";
import { replyToInstall, standInForShopify, type ShopifyEdge } from "./support/shopify-edge";

let app: RunningApp;
let shopify: ShopifyEdge;

beforeAll(async () => {
  app = await startApp();
  shopify = standInForShopify();
});
afterEach(() => shopify.agent.assertNoPendingInterceptors());
afterAll(async () => {
  await shopify.restore();
  await app.close();
});

describe("install", () => {
  it("exchanges the session token, then stores the shop's name, email, currency and IANA time zone", async () => {
    const shop = uniqueShop("fresh");
    let exchange: Record<string, unknown> = {};
    let query = "";
    replyToInstall(shopify, {
      shop,
      scopes: ADMIN_SCOPES,
      accessToken: "shpat_exchanged",
      profile: {
        name: "Juniper & Oak",
        contactEmail: "hello@juniper-oak.test",
        currencyCode: "CAD",
        ianaTimezone: "America/Toronto",
        billingAddress: { countryCodeV2: "CA" },
      },
      onExchange: (body) => (exchange = body),
      onQuery: (body) => (query = body.query),
    });

    const response = await adminFetch(app, shop, "/app");
    expect(response.status).toBe(200);
    expect(exchange).toMatchObject({ grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", client_id: "test-api-key" });
    expect(query).toContain("ianaTimezone");
    expect(await db.shop.findUnique({ where: { shop } })).toMatchObject({
      name: "Juniper & Oak",
      contactEmail: "hello@juniper-oak.test",
      currency: "CAD",
      timezone: "America/Toronto",
      country: "CA",
      uninstalledAt: null,
    });
    expect(await db.session.findUnique({ where: { id: `offline_${shop}` } })).toMatchObject({ accessToken: "shpat_exchanged" });
  });
});

describe("flows page", () => {
  it("saves flow switches, timing, the send window and the cap; refuses out-of-range values and changes nothing", async () => {
    const shop = uniqueShop("flows");
    await installSession(shop);
    await db.shop.create({ data: { shop, name: "Maple Goods", currency: "USD", timezone: "America/New_York", installedAt: new Date() } });
    const body = (timing: number) => ({
      flows: {
        thank_you: { enabled: false, timing: 2 },
        delivery_checkin: { enabled: true, timing: 4 },
        review_request: { enabled: true, timing: timing },
        nps: { enabled: true, timing: 21 },
        reorder: { enabled: true, timing: 3 },
        goes_with: { enabled: false, timing: 10 },
        after_return: { enabled: true, timing: 2 },
      },
      sendWindow: { from: 8, to: 21 },
      frequencyCapDays: 5,
    });
    const post = (payload: object) =>
      adminFetch(app, shop, "/app/flows", { method: "POST", body: JSON.stringify(payload), headers: { "Content-Type": "application/json" } });
    const accepted = await post(body(10));
    await accepted.text(); // an unread body would hold the keep-alive connection open
    expect(accepted.status).toBe(200);
    const saved = await followupSettings(db, shop);
    expect(saved.flows.thank_you).toMatchObject({ enabled: false, timing: 2 });
    expect(saved.flows.review_request.timing).toBe(10);
    expect(saved).toMatchObject({ sendWindow: { from: 8, to: 21 }, frequencyCapDays: 5 });

    const refused = await post(body(61));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Review request: timing must be 0–60 days.");
    expect((await followupSettings(db, shop)).flows.review_request.timing).toBe(10);
  });
});

describe("home page", () => {
  it("shows install state, counts and the latest deliveries of this shop only", async () => {
    const [shop, other] = [uniqueShop("home"), uniqueShop("elsewhere")];
    await installSession(shop);
    await db.shop.create({ data: { shop, name: "Maple Goods", currency: "USD", timezone: "America/New_York", installedAt: new Date() } });
    await deliver(app, "orders/paid", toShopifyJson(orderPayload()), { shop });
    await deliver(app, "orders/paid", toShopifyJson(orderPayload()), { shop: other });
    await deliver(app, "orders/paid", toShopifyJson(orderPayload()), { shop: other });

    const response = await adminFetch(app, shop, "/app");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Maple Goods");
    expect(html).toContain("Installed");
    expect(html).toContain("orders/paid");
    expect(html).toMatch(/Orders<\/p>.*?>1<\/p>/s);
    expect(html).not.toContain(other);
  });

  it("says what waits for the merchant, and a customer case leaves the list once marked answered", async () => {
    const [shop, other] = [uniqueShop("waiting"), uniqueShop("elsewhere")];
    await installSession(shop);
    await db.shop.create({ data: { shop, name: "Maple Goods", currency: "USD", timezone: "America/New_York", installedAt: new Date() } });
    const now = new Date();
    const reviewId = randomUUID();
    await db.review.create({
      data: {
        id: reviewId,
        shop,
        productId: "1",
        productTitle: "Mug",
        rating: 2,
        body: "Chipped.",
        authorName: "Ana B.",
        source: "email",
        status: "pending",
        createdAt: now,
      },
    });
    await db.question.create({
      data: {
        id: randomUUID(),
        shop,
        productId: "1",
        productTitle: "Mug",
        askerName: "Ren",
        askerEmail: "ren@example.com",
        body: "Dishwasher-safe?",
        status: "pending",
        createdAt: now,
      },
    });
    const lowRating = randomUUID();
    await db.customerCase.create({ data: { id: lowRating, shop, kind: "low_rating", reviewId, summary: "2★ review of Mug", createdAt: now } });
    await db.customerCase.create({ data: { id: randomUUID(), shop, kind: "delivery_problem", summary: "#1001: parcel arrived damaged", createdAt: now } });
    const elsewhere = randomUUID();
    await db.customerCase.create({ data: { id: elsewhere, shop: other, kind: "low_rating", summary: "not this shop's", createdAt: now } });

    const home = await (await adminFetch(app, shop, "/app")).text();
    expect(home).toContain("Waiting for you");
    expect(home).toContain("1 review to read before they go live");
    expect(home).toContain("1 question from shoppers to answer");
    expect(home).toContain("2 customers waiting for a personal reply");

    const inbox = await (await adminFetch(app, shop, "/app/inbox")).text();
    expect(inbox).toContain("Low rating");
    expect(inbox).toContain("Delivery problem");
    expect(inbox).toContain(`/app/inbox/${lowRating}`);
    expect(inbox).not.toContain("not this shop&#x27;s");
    expect(await (await adminFetch(app, shop, "/app/activity")).text()).toContain("2 conversations waiting for a personal reply");
    expect(await (await adminFetch(app, shop, `/app/inbox/${lowRating}`)).text()).toContain(`/app/reviews/${reviewId}`);

    const resolve = (caseId: string) =>
      adminFetch(app, shop, `/app/inbox/${caseId}?_data=${encodeURIComponent("routes/app.inbox_.$id")}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "resolve" }),
      });
    expect((await resolve(lowRating)).status).toBe(200);
    expect((await resolve(elsewhere)).status).toBe(404);
    expect(await db.customerCase.findUnique({ where: { id: lowRating } })).toMatchObject({ status: "resolved", resolvedAt: expect.any(Date) });
    expect(await db.customerCase.findUnique({ where: { id: elsewhere } })).toMatchObject({ status: "open" });
    expect(await (await adminFetch(app, shop, "/app")).text()).toContain("1 customer waiting for a personal reply");
  });

  it("sends a request without a session token away instead of rendering data", async () => {
    const response = await fetch(`${app.url}/app`, { redirect: "manual", headers: { "User-Agent": "Mozilla/5.0 Chrome/140" } });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/auth/login");
  });
});
