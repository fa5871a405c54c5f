// Tiers (off until the merchant turns them on): a member's tier is the highest whose spend they
// reached in the last 12 months (paid orders' subtotals after discounts, less what was refunded),
// and multiplies what their next order earns. A move up or down is a ledger entry (kind "tier",
// no points) and an email; the worker looks at each member with a tier once a day, so a tier
// whose spend has aged out of the 12 months moves down.
import db, { directStatements, empty, integerOf, sql, statementsIn, type Tx, type TxStatements } from "~/db.server";
import { DAY } from "~/modules/messaging/timing";
import { scheduleNotice } from "~/modules/messaging/notice";
import { post } from "./ledger";
import { parseLoyaltySettings, type LoyaltySettings, type Tier, type TierSettings } from "./settings";

export const TIER_CHANGE_FLOW = "tier_change";
const YEAR_DAYS = 365;
const CHECK_EVERY = DAY;
const CHECK_BATCH = 500;

/** What the customer spent in the 12 months before `now`, in minor units; `except` leaves one order out. */
export async function spendOf(statements: TxStatements, shop: string, customerId: string, now: Date, except: string | null = null): Promise<number> {
  const orders = await statements.query<{ subtotal: unknown; refunded: unknown }>(sql`
    SELECT o."subtotalMinor" AS "subtotal",
      (SELECT SUM(r."amountMinor") FROM "Refund" r WHERE r."shop" = o."shop" AND r."orderId" = o."id") AS "refunded"
    FROM "Order" o
    WHERE o."shop" = ${shop} AND o."customerId" = ${customerId} AND o."cancelledAt" IS NULL
      AND o."financialStatus" IN ('paid', 'partially_refunded', 'refunded') AND o."processedAt" > ${new Date(now.getTime() - YEAR_DAYS * DAY)}
      ${except ? sql`AND o."id" <> ${except}` : empty}`);
  return orders.reduce((sum, o) => sum + Math.max(0, integerOf(o.subtotal) - integerOf(o.refunded)), 0);
}

/** The tier a spend reaches; null while tiers are off. */
export function tierFor(spend: number, tiers: TierSettings): Tier | null {
  if (!tiers.enabled) return null;
  return tiers.list.filter((tier) => tier.threshold <= spend).at(-1) ?? tiers.list[0]!;
}

/** The tier after `tier`, and how much more spend reaches it; null at the top. */
export function nextTier(spend: number, tiers: TierSettings): { tier: Tier; toGo: number } | null {
  const next = tiers.list.find((tier) => tier.threshold > spend);
  return next ? { tier: next, toGo: next.threshold - spend } : null;
}

/**
 * Brings the member's tier in line with their spend now. Joining the first tier is silent; any
 * other move is posted (once per moment and tier) and emailed.
 */
export async function reviewTier(tx: Tx, shop: string, customerId: string, settings: LoyaltySettings, now: Date): Promise<void> {
  const statements = statementsIn(tx);
  const [account] = await statements.query<{ tier: string | null }>(
    sql`SELECT "tier" FROM "LoyaltyAccount" WHERE "shop" = ${shop} AND "customerId" = ${customerId}`,
  );
  const tier = tierFor(await spendOf(statements, shop, customerId, now), settings.tiers);
  const current = account?.tier ?? null;
  await statements.execute(sql`
    UPDATE "LoyaltyAccount" SET "tier" = ${tier?.id ?? null}, "tierCheckedAt" = ${now} WHERE "shop" = ${shop} AND "customerId" = ${customerId}`);
  if (!tier || !account || tier.id === current) return;
  const list = settings.tiers.list;
  const was = list.findIndex((t) => t.id === current);
  if (was === -1 && tier.id === list[0]!.id) return; // joining: every member starts here
  const up = list.indexOf(tier) > was;
  const sourceKey = `tier:${customerId}:${now.getTime()}:${tier.id}`;
  const reason = up ? `Moved up to ${tier.name}` : `Moved down to ${tier.name}`;
  const posted = await post(tx, shop, { sourceKey, customerId, kind: "tier", pendingDelta: 0, balanceDelta: 0, reason }, now);
  if (posted !== "posted") return;
  await scheduleNotice(tx, shop, { key: `${TIER_CHANGE_FLOW}:${sourceKey}`, flow: TIER_CHANGE_FLOW, customerId, marketing: true, dueAt: now });
}

/** The worker's daily look at members with a tier: spend ages out of the 12 months. */
export async function reviewDueTiers(now: Date, scope: { shop?: string }): Promise<number> {
  const due = await db.$transaction((tx) =>
    statementsIn(tx).query<{ shop: string; customerId: string }>(sql`
      SELECT "shop", "customerId" FROM "LoyaltyAccount"
      WHERE "tier" IS NOT NULL AND ("tierCheckedAt" IS NULL OR "tierCheckedAt" < ${new Date(now.getTime() - CHECK_EVERY)})
        ${scope.shop ? sql`AND "shop" = ${scope.shop}` : empty}
      ORDER BY "tierCheckedAt" ASC LIMIT ${CHECK_BATCH}`),
  );
  const settingsByShop = new Map<string, LoyaltySettings>();
  for (const member of due) {
    await db.$transaction(async (tx) => {
      if (!settingsByShop.has(member.shop)) {
        const [row] = await statementsIn(tx).query<{ settings: string }>(sql`SELECT "settings" FROM "Shop" WHERE "shop" = ${member.shop}`);
        settingsByShop.set(member.shop, parseLoyaltySettings(row?.settings));
      }
      await reviewTier(tx, member.shop, member.customerId, settingsByShop.get(member.shop)!, now);
    });
  }
  return due.length;
}

/** The member's tier as the storefront shows it: name, multiplier, perks, and how far the next one is; null while tiers are off. */
export async function tierView(shop: string, customerId: string, settings: LoyaltySettings, now: Date) {
  if (!settings.tiers.enabled) return null;
  const spend = await spendOf(directStatements, shop, customerId, now);
  const tier = tierFor(spend, settings.tiers)!;
  const next = nextTier(spend, settings.tiers);
  return {
    id: tier.id,
    name: tier.name,
    multiplier: tier.multiplier / 100,
    perks: tier.perks,
    spend,
    next: next ? { id: next.tier.id, name: next.tier.name, spend_to_go: next.toGo } : null,
  };
}
