// The points ledger on SQLite and PostgreSQL, driven by signed-webhook deliveries through the
// real intake and worker: exactly once however the webhooks repeat or reorder, refunds taken
// back in proportion, approval after the return window, redemptions that never overdraw even
// when fifty arrive at once, points given back when Shopify refuses the reward, and erasure
// that keeps the amounts but not the customer.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { CAPABILITIES } from "~/modules/capabilities";
import { rewardOwnersOf } from "~/modules/capability";
import { acceptDelivery, applyPendingDeliveries } from "~/modules/intake";
import { redactCustomer } from "~/modules/privacy";
import { issueDueRewards } from "~/modules/rewards";
import { installSession } from "../../../tests/support/admin";
import { BEANS, GRINDER, installShop } from "../../../tests/support/followups";
import { customerPayload, fulfillmentPayload, newId, orderPayload, refundPayload, toShopifyJson, type Json } from "../../../tests/support/payloads";
import {
  answerAdminGraphql,
  answerDiscountCalls,
  costExtension,
  standInForShopify,
  type HeldDiscount,
  type ShopifyEdge,
} from "../../../tests/support/shopify-edge";
import { giveBirthday, giveBirthdayBonuses } from "./bonuses";
import { approveDuePoints, pointsFor } from "./earning";
import { expireInactivePoints } from "./expiry";
import { storefrontLoyalty } from "./storefront";
import { reviewDueTiers } from "./tiers";
import { post } from "./ledger";
import { redeem, type Redemption } from "./redeem";
import { parseLoyaltySettings, setProgramStatus } from "./settings";
import { updateSettingsSection } from "~/modules/shops/settings";

const DAY = 86_400_000;
const PAID_AT = "2026-11-02T10:00:00Z";
const at = (iso: string, days = 0) => new Date(Date.parse(iso) + days * DAY);

async function launchedShop(): Promise<string> {
  const shop = await installShop("America/New_York");
  await setProgramStatus(shop, "live");
  return shop;
}

/** Stores a signed delivery as the web tier would and lets the worker's intake apply it. */
async function deliver(shop: string, topic: string, payload: Json, now = at(PAID_AT), webhookId: string = randomUUID()): Promise<string> {
  await acceptDelivery({ shop, topic, webhookId, body: toShopifyJson(payload) }, now);
  while ((await applyPendingDeliveries(CAPABILITIES, { shop, now })) > 0);
  return webhookId;
}

async function account(shop: string, customerId: string) {
  const row = await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } } });
  const sums = await db.loyaltyEntry.aggregate({ where: { shop, customerId }, _sum: { pendingDelta: true, balanceDelta: true } });
  // The account always equals the sums of its entries.
  expect([row?.pending ?? 0, row?.balance ?? 0]).toEqual([sums._sum.pendingDelta ?? 0, sums._sum.balanceDelta ?? 0]);
  return { pending: row?.pending ?? 0, balance: row?.balance ?? 0 };
}

const kinds = async (shop: string, orderId: string) =>
  (
    await db.loyaltyEntry.findMany({ where: { shop, orderId }, orderBy: { createdAt: "asc" }, select: { kind: true, pendingDelta: true, balanceDelta: true } })
  ).map((e) => `${e.kind} ${e.pendingDelta}/${e.balanceDelta}`);

/** An order of 2 × beans (21.00) and a grinder (89.00): 131.00 of subtotal, 131 points. */
function order(customerId: string, options: { cancelledAt?: string; updatedAt?: string } = {}) {
  return orderPayload({
    customer: { id: customerId, email: `${customerId}@example.com`, firstName: "Robin", lastName: "Quill" },
    createdAt: PAID_AT,
    lines: [
      { ...BEANS, quantity: 2 },
      { ...GRINDER, quantity: 1 },
    ],
    ...options,
  });
}

