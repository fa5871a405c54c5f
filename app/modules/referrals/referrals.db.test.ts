// Referrals on SQLite and PostgreSQL, driven by webhook deliveries through the real intake and
// worker, with Shopify's Admin API stood in for at the HTTP edge: the advocate's code created
// once as a discount for anyone (after a THROTTLED answer), attribution by the code on the
// friend's paid order exactly once, the reward once the return window has passed and never
// after a refund within it, each fraud rule with its reason, the merchant's decision, and
// erasure.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { CAPABILITIES } from "~/modules/capabilities";
import { rewardOwnersOf } from "~/modules/capability";
import { acceptDelivery, applyPendingDeliveries } from "~/modules/intake";
import { setProgramStatus } from "~/modules/loyalty";
import { redactCustomer } from "~/modules/privacy";
import { issueDueRewards } from "~/modules/rewards";
import { updateSettingsSection } from "~/modules/shops/settings";
import { installSession } from "../../../tests/support/admin";
import { BEANS, installShop } from "../../../tests/support/followups";
import { fulfillmentPayload, newId, orderPayload, refundPayload, toShopifyJson, type Json } from "../../../tests/support/payloads";
import {
  answerAdminGraphql,
  answerDiscountCalls,
  standInForShopify,
  throttled,
  type HeldDiscount,
  type ShopifyEdge,
} from "../../../tests/support/shopify-edge";
import { decideReferral, referralsAdminPage } from "./admin";
import { compareEmails } from "./attribution";
import { referralLanding, storefrontReferral } from "./codes";
import { rewardDueReferrals } from "./payout";
import { parseReferralSettings, setReferralStatus, type ReferralSettings } from "./settings";

const DAY = 86_400_000;
const PAID_AT = "2026-11-02T10:00:00Z";
const at = (iso: string, days = 0) => new Date(Date.parse(iso) + days * DAY);
const owners = rewardOwnersOf(CAPABILITIES);

let edge: ShopifyEdge;
/** The discounts Shopify holds, per shop, as the app created them. */
const held = new Map<string, HeldDiscount[]>();
beforeAll(() => {
  edge = standInForShopify();
});
afterAll(async () => {
  await edge.restore();
});

/** Both programs live; Shopify answers the shop's discount calls unless the test answers them itself. */
async function launchedShop(settings: Partial<ReferralSettings> = {}, options: { shopifyAnswers?: boolean } = {}): Promise<string> {
  const shop = await installShop("America/New_York");
  await installSession(shop);
  await setProgramStatus(shop, "live");
  await setReferralStatus(shop, "live");
  if (Object.keys(settings).length > 0) await updateSettingsSection(shop, "referrals", parseReferralSettings, (current) => ({ ...current, ...settings }));
  held.set(shop, []);
  if (options.shopifyAnswers !== false) answerAdminGraphql(edge, shop, (body) => answerDiscountCalls(held.get(shop)!, body)!);
  return shop;
}

async function deliver(shop: string, topic: string, payload: Json, now = at(PAID_AT), webhookId: string = randomUUID()): Promise<string> {
  await acceptDelivery({ shop, topic, webhookId, body: toShopifyJson(payload) }, now);
  while ((await applyPendingDeliveries(CAPABILITIES, { shop, now })) > 0);
  return webhookId;
}

type Person = { id: string; email: string; street?: string };
const person = (email = `${randomUUID().slice(0, 8)}@example.com`, street?: string): Person => ({ id: newId(), email, street });

/** A paid order by `who` (with the codes they typed, as they typed them) to their own street. */
function order(who: Person, codes: string[] = [], createdAt = PAID_AT): Json {
  const payload = orderPayload({
    customer: { id: who.id, email: who.email, firstName: "Robin", lastName: "Quill" },
    createdAt,
    lines: [{ ...BEANS, quantity: 2 }],
  });
  payload.discount_codes = codes.map((code) => ({ code, amount: "2.10", type: "percentage" }));
  payload.shipping_address = { ...(payload.shipping_address as Json), address1: who.street ?? `${who.id} Elm Street`, zip: "40003", country_code: "US" };
  return payload;
}

