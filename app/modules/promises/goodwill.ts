// The goodwill gesture that goes with an apology, by the shop's policy: loyalty points (posted
// at once), a one-use code or store credit (issued in Shopify by the rewards module). Once per
// order, however many ways its promise broke: the sourceKey is the order's.
import type { Tx } from "~/db.server";
import { parseLoyaltySettings, post } from "~/modules/loyalty";
import { recordReward, type Reward, type RewardOwner, type RewardTerms } from "~/modules/rewards";
import type { PromiseContext } from "./settings";
import type { Goodwill } from "./settings-form";

export const GOODWILL_OWNER = "goodwill";
export const goodwillKey = (orderId: string) => `${GOODWILL_OWNER}:${orderId}`;
/** A goodwill code is good for this long. */
export const GOODWILL_CODE_DAYS = 90;

/** Codes read "SORRY-7K2MQ9"; the apology waits for Shopify to hold one, so nothing is told on issue. */
export const goodwillOwner: RewardOwner = { discount: { title: "Sorry for the wait", codePrefix: "SORRY" } };

/** What a goodwill code or credit is worth, as the rewards module records it (a code is good for 90 days). */
export function goodwillTerms(
  goodwill: Extract<Goodwill, { kind: "amount_off" | "percent_off" | "store_credit" }>,
  base: { customerId: string; orderId: string | null; currency: string },
): RewardTerms {
  return goodwill.kind === "store_credit"
    ? { ...base, kind: "store_credit", value: goodwill.value, expiresInDays: null }
    : {
        ...base,
        kind: "discount_code",
        valueType: goodwill.kind === "percent_off" ? "percentage" : "fixed_amount",
        value: goodwill.value,
        expiresInDays: GOODWILL_CODE_DAYS,
      };
}

/** The gesture a code or credit reward is, to name it as a shopper reads it. */
export function goodwillOfReward(reward: Pick<Reward, "kind" | "valueType" | "value">): Goodwill {
  if (reward.kind === "store_credit") return { kind: "store_credit", value: reward.value };
  return { kind: reward.valueType === "percentage" ? "percent_off" : "amount_off", value: reward.value };
}

/**
 * Gives the shop's goodwill gesture for an order's broken promise, in the transaction that
 * recorded it; returns its sourceKey, or null when there is none (no policy, the loyalty program
 * off for points, or one was already given for this order).
 */
export async function giveGoodwill(
  tx: Tx,
  shop: string,
  order: { customerId: string; orderId: string },
  context: PromiseContext,
  now: Date,
): Promise<string | null> {
  const { goodwill } = context.rules;
  if (goodwill.kind === "none") return null;
  const sourceKey = goodwillKey(order.orderId);
  if ((await tx.reward.count({ where: { shop, sourceKey } })) + (await tx.loyaltyEntry.count({ where: { shop, sourceKey } })) > 0) return null;
  if (goodwill.kind === "points") {
    const shopRow = await tx.shop.findUnique({ where: { shop }, select: { settings: true } });
    if (parseLoyaltySettings(shopRow?.settings).status === "off") return null;
    await post(
      tx,
      shop,
      { sourceKey, customerId: order.customerId, kind: "bonus", pendingDelta: 0, balanceDelta: goodwill.value, reason: "Sorry for the delay" },
      now,
    );
    return sourceKey;
  }
  await recordReward(tx, shop, sourceKey, goodwillTerms(goodwill, { customerId: order.customerId, orderId: order.orderId, currency: context.currency }), now);
  return sourceKey;
}