describe("earning", () => {
  it("earns once however often and in whatever order the order's webhooks arrive, and nothing before launch or after a pause", async () => {
    const shop = await installShop();
    const customerId = newId();
    const first = order(customerId);
    await deliver(shop, "orders/paid", first);
    expect(await account(shop, customerId)).toEqual({ pending: 0, balance: 0 }); // not launched

    await setProgramStatus(shop, "live");
    const paid = order(customerId);
    const webhookId = await deliver(shop, "orders/paid", paid);
    await deliver(shop, "orders/paid", paid, at(PAID_AT), webhookId); // Shopify's retry: the same webhook id
    await deliver(shop, "orders/paid", paid); // the same fact, another delivery
    await deliver(shop, "orders/create", paid);
    await deliver(shop, "orders/updated", paid);
    expect(await kinds(shop, paid.id)).toEqual(["earn 131/0"]);
    expect(await account(shop, customerId)).toEqual({ pending: 131, balance: 0 });

    // Cancelled, then the (older) paid delivery arrives late: nothing is earned.
    const late = order(customerId);
    await deliver(shop, "orders/cancelled", { ...late, cancelled_at: "2026-11-02T11:00:00Z", cancel_reason: "customer", updated_at: "2026-11-02T11:00:00Z" });
    await deliver(shop, "orders/paid", late);
    expect(await kinds(shop, late.id)).toEqual([]);

    // Paid, then cancelled: the pending points are voided, once.
    const cancelled = order(customerId);
    await deliver(shop, "orders/paid", cancelled);
    const cancellation = { ...cancelled, cancelled_at: "2026-11-03T09:00:00Z", cancel_reason: "customer", updated_at: "2026-11-03T09:00:00Z" };
    await deliver(shop, "orders/cancelled", cancellation);
    await deliver(shop, "orders/updated", cancellation);
    expect(await kinds(shop, cancelled.id)).toEqual(["earn 131/0", "void -131/0"]);

    await setProgramStatus(shop, "paused");
    await deliver(shop, "orders/paid", order(customerId));
    expect(await account(shop, customerId)).toEqual({ pending: 131, balance: 0 }); // paused: nothing new, the balance kept
  });

  it("counts the subtotal after discounts per whole unit of the shop's currency; shipping and tax only when asked", () => {
    const settings = parseLoyaltySettings(JSON.stringify({ loyalty: { status: "live" } }));
    const totals = { subtotalMinor: 13_199, shippingMinor: 1_000, taxMinor: 990 };
    expect(pointsFor(totals, settings, "USD")).toBe(131);
    expect(pointsFor(totals, { ...settings, includeShipping: true, includeTax: true }, "USD")).toBe(151);
    expect(pointsFor({ ...totals, subtotalMinor: 5_000 }, settings, "JPY")).toBe(5_000);
    expect(pointsFor(totals, { ...settings, pointsPerUnit: 3 }, "USD")).toBe(395);
  });
});

