// Referrals over real HTTP into the built app: the storefront contract (GET
// /apps/aftercare/referral for a guest and a signed-in customer), the shared link that applies
// the code through Shopify's /discount/CODE, the merchant's Referrals page (launch, pause,
// approve, reject, and nothing else), and the page in Chromium with a flagged referral. The
// doors attacked: unsigned, tampered, repeated fields, another shop's code and referral.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import db from "~/db.server";
import { setReferralStatus } from "~/modules/referrals";
import { adminFetch, installSession, sessionToken } from "./support/admin";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { BEANS } from "./support/followups";
import { newId, orderPayload, toShopifyJson } from "./support/payloads";
import { proxyUrl, signedQuery } from "./support/proxy";

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function newShop(status: "live" | null = "live"): Promise<string> {
  const shop = uniqueShop("referrals");
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "Test Roasters", currency: "USD", timezone: "America/New_York", installedAt: new Date() } });
  if (status) await setReferralStatus(shop, status);
  return shop;
}

const getReferral = (shop: string, customerId?: string) => fetch(proxyUrl(app.url, "referral", shop, [], { customerId }));
const follow = (shop: string, code: string) => fetch(proxyUrl(app.url, `r/${code}`, shop), { redirect: "manual" });

describe("GET /apps/aftercare/referral", () => {
  it("gives a signed-in customer their code and link, the same on every ask, and a guest the program with no code", async () => {
    const shop = await newShop();
    const customerId = newId();
    const first = await getReferral(shop, customerId);
    expect([first.status, first.headers.get("cache-control")]).toEqual([200, "private, no-store"]);
    const body = await first.json();
    expect(body).toEqual({
      program: { status: "live", friend_reward: "10% off a first order", advocate_reward: "500 points" },
      code: expect.stringMatching(/^FRIEND-/),
      url: `https://${shop}/apps/aftercare/r/${body.code}`,
      code_status: "issuing",
      friends: 0,
      pending: 0,
    });
    expect((await (await getReferral(shop, customerId)).json()).code).toBe(body.code);
    expect(await db.reward.count({ where: { shop } })).toBe(1);
    expect(await (await getReferral(shop)).json()).toMatchObject({ program: { status: "live" }, code: null, url: null, friends: 0 });
  });

  it("answers 401 to what Shopify did not sign, and gives another shop's customer their own code", async () => {
    const [shop, other] = [await newShop(), await newShop()];
    const customerId = newId();
    const mine = (await (await getReferral(shop, customerId)).json()).code;
    expect((await fetch(`${app.url}/proxy/referral?shop=${shop}&logged_in_customer_id=${customerId}`)).status).toBe(401);
    const tampered = signedQuery(shop, [], { customerId: newId() });
    tampered.set("logged_in_customer_id", customerId);
    expect((await fetch(`${app.url}/proxy/referral?${tampered}`)).status).toBe(401);
    const repeated = signedQuery(shop, [["logged_in_customer_id", newId()]], { customerId });
    expect((await fetch(`${app.url}/proxy/referral?${repeated}`)).status).toBe(401);
    const theirs = (await (await getReferral(other, customerId)).json()).code;
    expect(theirs).not.toBe(mine);
  });
});

describe("the shared link /apps/aftercare/r/CODE", () => {
  it("sends the friend to Shopify's /discount/CODE once the code is held, and home for anything else, never off the shop", async () => {
    const [shop, other] = [await newShop(), await newShop()];
    const code = (await (await getReferral(shop, newId())).json()).code as string;
    expect((await follow(shop, code)).headers.get("location")).toBe("/"); // Shopify does not hold it yet
    await db.reward.updateMany({ where: { shop, code }, data: { status: "issued" } });
    const landed = await follow(shop, code.toLowerCase());
    expect([landed.status, landed.headers.get("location"), landed.headers.get("cache-control")]).toEqual([302, `/discount/${code}?redirect=%2F`, "no-store"]);
    expect((await follow(other, code)).headers.get("location")).toBe("/"); // another shop's code
    for (const hostile of ["%2F%2Fevil.example", "..%2F..%2Fadmin", "x".repeat(300), "FRIEND-%0D%0ASet-Cookie:a=b"]) {
      expect((await follow(shop, hostile)).headers.get("location")).toBe("/");
    }
    expect((await fetch(`${app.url}/proxy/r/${code}?shop=${shop}`, { redirect: "manual" })).status).toBe(401);
  });
});

