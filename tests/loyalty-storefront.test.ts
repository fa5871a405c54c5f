// The loyalty storefront contract through Shopify's app proxy, over real HTTP into the built
// app: GET /apps/aftercare/loyalty for a guest and a signed-in customer, POST
// /apps/aftercare/loyalty/redeem with every answer it promises (201, 409, 404, 400, 403, 401),
// and the doors attacked: unsigned, tampered, repeated fields, another shop's customer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { now } from "~/modules/clock";
import { post, setProgramStatus } from "~/modules/loyalty";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { newId } from "./support/payloads";
import { proxyUrl, signedQuery, streamPost } from "./support/proxy";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

async function shopWithProgram(status: "live" | "paused" | null = "live"): Promise<string> {
  const shop = uniqueShop("loyalty");
  await db.shop.create({ data: { shop, name: "Test Roasters", currency: "USD", installedAt: new Date("2026-01-01T00:00:00Z") } });
  if (status) await setProgramStatus(shop, status);
  return shop;
}

async function member(shop: string, points: number, pending = 0): Promise<string> {
  const customerId = newId();
  await db.customer.create({ data: { shop, id: customerId, email: `${customerId}@example.com` } });
  await db.$transaction(async (tx) => {
    await post(
      tx,
      shop,
      { sourceKey: `order:${customerId}:earn`, customerId, kind: "earn", pendingDelta: pending, balanceDelta: 0, orderId: customerId, reason: "Order #1001" },
      now(),
    );
    await post(
      tx,
      shop,
      { sourceKey: `adjust:${customerId}`, customerId, kind: "adjust", pendingDelta: 0, balanceDelta: points, reason: "welcome, Robin", actor: "owner@shop" },
      now(),
    );
  });
  return customerId;
}

const getLoyalty = (shop: string, customerId?: string) => fetch(proxyUrl(app.url, "loyalty", shop, [], { customerId }));
const redeemAt = (shop: string, customerId: string | undefined, fields: [string, string][]) =>
  fetch(proxyUrl(app.url, "loyalty/redeem", shop, [], { customerId }), { method: "POST", body: new URLSearchParams(fields) });

describe("GET /apps/aftercare/loyalty", () => {
  it("shows a guest the program to join and a signed-in customer their points, history and rewards", async () => {
    const shop = await shopWithProgram();
    const guest = await getLoyalty(shop);
    expect(guest.status).toBe(200);
    expect(guest.headers.get("cache-control")).toBe("private, no-store");
    expect(await guest.json()).toEqual({
      program: { status: "live", currency: "USD", points_per_unit: 1, approve_after_delivery_days: 14, bonuses: { signup: 100, birthday: 100 } },
      customer: null,
      rewards: [{ id: "amount-off-500", name: "$5.00 off", points: 500, kind: "amount_off", value: 500 }],
      redemptions: [],
    });

    const customerId = await member(shop, 640, 131);
    const body = await (await getLoyalty(shop, customerId)).json();
    expect(body.customer).toMatchObject({ balance: 640, pending: 131, tier: null });
    expect(
      body.customer.history.map((h: { kind: string; points: number; pending: boolean; reason: string }) => [h.kind, h.points, h.pending, h.reason]).sort(),
    ).toEqual([
      ["adjust", 640, false, "Adjusted by the store"],
      ["earn", 131, true, "Order #1001"],
    ]);
    expect(JSON.stringify(body)).not.toContain("Robin"); // the merchant's note stays in the admin
  });

  it("says the program is off, with nothing to redeem, before the merchant launches it", async () => {
    const shop = await shopWithProgram(null);
    expect(await (await getLoyalty(shop, newId())).json()).toMatchObject({ program: { status: "off" }, customer: null, rewards: [] });
  });

  it("answers 401 to what Shopify did not sign, and never another shop's customer", async () => {
    const [shop, other] = [await shopWithProgram(), await shopWithProgram()];
    const customerId = await member(shop, 900);
    expect((await fetch(`${app.url}/proxy/loyalty?shop=${shop}&logged_in_customer_id=${customerId}`)).status).toBe(401);
    const tampered = signedQuery(shop, [], { customerId: newId() });
    tampered.set("logged_in_customer_id", customerId);
    expect((await fetch(`${app.url}/proxy/loyalty?${tampered}`)).status).toBe(401);
    const wrongSecret = await fetch(proxyUrl(app.url, "loyalty", shop, [], { customerId, secret: "not-the-secret" }));
    expect(wrongSecret.status).toBe(401);
    const repeated = signedQuery(shop, [["logged_in_customer_id", newId()]], { customerId });
    expect((await fetch(`${app.url}/proxy/loyalty?${repeated}`)).status).toBe(401);
    // Shop B's signed request naming shop A's customer sees B's (empty) account.
    expect((await (await getLoyalty(other, customerId)).json()).customer).toMatchObject({ balance: 0, pending: 0, history: [] });
  });
});