describe("refunds", () => {
  it("take back points in proportion, pending or approved, once each, even when the refund arrives before the order", async () => {
    const shop = await launchedShop();
    const customerId = newId();
    const paid = order(customerId);
    const [beans, grinder] = paid.line_items as Json[];
    await deliver(shop, "orders/paid", paid);

    // One bag of beans back: 21.00 of 131.00 -> 21 points.
    const oneBag = refundPayload(paid, { items: [{ lineItem: beans!, quantity: 1 }] });
    await deliver(shop, "refunds/create", oneBag);
    await deliver(shop, "refunds/create", oneBag);
    expect(await account(shop, customerId)).toEqual({ pending: 110, balance: 0 });

    // Delivered and past the window: what is left is approved.
    await deliver(
      shop,
      "fulfillments/create",
      fulfillmentPayload(paid.id, { shipmentStatus: "delivered", createdAt: "2026-11-04T10:00:00Z" }),
      at("2026-11-04T10:00:00Z"),
    );
    expect(await approveDuePoints(at("2026-11-04T10:00:00Z", 13), { shop })).toBe(0);
    expect(await approveDuePoints(at("2026-11-04T10:00:00Z", 14), { shop })).toBe(1);
    expect(await approveDuePoints(at("2026-11-04T10:00:00Z", 15), { shop })).toBe(0);
    expect(await account(shop, customerId)).toEqual({ pending: 0, balance: 110 });

    // Spent, then the grinder comes back: 89 more points owed, the balance below zero.
    await db.$transaction((tx) =>
      post(tx, shop, { sourceKey: "test:spend", customerId, kind: "adjust", pendingDelta: 0, balanceDelta: -100, reason: "spent" }, at(PAID_AT)),
    );
    await deliver(shop, "refunds/create", refundPayload(paid, { items: [{ lineItem: grinder!, quantity: 1 }] }), at("2026-11-25T10:00:00Z"));
    expect(await account(shop, customerId)).toEqual({ pending: 0, balance: -79 });
    // The second bag: everything is now refunded, and all 131 points are taken back, no more.
    await deliver(shop, "refunds/create", refundPayload(paid, { items: [{ lineItem: beans!, quantity: 1 }] }), at("2026-11-26T10:00:00Z"));
    expect(await kinds(shop, paid.id)).toEqual(["earn 131/0", "reverse -21/0", "approve -110/110", "reverse 0/-89", "reverse 0/-21"]);
    expect(await account(shop, customerId)).toEqual({ pending: 0, balance: -100 });

    // A refund heard before its order: taken back when the order's points are earned.
    const early = order(customerId);
    await deliver(shop, "refunds/create", refundPayload(early, { items: [{ lineItem: (early.line_items as Json[])[1]!, quantity: 1 }] }));
    await deliver(shop, "orders/paid", early);
    expect(await kinds(shop, early.id)).toEqual(["earn 131/0", "reverse -89/0"]);
  });

  it("approve after the longer window from fulfillment when no delivery event comes, and never for an order not fulfilled", async () => {
    const shop = await launchedShop();
    const [shipped, waiting] = [order(newId()), order(newId())];
    await deliver(shop, "orders/paid", shipped);
    await deliver(shop, "orders/paid", waiting);
    await deliver(shop, "fulfillments/create", fulfillmentPayload(shipped.id, { createdAt: "2026-11-03T10:00:00Z" }));
    expect(await approveDuePoints(at("2026-11-03T10:00:00Z", 20), { shop })).toBe(0);
    expect(await approveDuePoints(at("2026-11-03T10:00:00Z", 21), { shop })).toBe(1);
    expect(await approveDuePoints(at("2026-11-03T10:00:00Z", 200), { shop })).toBe(0);
    expect(await kinds(shop, waiting.id)).toEqual(["earn 131/0"]);
  });
});

describe("redeeming", () => {
  let edge: ShopifyEdge;
  beforeAll(() => {
    edge = standInForShopify();
  });
  afterAll(async () => {
    await edge.restore();
  });

  async function customerWith(shop: string, points: number) {
    const customerId = newId();
    await db.customer.create({ data: { shop, id: customerId, email: `${customerId}@example.com` } });
    await db.$transaction((tx) =>
      post(
        tx,
        shop,
        { sourceKey: `test:${customerId}`, customerId, kind: "adjust", pendingDelta: 0, balanceDelta: points, reason: "starting balance", actor: "test" },
        at(PAID_AT),
      ),
    );
    return customerId;
  }

  it("never takes a balance below zero, even with fifty redemptions at once", async () => {
    const shop = await launchedShop();
    const customerId = await customerWith(shop, 1_200);
    const results = await Promise.all(Array.from({ length: 50 }, () => redeem(shop, customerId, "amount-off-500", at(PAID_AT))));
    const redeemed = results.filter((r): r is Redemption => "id" in r);
    expect(redeemed).toHaveLength(2);
    expect(results.filter((r) => "refused" in r && r.refused === "short")).toHaveLength(48);
    expect(await account(shop, customerId)).toEqual({ pending: 0, balance: 200 });
    expect(await db.reward.count({ where: { shop, customerId, sourceKey: { startsWith: "loyalty:" } } })).toBe(2);
    expect(await redeem(shop, customerId, "no-such-reward", at(PAID_AT))).toEqual({ refused: "unknown_reward", balance: 200 });
    expect(await redeem(shop, newId(), "amount-off-500", at(PAID_AT))).toMatchObject({ refused: "unknown_customer" });
  });

  it("gives the points back when Shopify refuses the reward, with Shopify's reason", async () => {
    const shop = await launchedShop();
    await installSession(shop);
    const customerId = await customerWith(shop, 600);
    const redemption = (await redeem(shop, customerId, "amount-off-500", at(PAID_AT))) as Redemption;
    expect(redemption).toMatchObject({ points: 500, balance: 100, status: "issuing" });
    const refusal = { field: ["basicCodeDiscount", "customerSelection"], code: "INVALID", message: "Customer does not exist" };
    answerAdminGraphql(
      edge,
      shop,
      () => ({ data: { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [refusal] } }, extensions: costExtension() }),
      {
        once: true,
      },
    );
    expect(await issueDueRewards(at(PAID_AT), { shop, owners: rewardOwnersOf(CAPABILITIES) })).toMatchObject({ refused: 1 });
    expect(await db.reward.findFirst({ where: { shop, sourceKey: `loyalty:${redemption.id}` } })).toMatchObject({ status: "returned" });
    expect(await account(shop, customerId)).toEqual({ pending: 0, balance: 600 });
    const returned = await db.loyaltyEntry.findFirst({ where: { shop, customerId, kind: "return" } });
    expect(returned?.reason).toContain("Customer does not exist");
  });
});