describe("the Referrals page", () => {
  const post = (shop: string, fields: [string, string][]) =>
    adminFetch(app, shop, `/app/referrals?_data=${encodeURIComponent("routes/app.referrals")}`, { method: "POST", body: new URLSearchParams(fields) });

  it("launches and pauses by intent, approves or rejects a flagged referral of its own shop once, and refuses anything else", async () => {
    const shop = await newShop(null);
    expect(await (await post(shop, [["intent", "launch"]])).json()).toEqual({ status: "live" });
    expect(await (await post(shop, [["intent", "pause"]])).json()).toEqual({ status: "paused" });
    expect(await (await post(shop, [["intent", "launch"]])).json()).toEqual({ status: "live" });
    expect((await post(shop, [["intent", "retire"]])).status).toBe(400);
    expect((await post(shop, [])).status).toBe(400);
    expect(
      (
        await post(shop, [
          ["intent", "launch"],
          ["intent", "pause"],
        ])
      ).status,
    ).toBe(400);
    const flagged = await referral(shop, "flagged");
    expect((await post(shop, [["intent", "approve"]])).status).toBe(400);
    expect(
      (
        await post(shop, [
          ["intent", "approve"],
          ["referral_id", flagged],
          ["referral_id", flagged],
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await post(shop, [
          ["intent", "approve"],
          ["referral_id", "no-such-referral"],
        ])
      ).status,
    ).toBe(404);
    const approved = await post(shop, [
      ["intent", "approve"],
      ["referral_id", flagged],
    ]);
    expect([approved.status, await approved.json()]).toEqual([200, { decided: "approve" }]);
    expect(
      (
        await post(shop, [
          ["intent", "reject"],
          ["referral_id", flagged],
        ])
      ).status,
    ).toBe(404); // decided already
    const row = await db.referral.findUniqueOrThrow({ where: { id: flagged } });
    expect(row).toMatchObject({ status: "pending" });
    expect(row.decidedBy).toMatch(/^staff \S+/);
  });

  it("shows the program, the figures and a flagged referral with its reasons in Chromium", async () => {
    const shop = await newShop();
    const advocate = { id: newId(), email: "maya@example.com", firstName: "Maya", lastName: "Chen" };
    const code = (await (await getReferral(shop, advocate.id)).json()).code as string;
    await db.customer.create({ data: { shop, ...advocate } });
    const friend = orderPayload({
      customer: { id: newId(), email: "maya2@example.com", firstName: "Jonas", lastName: "Berg" },
      lines: [{ ...BEANS, quantity: 1 }],
    });
    friend.discount_codes = [{ code, amount: "1.05", type: "percentage" }];
    await deliver(app, "orders/paid", toShopifyJson(friend), { shop });
    await referral(shop, "rewarded");
    for (const viewport of [
      { name: "desktop", width: 1280, height: 900 },
      { name: "phone", width: 390, height: 844 },
    ]) {
      const { page, problems } = await openPage(browser, viewport.width, viewport.height, { Authorization: `Bearer ${await sessionToken(shop)}` });
      await page.goto(`${app.url}/app/referrals`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByText("Jonas Berg").first().isVisible()).toBe(true);
      expect(await page.getByText("Needs your review").first().isVisible()).toBe(true);
      expect(await page.getByText("The friend's email is nearly the advocate's.").first().isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: "Approve" }).first().isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-referrals-${viewport.name}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    }
  });
});

/** A referral of `status` in `shop`, as attribution writes it; returns its id. */
async function referral(shop: string, status: "flagged" | "rewarded"): Promise<string> {
  const id = newId();
  const now = new Date();
  await db.referral.create({
    data: {
      id,
      shop,
      code: "FRIEND-TEST22",
      advocateId: newId(),
      orderId: newId(),
      orderName: `#${id.slice(-4)}`,
      status,
      flags:
        status === "flagged" ? JSON.stringify([{ rule: "code_burst", detail: "The code was used by 6 customers within 24 hours (the limit is 5)." }]) : "[]",
      createdAt: now,
      updatedAt: now,
      rewardedAt: status === "rewarded" ? now : null,
    },
  });
  return id;
}