describe("POST /apps/aftercare/loyalty/redeem", () => {
  it("redeems once per form, 409 when short, and every refusal it promises", async () => {
    const shop = await shopWithProgram();
    const customerId = await member(shop, 700);

    const redeemed = await redeemAt(shop, customerId, [["reward_id", "amount-off-500"]]);
    expect(redeemed.status).toBe(201);
    const body = await redeemed.json();
    expect(body).toEqual({ redemption: { id: expect.any(String), reward_id: "amount-off-500", points: 500, status: "issuing" }, balance: 200 });
    expect(await db.reward.findFirst({ where: { shop, sourceKey: `loyalty:${body.redemption.id}` } })).toMatchObject({
      customerId,
      kind: "discount_code",
      valueType: "fixed_amount",
      value: 500,
      status: "recorded",
    });

    // The panel shows the redemption while Shopify creates the code.
    expect((await (await getLoyalty(shop, customerId)).json()).redemptions).toEqual([
      { id: body.redemption.id, name: "$5.00 off", status: "issuing", code: null },
    ]);
    const short = await redeemAt(shop, customerId, [["reward_id", "amount-off-500"]]);
    expect([short.status, await short.json()]).toEqual([409, { error: "Not enough points for that reward yet.", reason: "short", balance: 200 }]);
    expect((await redeemAt(shop, customerId, [["reward_id", "free-jet"]])).status).toBe(404);
    expect((await redeemAt(shop, customerId, [])).status).toBe(400);
    expect(
      (
        await redeemAt(shop, customerId, [
          ["reward_id", "amount-off-500"],
          ["reward_id", "amount-off-500"],
        ])
      ).status,
    ).toBe(400);
    expect((await redeemAt(shop, undefined, [["reward_id", "amount-off-500"]])).status).toBe(403);
    const unsigned = await fetch(`${app.url}/proxy/loyalty/redeem?shop=${shop}&logged_in_customer_id=${customerId}`, {
      method: "POST",
      body: new URLSearchParams([["reward_id", "amount-off-500"]]),
    });
    expect(unsigned.status).toBe(401);
    // An oversized body is refused while it is being sent (the connection is cut, so not through fetch).
    const oversized = await streamPost(proxyUrl(app.url, "loyalty/redeem", shop, [], { customerId }), { "Content-Type": "application/x-www-form-urlencoded" }, [
      Buffer.from("reward_id="),
      ...Array.from({ length: 64 }, () => Buffer.alloc(1024, "x")),
    ]);
    expect(oversized.status).toBe(413);
    expect((await fetch(proxyUrl(app.url, "loyalty/redeem", shop, [], { customerId }))).status).toBe(405);
    // Another shop's signed request for this customer spends nothing of theirs.
    const other = await shopWithProgram();
    expect((await redeemAt(other, customerId, [["reward_id", "amount-off-500"]])).status).toBe(409);
    expect(await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } } })).toMatchObject({ balance: 200 });
  });

  it("keeps a paused program's points spendable, and refuses before launch", async () => {
    const paused = await shopWithProgram("paused");
    expect((await redeemAt(paused, await member(paused, 500), [["reward_id", "amount-off-500"]])).status).toBe(201);
    const off = await shopWithProgram(null);
    expect((await redeemAt(off, await member(off, 500), [["reward_id", "amount-off-500"]])).status).toBe(409);
  });
});

describe("POST /apps/aftercare/loyalty/birthday", () => {
  const birthday = (shop: string, customerId: string | undefined, fields: [string, string][]) =>
    fetch(proxyUrl(app.url, "loyalty/birthday", shop, [], { customerId }), { method: "POST", body: new URLSearchParams(fields) });

  it("keeps a member's birthday once, shows it in the panel, and refuses every other form", async () => {
    const shop = await shopWithProgram();
    const customerId = await member(shop, 0);
    expect(
      (
        await birthday(shop, customerId, [
          ["month", "2"],
          ["day", "30"],
        ])
      ).status,
    ).toBe(400);
    expect((await birthday(shop, customerId, [["month", "7"]])).status).toBe(400);
    expect(
      (
        await birthday(shop, customerId, [
          ["month", "7"],
          ["month", "8"],
          ["day", "4"],
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await birthday(shop, customerId, [
          ["month", "<b>"],
          ["day", "4"],
        ])
      ).status,
    ).toBe(400);
    const saved = await birthday(shop, customerId, [
      ["month", "7"],
      ["day", "4"],
    ]);
    expect([saved.status, await saved.json()]).toEqual([201, { birthday: { month: 7, day: 4 } }]);
    const again = await birthday(shop, customerId, [
      ["month", "12"],
      ["day", "24"],
    ]);
    expect([again.status, (await again.json()).reason]).toEqual([409, "already_given"]);
    expect((await (await getLoyalty(shop, customerId)).json()).customer.birthday).toEqual({ month: 7, day: 4 });
    expect(
      (
        await birthday(shop, undefined, [
          ["month", "7"],
          ["day", "4"],
        ])
      ).status,
    ).toBe(403);
    const unsigned = await fetch(`${app.url}/proxy/loyalty/birthday?shop=${shop}&logged_in_customer_id=${customerId}`, {
      method: "POST",
      body: new URLSearchParams([
        ["month", "7"],
        ["day", "4"],
      ]),
    });
    expect(unsigned.status).toBe(401);
    // An oversized body is cut off while it is being sent (so not through fetch).
    const oversized = await streamPost(
      proxyUrl(app.url, "loyalty/birthday", shop, [], { customerId }),
      { "Content-Type": "application/x-www-form-urlencoded" },
      [Buffer.from("month=7&day="), ...Array.from({ length: 8 }, () => Buffer.alloc(1024, "4"))],
    );
    expect(oversized.status).toBe(413);
    expect((await fetch(proxyUrl(app.url, "loyalty/birthday", shop, [], { customerId }))).status).toBe(405);
  });
});