describe("tiers", () => {
  const TIERS = {
    enabled: true,
    list: [
      { id: "member", name: "Member", threshold: 0, multiplier: 100, perks: "" },
      { id: "silver", name: "Silver", threshold: 10_000, multiplier: 150, perks: "Free gift wrap" },
      { id: "gold", name: "Gold", threshold: 30_000, multiplier: 200, perks: "" },
    ],
  };

  it("multiply what the next order earns, move up once on the spend, move down as the spend ages out, each move a ledger entry and an email", async () => {
    const shop = await launchedShop();
    await db.shop.update({ where: { shop }, data: { settings: JSON.stringify({ loyalty: { status: "live", tiers: TIERS } }) } });
    const customerId = newId();
    const first = order(customerId);
    await deliver(shop, "orders/paid", first);
    await deliver(shop, "orders/paid", first); // again: nothing moves twice
    const second = order(customerId);
    await deliver(shop, "orders/paid", second);
    const entries = await db.loyaltyEntry.findMany({
      where: { shop, customerId },
      orderBy: { createdAt: "asc" },
      select: { kind: true, pendingDelta: true, reason: true },
    });
    expect(entries.map((e) => [e.kind, e.pendingDelta, e.reason]).sort()).toEqual([
      ["earn", 131, `Order ${first.name}`],
      ["earn", 196, `Order ${second.name} (Silver: ×1.5)`],
      ["tier", 0, "Moved up to Silver"],
    ]);
    expect(await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { tier: true } })).toEqual({ tier: "silver" });
    expect(await db.message.count({ where: { shop, customerId, flow: "tier_change", marketing: true } })).toBe(1);
    const view = (await storefrontLoyalty(shop, customerId, at(PAID_AT, 1))).customer!.tier;
    expect(view).toEqual({
      id: "silver",
      name: "Silver",
      multiplier: 1.5,
      perks: "Free gift wrap",
      spend: 26_200,
      next: { id: "gold", name: "Gold", spend_to_go: 3_800 },
    });

    // A year on, both orders are older than 12 months: the worker moves the member down.
    expect(await reviewDueTiers(at(PAID_AT, 200), { shop })).toBe(1);
    expect(await db.loyaltyEntry.count({ where: { shop, customerId, kind: "tier" } })).toBe(1);
    expect(await reviewDueTiers(at(PAID_AT, 200.5), { shop })).toBe(0); // checked less than a day ago
    await reviewDueTiers(at(PAID_AT, 366), { shop });
    expect((await db.loyaltyEntry.findFirst({ where: { shop, customerId, kind: "tier" }, orderBy: { createdAt: "desc" } }))?.reason).toBe(
      "Moved down to Member",
    );
    expect(await db.message.count({ where: { shop, customerId, flow: "tier_change" } })).toBe(2);
    expect(await account(shop, customerId)).toEqual({ pending: 327, balance: 0 });
  });
});