/** The advocate asks for their code (the referral block does) and the worker creates it in Shopify. */
async function advocateWithCode(shop: string, who = person()): Promise<Person & { code: string }> {
  await db.customer.create({ data: { shop, id: who.id, email: who.email, firstName: "Ada", lastName: "Advocate" } });
  const view = await storefrontReferral(shop, who.id, at(PAID_AT));
  await issueDueRewards(at(PAID_AT), { shop, owners });
  return { ...who, code: view.code! };
}

const referralOf = (shop: string, orderId: string) => db.referral.findUnique({ where: { shop_orderId: { shop, orderId } } });
const rulesOf = async (shop: string, orderId: string) => JSON.parse((await referralOf(shop, orderId))!.flags).map((f: { rule: string }) => f.rule);
const balance = async (shop: string, customerId: string) =>
  (await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } } }))?.balance ?? 0;

describe("the advocate's code", () => {
  it("is recorded on the first ask and created once in Shopify, for anyone, once each, with no end, after a THROTTLED answer", async () => {
    const shop = await launchedShop({}, { shopifyAnswers: false });
    const ada = person();
    await db.customer.create({ data: { shop, id: ada.id, email: ada.email } });
    const first = await storefrontReferral(shop, ada.id, at(PAID_AT));
    expect(first).toMatchObject({ code: expect.stringMatching(/^FRIEND-[2-9A-HJKMNP-Z]{6}$/), code_status: "issuing", friends: 0, pending: 0 });
    expect(first.url).toBe(`https://${shop}/apps/aftercare/r/${first.code}`);
    expect(first.program).toEqual({ status: "live", friend_reward: "10% off a first order", advocate_reward: "500 points" });
    expect((await storefrontReferral(shop, ada.id, at(PAID_AT))).code).toBe(first.code); // the same code on every ask
    // Before Shopify holds it, the link lands on the home page with nothing applied.
    expect(await referralLanding(shop, first.code!)).toBe("/");

    const variables: Json[] = [];
    answerAdminGraphql(edge, shop, () => throttled(), { once: true });
    expect(await issueDueRewards(at(PAID_AT), { shop, owners })).toMatchObject({ retrying: 1 });
    answerAdminGraphql(edge, shop, (body) => (variables.push(body.variables), answerDiscountCalls(held.get(shop)!, body)!), { once: true });
    answerAdminGraphql(edge, shop, (body) => (variables.push(body.variables), answerDiscountCalls(held.get(shop)!, body)!), { once: true });
    expect(await issueDueRewards(at(PAID_AT, 1), { shop, owners })).toMatchObject({ issued: 1 });
    expect(held.get(shop)).toEqual([expect.objectContaining({ code: first.code, customers: [], endsAt: null })]);
    const created = variables.find((v) => "discount" in v)!.discount as Json;
    expect(created).toMatchObject({ context: { all: "ALL" }, appliesOncePerCustomer: true, customerGets: { value: { percentage: 0.1 } } });
    expect(created).not.toHaveProperty("usageLimit");
    expect(await storefrontReferral(shop, ada.id, at(PAID_AT, 1))).toMatchObject({ code: first.code, code_status: "ready" });
    expect(await referralLanding(shop, first.code!.toLowerCase())).toBe(`/discount/${first.code}?redirect=%2F`);
    expect(await referralLanding(shop, "THANKS-2345AB")).toBe("/");
    expect(await referralLanding(shop, "../../admin")).toBe("/");
  });

  it("is not handed out before launch, nor a new one while paused; a guest gets none", async () => {
    const shop = await installShop();
    const ada = person();
    expect(await storefrontReferral(shop, ada.id, at(PAID_AT))).toMatchObject({ program: { status: "off" }, code: null, url: null });
    await setReferralStatus(shop, "paused");
    expect(await storefrontReferral(shop, ada.id, at(PAID_AT))).toMatchObject({ program: { status: "paused" }, code: null });
    await setReferralStatus(shop, "live");
    expect(await storefrontReferral(shop, null, at(PAID_AT))).toMatchObject({ program: { status: "live" }, code: null, friends: 0 });
    expect(await db.reward.count({ where: { shop } })).toBe(0);
  });
});

