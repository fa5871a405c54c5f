// What the storefront (the loyalty widget, or a headless storefront) sees through the app proxy,
// where Shopify's signature makes `logged_in_customer_id` the only identity: the program, the
// signed-in customer's points and history (null for a guest), and the rewards to redeem.
import db from "~/db.server";
import { LOYALTY_REWARD_OWNER } from "./redeem";
import { parseLoyaltySettings, rewardName, type RewardOption } from "./settings";

const HISTORY = 20;

export type StorefrontReward = { id: string; name: string; points: number; kind: RewardOption["kind"]; value: number };
export type StorefrontLoyalty = {
  program: { status: "off" | "live" | "paused"; currency: string; points_per_unit: number; approve_after_delivery_days: number };
  customer: null | {
    balance: number;
    pending: number;
    tier: null;
    history: { kind: string; points: number; pending: boolean; reason: string; at: string }[];
  };
  rewards: StorefrontReward[];
  /** The customer's latest redemptions: the code once Shopify created it. */
  redemptions: { id: string; name: string; status: "issuing" | "ready" | "refused"; code: string | null }[];
};

const REDEMPTIONS = 5;

export async function storefrontLoyalty(shop: string, customerId: string | null): Promise<StorefrontLoyalty> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
  const settings = parseLoyaltySettings(row?.settings);
  const currency = row?.currency ?? "USD";
  const program = {
    status: settings.status,
    currency,
    points_per_unit: settings.pointsPerUnit,
    approve_after_delivery_days: settings.approveAfterDeliveryDays,
  };
  const rewards = settings.status === "off" ? [] : settings.rewards.map((option) => ({ ...option, name: rewardName(option, currency) }));
  if (!customerId || settings.status === "off") return { program, customer: null, rewards, redemptions: [] };
  const [account, entries, issued] = await Promise.all([
    db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { balance: true, pending: true } }),
    db.loyaltyEntry.findMany({
      where: { shop, customerId },
      orderBy: { createdAt: "desc" },
      take: HISTORY,
      select: { kind: true, pendingDelta: true, balanceDelta: true, reason: true, actor: true, createdAt: true },
    }),
    db.reward.findMany({
      where: { shop, customerId, sourceKey: { startsWith: `${LOYALTY_REWARD_OWNER}:` } },
      orderBy: { createdAt: "desc" },
      take: REDEMPTIONS,
      select: { sourceKey: true, kind: true, valueType: true, value: true, currency: true, status: true, code: true },
    }),
  ]);
  const redemptions = issued.map((reward) => ({
    id: reward.sourceKey.slice(LOYALTY_REWARD_OWNER.length + 1),
    name: rewardName(
      { kind: reward.kind === "store_credit" ? "store_credit" : reward.valueType === "percentage" ? "percent_off" : "amount_off", value: reward.value },
      reward.currency,
    ),
    status:
      reward.status === "issued"
        ? ("ready" as const)
        : reward.status === "refused" || reward.status === "returned"
          ? ("refused" as const)
          : ("issuing" as const),
    // A store credit has no code: it is on the customer's account at checkout.
    code: reward.status === "issued" ? reward.code : null,
  }));
  const history = entries.map((entry) => ({
    kind: entry.kind,
    points: entry.balanceDelta !== 0 ? entry.balanceDelta : entry.pendingDelta,
    pending: entry.balanceDelta === 0,
    // A merchant's note about an adjustment is theirs; the shopper sees that it was adjusted.
    reason: entry.actor ? "Adjusted by the store" : entry.reason,
    at: entry.createdAt.toISOString(),
  }));
  return { program, customer: { balance: account?.balance ?? 0, pending: account?.pending ?? 0, tier: null, history }, rewards, redemptions };
}