describe("bonuses", () => {
  it("give the account bonus once, only for an account Shopify says is active, and the birthday bonus on the day, once a year", async () => {
    const shop = await launchedShop(); // America/New_York
    const [member, guest] = [newId(), newId()];
    const customerIn = (id: string, state: string) => ({
      ...customerPayload({ id, email: `${id}@example.com`, firstName: "Robin", lastName: "Quill" }),
      state,
    });
    await deliver(shop, "customers/create", customerIn(guest, "disabled"));
    await deliver(shop, "customers/create", customerIn(member, "invited"));
    await deliver(shop, "customers/update", customerIn(member, "enabled"));
    await deliver(shop, "customers/update", customerIn(member, "enabled"));
    expect(await db.loyaltyEntry.findMany({ where: { shop }, select: { customerId: true, kind: true, balanceDelta: true, reason: true } })).toEqual([
      { customerId: member, kind: "bonus", balanceDelta: 100, reason: "Welcome: account created" },
    ]);

    expect(await giveBirthday(shop, member, "2", "30", at(PAID_AT))).toEqual({ saved: false, reason: "invalid" });
    expect(await giveBirthday(shop, member, "13", "1", at(PAID_AT))).toEqual({ saved: false, reason: "invalid" });
    expect(await giveBirthday(shop, member, "11", "20", at(PAID_AT))).toEqual({ saved: true });
    expect(await giveBirthday(shop, member, "11", "3", at(PAID_AT))).toEqual({ saved: false, reason: "already_given" });
    const leapling = newId();
    expect(await giveBirthday(shop, leapling, "2", "29", at(PAID_AT))).toEqual({ saved: true });
    // 01:00 UTC on the 20th is still the 19th in New York.
    expect(await giveBirthdayBonuses(new Date("2026-11-20T01:00:00Z"), { shop })).toBe(0);
    expect(await giveBirthdayBonuses(new Date("2026-11-20T15:00:00Z"), { shop })).toBe(1);
    expect(await giveBirthdayBonuses(new Date("2026-11-20T23:00:00Z"), { shop })).toBe(0);
    expect(await giveBirthdayBonuses(new Date("2027-11-20T15:00:00Z"), { shop })).toBe(1);
    // 2027 has no 29 February: celebrated on the 28th.
    expect(await giveBirthdayBonuses(new Date("2027-02-28T15:00:00Z"), { shop })).toBe(1);
    expect(await account(shop, member)).toEqual({ pending: 0, balance: 300 });
  });
});

describe("expiry", () => {
  it("warns once 14 days before, expires the balance after the months without activity, and starts again after any activity", async () => {
    const shop = await launchedShop();
    await updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({ ...current, expiry: { enabled: true, months: 6 } }));
    const customerId = newId();
    await db.customer.create({ data: { shop, id: customerId, email: `${customerId}@example.com` } });
    const active = new Date("2026-01-10T12:00:00Z");
    const start = { sourceKey: `test:${customerId}`, customerId, kind: "adjust" as const, pendingDelta: 0, balanceDelta: 450, reason: "start", actor: "test" };
    await db.$transaction((tx) => post(tx, shop, start, active));

    expect(await expireInactivePoints(new Date("2026-06-20T12:00:00Z"), { shop })).toBe(0); // 21 days before
    expect(await expireInactivePoints(new Date("2026-06-27T12:00:00Z"), { shop })).toBe(1); // 14 days before: warned
    expect(await expireInactivePoints(new Date("2026-06-28T12:00:00Z"), { shop })).toBe(0); // once
    expect(await db.message.findMany({ where: { shop, customerId, flow: "points_expiring" }, select: { marketing: true } })).toEqual([{ marketing: true }]);
    expect(await expireInactivePoints(new Date("2026-07-10T12:00:01Z"), { shop })).toBe(1);
    expect(await expireInactivePoints(new Date("2026-07-11T12:00:00Z"), { shop })).toBe(0);
    expect(await db.loyaltyEntry.findFirst({ where: { shop, customerId, kind: "expire" }, select: { balanceDelta: true, reason: true } })).toEqual({
      balanceDelta: -450,
      reason: "Expired after 6 months without activity",
    });
    expect(await account(shop, customerId)).toEqual({ pending: 0, balance: 0 });

    // Points earned later start a new stretch: warned again before they expire.
    const again = { ...start, sourceKey: `again:${customerId}`, balanceDelta: 80 };
    await db.$transaction((tx) => post(tx, shop, again, new Date("2026-08-01T12:00:00Z")));
    expect(await expireInactivePoints(new Date("2027-01-19T12:00:00Z"), { shop })).toBe(1);
    expect(await db.message.count({ where: { shop, customerId, flow: "points_expiring" } })).toBe(2);
  });

  it("is off by default, and never runs while the program is paused", async () => {
    const shop = await launchedShop();
    const customerId = newId();
    const start = { sourceKey: `test:${customerId}`, customerId, kind: "adjust" as const, pendingDelta: 0, balanceDelta: 450, reason: "start", actor: "test" };
    await db.$transaction((tx) => post(tx, shop, start, new Date("2020-01-01T00:00:00Z")));
    expect(await expireInactivePoints(at(PAID_AT), { shop })).toBe(0);
    await updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({
      ...current,
      status: "paused" as const,
      expiry: { enabled: true, months: 6 },
    }));
    expect(await expireInactivePoints(at(PAID_AT), { shop })).toBe(0);
    expect(await account(shop, customerId)).toEqual({ pending: 0, balance: 450 });
  });
});