describe("a friend's order", () => {
  it("is attributed once however its webhooks repeat, and rewards the advocate once its return window has passed", async () => {
    const shop = await launchedShop();
    const ada = await advocateWithCode(shop);
    const friend = person();
    const paid = order(friend, [ada.code.toLowerCase()]);
    const webhookId = await deliver(shop, "orders/paid", paid);
    await deliver(shop, "orders/paid", paid, at(PAID_AT), webhookId);
    await deliver(shop, "orders/paid", paid);
    await deliver(shop, "orders/create", paid);
    expect(await db.referral.count({ where: { shop } })).toBe(1);
    expect(await referralOf(shop, paid.id)).toMatchObject({ status: "pending", advocateId: ada.id, friendCustomerId: friend.id, code: ada.code, flags: "[]" });

    // Not fulfilled: nothing, however long. Delivered on the 5th: rewarded 30 days on.
    expect(await rewardDueReferrals(at(PAID_AT, 60), { shop })).toBe(0);
    const shipped = fulfillmentPayload(paid.id, { createdAt: "2026-11-03T10:00:00Z", shipmentStatus: "delivered", updatedAt: "2026-11-05T10:00:00Z" });
    await deliver(shop, "fulfillments/update", shipped, at("2026-11-05T10:00:00Z"));
    expect(await rewardDueReferrals(at("2026-11-05T10:00:00Z", 29), { shop })).toBe(0);
    expect(await rewardDueReferrals(at("2026-11-05T10:00:00Z", 30), { shop })).toBe(1);
    expect(await rewardDueReferrals(at("2026-11-05T10:00:00Z", 31), { shop })).toBe(0);
    expect(await balance(shop, ada.id)).toBe(500);
    expect(await db.loyaltyEntry.findMany({ where: { shop, customerId: ada.id }, select: { kind: true, balanceDelta: true, reason: true } })).toEqual([
      { kind: "bonus", balanceDelta: 500, reason: "A friend you referred placed an order" },
    ]);
    expect(await storefrontReferral(shop, ada.id, at(PAID_AT, 40))).toMatchObject({ friends: 1, pending: 0 });
    // A refund after the window takes nothing back.
    await deliver(shop, "refunds/create", refundPayload(paid, { items: [{ lineItem: (paid.line_items as Json[])[0]!, quantity: 1 }] }), at(PAID_AT, 45));
    expect(await referralOf(shop, paid.id)).toMatchObject({ status: "rewarded" });
  });

  it("is never rewarded when refunded or cancelled within the window, whichever webhook comes first", async () => {
    const shop = await launchedShop();
    const ada = await advocateWithCode(shop);
    const refunded = order(person(), [ada.code]);
    await deliver(shop, "orders/paid", refunded);
    await deliver(shop, "refunds/create", refundPayload(refunded, { items: [{ lineItem: (refunded.line_items as Json[])[0]!, quantity: 1 }] }));
    expect(await referralOf(shop, refunded.id)).toMatchObject({ status: "void", reason: "The friend's order was refunded within the return window." });

    const early = order(person(), [ada.code]);
    await deliver(shop, "refunds/create", refundPayload(early, { items: [{ lineItem: (early.line_items as Json[])[0]!, quantity: 1 }] }));
    await deliver(shop, "orders/paid", early);
    expect(await referralOf(shop, early.id)).toMatchObject({ status: "void" });

    const cancelled = order(person(), [ada.code]);
    await deliver(shop, "orders/paid", cancelled);
    await deliver(shop, "orders/cancelled", { ...cancelled, cancelled_at: "2026-11-02T11:00:00Z", updated_at: "2026-11-02T11:00:00Z" });
    expect(await referralOf(shop, cancelled.id)).toMatchObject({ status: "void", reason: "The friend's order was cancelled." });

    for (const o of [refunded, early, cancelled]) await deliver(shop, "fulfillments/create", fulfillmentPayload(o.id, { createdAt: PAID_AT }));
    expect(await rewardDueReferrals(at(PAID_AT, 90), { shop })).toBe(0);
    expect(await balance(shop, ada.id)).toBe(0);
  });

  it("without a referral code, or with one of another shop, is no referral", async () => {
    const [shop, other] = [await launchedShop(), await launchedShop()];
    const theirs = await advocateWithCode(other);
    await deliver(shop, "orders/paid", order(person()));
    await deliver(shop, "orders/paid", order(person(), ["WELCOME10", theirs.code]));
    expect(await db.referral.count({ where: { shop } })).toBe(0);
  });
});

