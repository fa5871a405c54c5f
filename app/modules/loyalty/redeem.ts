// Redeeming points for a reward from the catalogue: the points leave the balance at once (never
// below zero), and the rewards module issues the one-use code or the store credit through
// Shopify. If Shopify refuses, the points come back in the transaction that records the refusal.
import { randomUUID } from "node:crypto";
import db, { integerOf, sql, statementsIn, type Tx } from "~/db.server";
import { recordReward, type RewardOwner, type RewardTerms } from "~/modules/rewards";
import { scheduleRewardReady } from "./emails";
import { post } from "./ledger";
import { parseLoyaltySettings, rewardName, type RewardOption } from "./settings";

/** The owner of loyalty rewards, as their sourceKey names it ("loyalty:<redemption id>"). */
export const LOYALTY_REWARD_OWNER = "loyalty";
/** How long a redeemed code can be used. */
const CODE_DAYS = 90;

export type Redemption = { id: string; rewardId: string; points: number; balance: number; status: "issuing" };
export type RedeemRefusal = { refused: "not_live" | "unknown_reward" | "short" | "unknown_customer"; balance: number };

function termsOf(option: RewardOption, customerId: string, currency: string): RewardTerms {
  switch (option.kind) {
    case "amount_off":
      return { kind: "discount_code", valueType: "fixed_amount", value: option.value, expiresInDays: CODE_DAYS, customerId, currency };
    case "percent_off":
      return { kind: "discount_code", valueType: "percentage", value: option.value, expiresInDays: CODE_DAYS, customerId, currency };
    case "free_shipping":
      return { kind: "discount_code", valueType: "free_shipping", value: 0, expiresInDays: CODE_DAYS, customerId, currency };
    case "store_credit":
      return { kind: "store_credit", value: option.value, expiresInDays: null, customerId, currency };
  }
}

async function balanceOf(tx: Tx, shop: string, customerId: string): Promise<number> {
  const [row] = await statementsIn(tx).query<{ balance: unknown }>(
    sql`SELECT "balance" FROM "LoyaltyAccount" WHERE "shop" = ${shop} AND "customerId" = ${customerId}`,
  );
  return integerOf(row?.balance);
}

/** Redeems `rewardId` for the customer; the reward is issued by the worker. */
export async function redeem(shop: string, customerId: string, rewardId: string, now: Date): Promise<Redemption | RedeemRefusal> {
  return db.$transaction(async (tx) => {
    const row = await tx.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
    const settings = parseLoyaltySettings(row?.settings);
    // A paused program keeps balances, and what was earned can still be spent.
    if (settings.status === "off") return { refused: "not_live", balance: await balanceOf(tx, shop, customerId) };
    const option = settings.rewards.find((reward) => reward.id === rewardId);
    if (!option) return { refused: "unknown_reward", balance: await balanceOf(tx, shop, customerId) };
    if (!(await tx.customer.findUnique({ where: { shop_id: { shop, id: customerId } }, select: { id: true } }))) {
      return { refused: "unknown_customer", balance: 0 };
    }
    const id = randomUUID();
    const posted = await post(
      tx,
      shop,
      {
        sourceKey: `redeem:${id}`,
        customerId,
        kind: "redeem",
        pendingDelta: 0,
        balanceDelta: -option.points,
        reason: `Redeemed: ${rewardName(option, row?.currency ?? "USD")}`,
      },
      now,
      { covered: true },
    );
    if (posted === "short") return { refused: "short", balance: await balanceOf(tx, shop, customerId) };
    await recordReward(tx, shop, `${LOYALTY_REWARD_OWNER}:${id}`, termsOf(option, customerId, row?.currency ?? "USD"), now);
    return { id, rewardId: option.id, points: option.points, balance: await balanceOf(tx, shop, customerId), status: "issuing" };
  });
}

/** What the rewards module tells loyalty: an issued reward is emailed, a refused one gives its points back. */
export const loyaltyRewardOwner: RewardOwner = {
  discount: { title: "Loyalty reward", codePrefix: "POINTS" },
  issued: (tx, reward, now) => scheduleRewardReady(tx, reward, now),
  async refused(tx, reward, now) {
    const redemptionId = reward.sourceKey.slice(LOYALTY_REWARD_OWNER.length + 1);
    const [entry] = await statementsIn(tx).query<{ balanceDelta: unknown; customerId: string }>(
      sql`SELECT "balanceDelta", "customerId" FROM "LoyaltyEntry" WHERE "shop" = ${reward.shop} AND "sourceKey" = ${`redeem:${redemptionId}`}`,
    );
    if (!entry) return false;
    const points = -integerOf(entry.balanceDelta);
    const reason = `Returned: Shopify refused the reward (${reward.lastError ?? "no reason given"})`;
    await post(
      tx,
      reward.shop,
      { sourceKey: `return:${redemptionId}`, customerId: entry.customerId, kind: "return", pendingDelta: 0, balanceDelta: points, reason },
      now,
    );
    return true;
  },
};