describe("free shipping", () => {
  let edge: ShopifyEdge;
  beforeAll(() => {
    edge = standInForShopify();
  });
  afterAll(async () => {
    await edge.restore();
  });

  it("is redeemed for a one-use free-shipping code for that customer alone, created with discountCodeFreeShippingCreate", async () => {
    const shop = await launchedShop();
    await installSession(shop);
    const rewards = [{ id: "free-shipping-300", points: 300, kind: "free_shipping", value: 0 }];
    await db.shop.update({ where: { shop }, data: { settings: JSON.stringify({ loyalty: { status: "live", rewards } }) } });
    const customerId = newId();
    await db.customer.create({ data: { shop, id: customerId, email: `${customerId}@example.com` } });
    const start = { sourceKey: `test:${customerId}`, customerId, kind: "adjust" as const, pendingDelta: 0, balanceDelta: 320, reason: "start", actor: "test" };
    await db.$transaction((tx) => post(tx, shop, start, at(PAID_AT)));
    expect(await redeem(shop, customerId, "free-shipping-300", at(PAID_AT))).toMatchObject({ points: 300, balance: 20 });
    const held: HeldDiscount[] = [];
    const created: string[] = [];
    answerAdminGraphql(edge, shop, (body) => {
      created.push(body.query.match(/mutation (\w+)|query (\w+)/)![0]);
      return answerDiscountCalls(held, body)!;
    });
    expect(await issueDueRewards(at(PAID_AT), { shop, owners: rewardOwnersOf(CAPABILITIES) })).toMatchObject({ issued: 1 });
    expect(created).toEqual(["mutation CreateFreeShippingDiscount"]);
    expect(held).toEqual([
      expect.objectContaining({ freeShipping: true, customers: [`gid://shopify/Customer/${customerId}`], code: expect.stringMatching(/^POINTS-/) }),
    ]);
  });
});

describe("erasure", () => {
  it("keeps every amount and no trace of the customer's id or the merchant's words about them", async () => {
    const shop = await launchedShop();
    const customerId = newId();
    await deliver(shop, "orders/paid", order(customerId));
    await db.$transaction((tx) =>
      post(
        tx,
        shop,
        { sourceKey: "adjust:1", customerId, kind: "adjust", pendingDelta: 0, balanceDelta: 50, reason: "Robin Quill complained", actor: "owner@shop" },
        at(PAID_AT),
      ),
    );
    const before = await db.loyaltyEntry.aggregate({ where: { shop }, _sum: { pendingDelta: true, balanceDelta: true } });
    await db.$transaction((tx) => redactCustomer(tx, shop, { customerId, email: null, phone: null, orderIds: [], requestId: null }, CAPABILITIES));
    expect(await db.loyaltyEntry.count({ where: { shop, customerId } })).toBe(0);
    expect(await db.loyaltyAccount.count({ where: { shop, customerId } })).toBe(0);
    const after = await db.loyaltyEntry.findMany({ where: { shop } });
    expect(after.map((e) => e.customerId).every((id) => id.startsWith("redacted:"))).toBe(true);
    expect(JSON.stringify(after)).not.toMatch(/Robin|owner@shop/);
    expect(await db.loyaltyEntry.aggregate({ where: { shop }, _sum: { pendingDelta: true, balanceDelta: true } })).toEqual(before);
    const pseudonym = after[0]!.customerId;
    expect(await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId: pseudonym } } })).toMatchObject({ pending: 131, balance: 50 });
  });
});