describe("the fraud rules", () => {
  it("reject the advocate's own order and hold, with the reason, a friend who is not new or who writes the advocate's email another way", async () => {
    const shop = await launchedShop();
    const ada = await advocateWithCode(shop, person("ada.lovelace+shop@gmail.com"));
    const own = order(ada, [ada.code]);
    await deliver(shop, "orders/paid", own);
    expect(await referralOf(shop, own.id)).toMatchObject({ status: "rejected", reason: "The advocate used their own code." });

    const returning = person();
    await deliver(shop, "orders/paid", order(returning, [], "2026-10-01T10:00:00Z"));
    const again = order(returning, [ada.code]);
    await deliver(shop, "orders/paid", again);
    expect(await referralOf(shop, again.id)).toMatchObject({ status: "flagged" });
    expect(await rulesOf(shop, again.id)).toEqual(["not_new_customer"]);

    const alias = order(person("adalovelace@googlemail.com"), [ada.code]);
    await deliver(shop, "orders/paid", alias);
    expect(await rulesOf(shop, alias.id)).toEqual(["same_email"]);
    const nearly = order(person("ada.lovelaces@gmail.com"), [ada.code]);
    await deliver(shop, "orders/paid", nearly);
    expect(await rulesOf(shop, nearly.id)).toEqual(["similar_email"]);
    expect(JSON.parse((await referralOf(shop, nearly.id))!.flags)[0].detail).toBe("The friend's email is nearly the advocate's.");
  });

  it("hold a friend shipping to the advocate's address, the eleventh referral to one address in a week, and a code used by too many too fast", async () => {
    const shop = await launchedShop();
    const ada = await advocateWithCode(shop, person(undefined, "1 Shared Lane"));
    await deliver(shop, "orders/paid", order(ada, [], "2026-10-01T10:00:00Z"));
    const housemate = order(person(undefined, "1  shared lane."), [ada.code]);
    await deliver(shop, "orders/paid", housemate);
    expect(await rulesOf(shop, housemate.id)).toEqual(["same_address"]);

    // Eleven friends of eleven advocates, all shipping to one door: the eleventh is held.
    const door: string[] = [];
    for (let i = 0; i < 11; i++) {
      const advocate = await advocateWithCode(shop);
      const friendOrder = order(person(undefined, "99 Drop Street"), [advocate.code]);
      await deliver(shop, "orders/paid", friendOrder);
      door.push(friendOrder.id);
    }
    expect(await rulesOf(shop, door[9]!)).toEqual([]);
    expect(await rulesOf(shop, door[10]!)).toEqual(["address_limit"]);

    // Six customers on one code within a day: the sixth is held; a day later the count starts again.
    const leaked = await advocateWithCode(shop);
    const burst: string[] = [];
    for (let i = 0; i < 6; i++) {
      const friendOrder = order(person(), [leaked.code]);
      await deliver(shop, "orders/paid", friendOrder, at(PAID_AT, 0.1 * i));
      burst.push(friendOrder.id);
    }
    expect(await rulesOf(shop, burst[4]!)).toEqual([]);
    expect(await rulesOf(shop, burst[5]!)).toEqual(["code_burst"]);
    const later = order(person(), [leaked.code]);
    await deliver(shop, "orders/paid", later, at(PAID_AT, 3));
    expect(await rulesOf(shop, later.id)).toEqual([]);
  });

  it("tell one inbox written two ways from a near-same one and from a stranger's", () => {
    expect(compareEmails("Jo.Smith+promo@gmail.com", "josmith@googlemail.com")).toBe("same");
    expect(compareEmails("robin.quill@example.com", "robinquill2@example.com")).toBe("similar");
    expect(compareEmails("robinquill@example.com", "robinquil@example.com")).toBe("similar");
    expect(compareEmails("robin@example.com", "robin@another.test")).toBeNull();
    expect(compareEmails("amy@example.com", "ann@example.com")).toBeNull();
  });
});

