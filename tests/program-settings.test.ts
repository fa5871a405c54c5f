// The Loyalty and Referral settings pages through the real auth path: a valid form saved (and
// seen by the storefront), every field's refusal marked, and the doors attacked (not JSON, a
// list, a body over 64 KB, too many rewards); the program's status never changed by a save.
// Both pages in Chromium.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { parseLoyaltySettings, setProgramStatus, storefrontLoyalty } from "~/modules/loyalty";
import { parseReferralSettings, setReferralStatus } from "~/modules/referrals";
import { adminFetch, installSession, sessionToken } from "./support/admin";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { launchBrowser, openPage, screenshot } from "./support/browser";

let app: RunningApp;
let browser: Browser;
const shop = uniqueShop("program-settings");
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "Test Roasters", currency: "EUR", timezone: "Europe/Berlin", installedAt: new Date() } });
  await setProgramStatus(shop, "live");
  await setReferralStatus(shop, "paused");
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const save = (page: "loyalty" | "referrals", body: BodyInit) =>
  adminFetch(app, shop, `/app/${page}/settings?_data=${encodeURIComponent(`routes/app.${page}_.settings`)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
const stored = async () => (await db.shop.findUniqueOrThrow({ where: { shop } })).settings;

const LOYALTY_FORM = {
  pointsPerUnit: "2",
  includeShipping: true,
  includeTax: false,
  approveAfterDeliveryDays: "30",
  approveAfterFulfillmentDays: "40",
  signupBonus: "250",
  birthdayBonus: "0",
  rewards: [
    { id: "amount-off-500", kind: "amount_off", points: "500", value: "5,00" },
    { id: "", kind: "free_shipping", points: "300", value: "" },
    { id: "", kind: "percent_off", points: "900", value: "15" },
  ],
};

describe("loyalty settings", () => {
  it("saves the earning rules and the catalogue, keeps the program live, and the storefront offers the new rewards", async () => {
    const response = await save("loyalty", JSON.stringify(LOYALTY_FORM));
    expect(response.status).toBe(200);
    expect((await response.json()).form.rewards.map((r: { id: string }) => r.id)).toEqual(["amount-off-500", "free-shipping-300", "percent-off-900"]);
    const settings = parseLoyaltySettings(await stored());
    expect(settings).toMatchObject({
      status: "live",
      pointsPerUnit: 2,
      includeShipping: true,
      approveAfterDeliveryDays: 30,
      approveAfterFulfillmentDays: 40,
      bonuses: { signup: 250, birthday: 0 },
    });
    expect((await storefrontLoyalty(shop, null, new Date())).rewards.map((r) => [r.id, r.name, r.points])).toEqual([
      ["amount-off-500", "€5.00 off", 500],
      ["free-shipping-300", "Free shipping", 300],
      ["percent-off-900", "15% off", 900],
    ]);
  });

  it("marks every refused field and saves nothing", async () => {
    const before = await stored();
    const bad = {
      ...LOYALTY_FORM,
      pointsPerUnit: "0",
      approveAfterDeliveryDays: "-1",
      signupBonus: "lots",
      rewards: [
        { id: "x", kind: "amount_off", points: "ten", value: "5" },
        { id: "y", kind: "percent_off", points: "100", value: "250" },
        { id: "z", kind: "store_credit", points: "100", value: "0" },
      ],
    };
    const response = await save("loyalty", JSON.stringify(bad));
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).errors).sort()).toEqual([
      "approveAfterDeliveryDays",
      "pointsPerUnit",
      "rewards.0.points",
      "rewards.1.value",
      "rewards.2.value",
      "signupBonus",
    ]);
    const tooMany = { ...LOYALTY_FORM, rewards: Array.from({ length: 40 }, (_, i) => ({ id: "", kind: "amount_off", points: String(100 + i), value: "1" })) };
    expect((await (await save("loyalty", JSON.stringify(tooMany))).json()).errors).toEqual({ rewards: "Offer from 1 to 12 rewards." });
    expect((await save("loyalty", JSON.stringify({ ...LOYALTY_FORM, rewards: [] }))).status).toBe(400);
    expect((await save("loyalty", "not json")).status).toBe(400);
    expect((await save("loyalty", JSON.stringify([LOYALTY_FORM]))).status).toBe(400);
    expect((await save("loyalty", JSON.stringify({ ...LOYALTY_FORM, padding: "x".repeat(70 * 1024) }))).status).toBe(413);
    expect(await stored()).toBe(before);
  });
});

describe("loyalty tiers", () => {
  const ladder = [
    { id: "", name: "Bean", threshold: "", multiplier: "1", perks: "" },
    { id: "", name: "Roast Club", threshold: "250", multiplier: "1.25", perks: "Free shipping on every order" },
    { id: "", name: "Reserve", threshold: "600,00", multiplier: "2", perks: "" },
  ];

  it("saves a rising ladder, and refuses one that does not rise, an unnamed tier and a multiplier past 5", async () => {
    const saved = await save("loyalty", JSON.stringify({ ...LOYALTY_FORM, tiersEnabled: true, tiers: ladder }));
    expect(saved.status).toBe(200);
    expect(parseLoyaltySettings(await stored()).tiers).toEqual({
      enabled: true,
      list: [
        { id: "bean", name: "Bean", threshold: 0, multiplier: 100, perks: "" },
        { id: "roast-club", name: "Roast Club", threshold: 25_000, multiplier: 125, perks: "Free shipping on every order" },
        { id: "reserve", name: "Reserve", threshold: 60_000, multiplier: 200, perks: "" },
      ],
    });
    const before = await stored();
    const bad = [ladder[0], { ...ladder[1], name: " " }, { ...ladder[2], threshold: "100", multiplier: "7" }];
    const refused = await save("loyalty", JSON.stringify({ ...LOYALTY_FORM, tiersEnabled: true, tiers: bad }));
    expect(Object.keys((await refused.json()).errors).sort()).toEqual(["tiers.1.name", "tiers.2.multiplier", "tiers.2.threshold"]);
    expect(await stored()).toBe(before);
  });
});

describe("referral settings", () => {
  it("saves the rewards and the rules, keeps the program paused, and marks every refused field", async () => {
    const form = {
      friendPercent: "15",
      advocateKind: "store_credit",
      advocateValue: "7.50",
      returnWindowDays: "45",
      weeklyAddressLimit: "3",
      burstLimit: "8",
      burstHours: "12",
    };
    const response = await save("referrals", JSON.stringify(form));
    expect([response.status, (await response.json()).form]).toEqual([200, form]);
    expect(parseReferralSettings(await stored())).toEqual({
      status: "paused",
      friendPercent: 15,
      advocateReward: { kind: "store_credit", value: 750 },
      returnWindowDays: 45,
      weeklyAddressLimit: 3,
      burstLimit: 8,
      burstHours: 12,
    });
    const before = await stored();
    const refused = await save("referrals", JSON.stringify({ ...form, friendPercent: "101", advocateKind: "yacht", burstHours: "0" }));
    expect(refused.status).toBe(400);
    expect(Object.keys((await refused.json()).errors).sort()).toEqual(["advocateKind", "burstHours", "friendPercent"]);
    expect(await stored()).toBe(before);
  });
});

describe("in Chromium", () => {
  for (const [page, heading] of [
    ["loyalty", "When points can be spent"],
    ["referrals", "Fraud rules"],
  ] as const) {
    it(`the ${page} settings page shows what is saved`, async () => {
      for (const viewport of [
        { name: "desktop", width: 1280, height: 900 },
        { name: "phone", width: 390, height: 844 },
      ]) {
        const { page: tab, problems } = await openPage(browser, viewport.width, viewport.height, { Authorization: `Bearer ${await sessionToken(shop)}` });
        await tab.goto(`${app.url}/app/${page}/settings`, { waitUntil: "networkidle" });
        await expect.poll(() => tab.getByText(heading).first().isVisible()).toBe(true);
        expect(await tab.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
        await screenshot(tab, `admin-${page}-settings-${viewport.name}`);
        expect(problems.errors).toEqual([]);
        await tab.context().close();
      }
    });
  }
});
