// The merchant's Loyalty page through the real auth path: launching and pausing with POST
// intent=launch|pause (and nothing else), and the page in Chromium at desktop and phone widths
// with members who earned through real webhook deliveries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import db from "~/db.server";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { adminFetch, installSession, sessionToken } from "./support/admin";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { BEANS, GRINDER } from "./support/followups";
import { newId, orderPayload, toShopifyJson } from "./support/payloads";

let app: RunningApp;
let browser: Browser;
const shop = uniqueShop("loyalty-admin");

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "Test Roasters", currency: "USD", timezone: "America/New_York", installedAt: new Date() } });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const post = (fields: [string, string][]) =>
  adminFetch(app, shop, `/app/loyalty?_data=${encodeURIComponent("routes/app.loyalty")}`, { method: "POST", body: new URLSearchParams(fields) });

describe("the Loyalty page", () => {
  it("launches and pauses the program by intent, and refuses anything else", async () => {
    expect((await post([["intent", "retire"]])).status).toBe(400);
    expect(
      (
        await post([
          ["intent", "launch"],
          ["intent", "pause"],
        ])
      ).status,
    ).toBe(400);
    expect((await post([])).status).toBe(400);
    const launched = await post([["intent", "launch"]]);
    expect([launched.status, await launched.json()]).toEqual([200, { status: "live" }]);
    const paused = await post([["intent", "pause"]]);
    expect(await paused.json()).toEqual({ status: "paused" });
    expect(await (await post([["intent", "launch"]])).json()).toEqual({ status: "live" });
    // Without the merchant's session token nothing changes.
    const anonymous = await fetch(`${app.url}/app/loyalty?_data=${encodeURIComponent("routes/app.loyalty")}`, {
      method: "POST",
      body: new URLSearchParams([["intent", "pause"]]),
      redirect: "manual",
      headers: { "User-Agent": "Mozilla/5.0 Chrome/140" },
    });
    // Remix answers a data request's redirect as 204 with the redirect in a header.
    expect([anonymous.status, anonymous.headers.get("x-remix-redirect")]).toEqual([204, "/auth/login"]);
    expect(JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop } })).settings).loyalty.status).toBe("live");
  });

  it("shows the program, what the points are worth and the members in Chromium", async () => {
    const people = [
      { firstName: "Maya", lastName: "Chen", lines: [{ ...GRINDER, quantity: 3 }] },
      { firstName: "Jonas", lastName: "Berg", lines: [{ ...BEANS, quantity: 2 }] },
    ];
    for (const person of people) {
      const customer = { id: newId(), email: `${person.firstName.toLowerCase()}@example.com`, firstName: person.firstName, lastName: person.lastName };
      await deliver(app, "orders/paid", toShopifyJson(orderPayload({ customer, lines: person.lines })), { shop });
    }
    for (const viewport of [
      { name: "desktop", width: 1280, height: 900 },
      { name: "phone", width: 390, height: 844 },
    ]) {
      const { page, problems } = await openPage(browser, viewport.width, viewport.height, { Authorization: `Bearer ${await sessionToken(shop)}` });
      await page.goto(`${app.url}/app/loyalty`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByText("Maya Chen").first().isVisible()).toBe(true);
      expect(await page.getByText("Live").first().isVisible()).toBe(true);
      expect(await page.getByText("309 points").first().isVisible()).toBe(true); // pending: 267 + 42
      expect(await page.getByText("$5.00 off").first().isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-loyalty-${viewport.name}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    }
  });

  it("adjusts a member's points with a required reason, recorded with who did it, never below zero", async () => {
    const maya = await db.customer.findFirstOrThrow({ where: { shop, firstName: "Maya" } });
    const adjust = (fields: [string, string][], customerId = maya.id) =>
      adminFetch(app, shop, `/app/loyalty/${customerId}?_data=${encodeURIComponent("routes/app.loyalty_.$customerId")}`, {
        method: "POST",
        body: new URLSearchParams(fields),
      });
    const added = await adjust([
      ["points", "100"],
      ["reason", "Sorry about the late parcel"],
    ]);
    expect([added.status, await added.json()]).toEqual([200, { adjusted: true, balance: 100 }]);
    const entry = await db.loyaltyEntry.findFirstOrThrow({ where: { shop, customerId: maya.id, kind: "adjust" } });
    expect(entry).toMatchObject({ balanceDelta: 100, pendingDelta: 0, reason: "Sorry about the late parcel" });
    expect(entry.actor).toMatch(/^staff \S+/);

    const refused = async (fields: [string, string][]) => {
      const response = await adjust(fields);
      return [response.status, Object.keys((await response.json()).errors ?? {})];
    };
    expect(await refused([["points", "50"]])).toEqual([400, ["reason"]]);
    expect(
      await refused([
        ["points", "ten"],
        ["reason", "x"],
      ]),
    ).toEqual([400, ["points"]]);
    expect(
      await refused([
        ["points", "0"],
        ["reason", "x"],
      ]),
    ).toEqual([400, ["points"]]);
    expect(
      await refused([
        ["points", "-101"],
        ["reason", "Too generous"],
      ]),
    ).toEqual([400, ["points"]]);
    expect(
      await refused([
        ["points", "5"],
        ["points", "5"],
        ["reason", "twice"],
      ]),
    ).toEqual([400, ["points"]]);
    expect(
      (
        await adjust(
          [
            ["points", "5"],
            ["reason", "nobody"],
          ],
          newId(),
        )
      ).status,
    ).toBe(404);
    expect(await db.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop, customerId: maya.id } } })).toMatchObject({ balance: 100 });

    const { page, problems } = await openPage(browser, 1280, 900, { Authorization: `Bearer ${await sessionToken(shop)}` });
    await page.goto(`${app.url}/app/loyalty/${maya.id}`, { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText("Sorry about the late parcel", { exact: false }).first().isVisible()).toBe(true);
    expect(await page.getByText("100 points").first().isVisible()).toBe(true);
    await screenshot(page, "admin-loyalty-member-desktop");
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });
});