describe("the merchant", () => {
  it("approves a flagged referral (rewarded after its window) or rejects one (never rewarded), only in their own shop", async () => {
    const shop = await launchedShop({ advocateReward: { kind: "amount_off", value: 1000 } });
    const other = await launchedShop();
    const ada = await advocateWithCode(shop, person("ada@example.com"));
    const [approved, rejected] = [order(person("ada+1@example.com"), [ada.code]), order(person("ada+2@example.com"), [ada.code])];
    for (const o of [approved, rejected]) {
      await deliver(shop, "orders/paid", o);
      await deliver(shop, "fulfillments/create", fulfillmentPayload(o.id, { createdAt: PAID_AT }));
    }
    const approvedId = (await referralOf(shop, approved.id))!.id;
    const rejectedId = (await referralOf(shop, rejected.id))!.id;
    expect(await decideReferral(other, approvedId, "approve", "staff 1", at(PAID_AT))).toBe("not_flagged");
    expect(await decideReferral(shop, approvedId, "approve", "staff 1", at(PAID_AT))).toBe("decided");
    expect(await decideReferral(shop, approvedId, "reject", "staff 1", at(PAID_AT))).toBe("not_flagged");
    expect(await decideReferral(shop, rejectedId, "reject", "staff 2", at(PAID_AT))).toBe("decided");

    // No delivery event: the window runs from the fulfillment, a week longer.
    expect(await rewardDueReferrals(at(PAID_AT, 36), { shop })).toBe(0);
    expect(await rewardDueReferrals(at(PAID_AT, 37), { shop })).toBe(1);
    expect(await referralOf(shop, rejected.id)).toMatchObject({ status: "rejected", decidedBy: "staff 2" });
    // The advocate's reward is a one-use code for them alone.
    expect(await issueDueRewards(at(PAID_AT, 37), { shop, owners })).toMatchObject({ issued: 1 });
    const reward = await db.reward.findFirst({ where: { shop, sourceKey: `referral:${approvedId}` } });
    expect(reward).toMatchObject({ customerId: ada.id, valueType: "fixed_amount", value: 1000, status: "issued", code: expect.stringMatching(/^REFER-/) });
    expect(held.get(shop)!.find((d) => d.code === reward!.code)!.customers).toEqual([`gid://shopify/Customer/${ada.id}`]);

    const page = await referralsAdminPage(shop, null);
    expect(page.counts).toMatchObject({ rewarded: 1, rejected: 1, flagged: 0 });
    expect(page.referrals.find((r) => r.id === approvedId)).toMatchObject({ advocate: "Ada Advocate", friend: "Robin Quill", decidedBy: "staff 1" });
  });

  it("keeps the outcome but not the advocate when the advocate is erased, and forgets the friend", async () => {
    const shop = await launchedShop();
    const ada = await advocateWithCode(shop);
    const friend = person();
    const paid = order(friend, [ada.code]);
    await deliver(shop, "orders/paid", paid);
    const erase = (customerId: string) =>
      db.$transaction((tx) => redactCustomer(tx, shop, { customerId, email: null, phone: null, orderIds: [], requestId: null }, CAPABILITIES));
    await erase(friend.id);
    expect(await referralOf(shop, paid.id)).toMatchObject({ friendCustomerId: null, status: "pending" });
    await erase(ada.id);
    const kept = await referralOf(shop, paid.id);
    expect(kept?.advocateId).toMatch(/^redacted:/);
    expect(await db.reward.count({ where: { shop, customerId: ada.id } })).toBe(0);
    expect(await db.order.findUnique({ where: { shop_id: { shop, id: paid.id } }, select: { shippingKey: true } })).toEqual({ shippingKey: null });
  });
});
