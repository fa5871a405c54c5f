// What the storefront (the loyalty widget, or a headless storefront) sees through the app proxy,
// where Shopify's signature makes `logged_in_customer_id` the only identity: the program, the
// signed-in customer's points and history (null for a guest), and the rewards to redeem.
import { integerOf, queryDirect, sql, timeOf } from "~/db.server";
import { heldRewardName } from "./emails";
import { LOYALTY_REWARD_OWNER } from "./redeem";
import { tierView } from "./tiers";
import { parseLoyaltySettings, rewardName, type RewardOption } from "./settings";

const HISTORY = 20;

export type StorefrontReward = { id: string; name: string; points: number; kind: RewardOption["kind"]; value: number };
export type StorefrontLoyalty = {
  program: {
    status: "off" | "live" | "paused";
    currency: string;
    points_per_unit: number;
    approve_after_delivery_days: number;
    /** Points for an account created and on a birthday (0: none). */
    bonuses: { signup: number; birthday: number };
  };
  customer: null | {
    balance: number;
    pending: number;
    /** The birthday they gave (no year), null until they give it. */
    birthday: { month: number; day: number } | null;
    /** null while the shop's tiers are off. */
    tier: Awaited<ReturnType<typeof tierView>>;
    history: { kind: string; points: number; pending: boolean; reason: string; at: string }[];
  };
  rewards: StorefrontReward[];
  /** The customer's latest redemptions: the code once Shopify created it. */
  redemptions: { id: string; name: string; status: "issuing" | "ready" | "refused"; code: string | null }[];
};

const REDEMPTIONS = 5;

/**
 * Read straight from the driver: a widget's panel asks on every open, and four queries through
 * Prisma's compiler were most of its cost (decision 0003). Indexed reads of one customer's rows.
 */
export async function storefrontLoyalty(shop: string, customerId: string | null, now: Date): Promise<StorefrontLoyalty> {
  const [row] = await queryDirect<{ settings: string; currency: string }>(sql`SELECT "settings", "currency" FROM "Shop" WHERE "shop" = ${shop}`);
  const settings = parseLoyaltySettings(row?.settings);
  const currency = row?.currency ?? "USD";
  const program = {
    status: settings.status,
    currency,
    points_per_unit: settings.pointsPerUnit,
    approve_after_delivery_days: settings.approveAfterDeliveryDays,
    bonuses: settings.bonuses,
  };
  const rewards = settings.status === "off" ? [] : settings.rewards.map((option) => ({ ...option, name: rewardName(option, currency) }));
  if (!customerId || settings.status === "off") return { program, customer: null, rewards, redemptions: [] };
  const owner = `${LOYALTY_REWARD_OWNER}:`;
  const [[account], entries, issued] = await Promise.all([
    queryDirect<{ balance: unknown; pending: unknown; birthMonth: unknown; birthDay: unknown }>(
      sql`SELECT "balance", "pending", "birthMonth", "birthDay" FROM "LoyaltyAccount" WHERE "shop" = ${shop} AND "customerId" = ${customerId}`,
    ),
    queryDirect<{ kind: string; pendingDelta: unknown; balanceDelta: unknown; reason: string; actor: string | null; createdAt: unknown }>(sql`
      SELECT "kind", "pendingDelta", "balanceDelta", "reason", "actor", "createdAt" FROM "LoyaltyEntry"
      WHERE "shop" = ${shop} AND "customerId" = ${customerId} ORDER BY "createdAt" DESC LIMIT ${HISTORY}`),
    // The owner's sourceKeys as a range (";" follows ":"), so the (shop, sourceKey) index finds them.
    queryDirect<{ sourceKey: string; kind: string; valueType: string; value: unknown; currency: string; status: string; code: string | null }>(sql`
      SELECT "sourceKey", "kind", "valueType", "value", "currency", "status", "code" FROM "Reward"
      WHERE "shop" = ${shop} AND "sourceKey" >= ${owner} AND "sourceKey" < ${`${LOYALTY_REWARD_OWNER};`} AND "customerId" = ${customerId}
      ORDER BY "createdAt" DESC LIMIT ${REDEMPTIONS}`),
  ]);
  const redemptions = issued.map((reward) => ({
    id: reward.sourceKey.slice(LOYALTY_REWARD_OWNER.length + 1),
    name: heldRewardName({ ...reward, value: integerOf(reward.value) }),
    status:
      reward.status === "issued"
        ? ("ready" as const)
        : reward.status === "refused" || reward.status === "returned"
          ? ("refused" as const)
          : ("issuing" as const),
    // A store credit has no code: it is on the customer's account at checkout.
    code: reward.status === "issued" ? reward.code : null,
  }));
  const history = entries.map((entry) => {
    const [pendingDelta, balanceDelta] = [integerOf(entry.pendingDelta), integerOf(entry.balanceDelta)];
    return {
      kind: entry.kind,
      points: balanceDelta !== 0 ? balanceDelta : pendingDelta,
      pending: balanceDelta === 0,
      // A merchant's note about an adjustment is theirs; the shopper sees that it was adjusted.
      reason: entry.actor ? "Adjusted by the store" : entry.reason,
      at: timeOf(entry.createdAt)!.toISOString(),
    };
  });
  const tier = await tierView(shop, customerId, settings, now);
  const birthday = account?.birthMonth == null ? null : { month: integerOf(account.birthMonth), day: integerOf(account.birthDay) };
  const customer = { balance: integerOf(account?.balance), pending: integerOf(account?.pending), birthday, tier, history };
  return { program, customer, rewards, redemptions };
}
