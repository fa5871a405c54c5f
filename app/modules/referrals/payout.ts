// The advocate's reward, once the friend's order has passed its return window: the window after
// its last delivery event, or a week longer after its fulfillment when no delivery event comes.
// Points go into the loyalty ledger at once; a code or store credit is recorded for the rewards
// module to issue. A referral is rewarded once: the status changes from pending to rewarded in
// the transaction that pays it.
import db, { empty, sql, statementsIn, timeOf, type Tx } from "~/db.server";
import { post } from "~/modules/loyalty";
import { recordReward, type RewardOwner } from "~/modules/rewards";
import { scheduleReferralReward } from "./emails";
import { parseReferralSettings, type ReferralSettings } from "./settings";

const DAY = 86_400_000;
const BATCH = 200;
/** Without a delivery event, the advocate waits this much longer after the fulfillment (the parcel's time on the road). */
const TRANSIT_DAYS = 7;
/** How long a reward code can be used. */
const CODE_DAYS = 90;
/** Referrals older than this whose orders were never fulfilled are no longer looked at. */
const HORIZON_DAYS = 400;

/** The owner of the advocates' codes and credits, as their sourceKey names it ("referral:<referral id>"). */
export const REFERRAL_REWARD_OWNER = "referral";
/** An advocate's code or credit is emailed once Shopify holds it. */
export const referralRewardOwner: RewardOwner = {
  discount: { title: "Thank you for referring a friend", codePrefix: "REFER" },
  issued: (tx, reward, now) =>
    scheduleReferralReward(
      tx,
      reward.shop,
      { id: reward.sourceKey.slice(REFERRAL_REWARD_OWNER.length + 1), advocateId: reward.customerId, marketing: false },
      now,
    ),
};

type Due = { id: string; shop: string; advocateId: string; orderId: string; orderName: string; deliveredAt: unknown; fulfilledAt: unknown };

async function pay(tx: Tx, referral: Due, settings: ReferralSettings, currency: string, now: Date): Promise<boolean> {
  const statements = statementsIn(tx);
  const claimed = await statements.execute(sql`
    UPDATE "Referral" SET "status" = 'rewarded', "rewardedAt" = ${now}, "updatedAt" = ${now}
    WHERE "shop" = ${referral.shop} AND "id" = ${referral.id} AND "status" = 'pending'`);
  if (claimed === 0) return false;
  const reward = settings.advocateReward;
  const sourceKey = `${REFERRAL_REWARD_OWNER}:${referral.id}`;
  const customerId = referral.advocateId;
  if (reward.kind === "points") {
    // The friend's order is named to the merchant, not in the advocate's history.
    const posting = {
      sourceKey,
      customerId,
      kind: "bonus" as const,
      pendingDelta: 0,
      balanceDelta: reward.value,
      reason: "A friend you referred placed an order",
    };
    await post(tx, referral.shop, posting, now);
    await scheduleReferralReward(tx, referral.shop, { id: referral.id, advocateId: customerId, marketing: true }, now);
  } else if (reward.kind === "amount_off") {
    await recordReward(
      tx,
      referral.shop,
      sourceKey,
      { kind: "discount_code", valueType: "fixed_amount", value: reward.value, expiresInDays: CODE_DAYS, customerId, currency },
      now,
    );
  } else {
    await recordReward(tx, referral.shop, sourceKey, { kind: "store_credit", value: reward.value, expiresInDays: null, customerId, currency }, now);
  }
  return true;
}

/** Rewards the advocates of pending referrals whose friends' orders passed their return window; returns how many. */
export async function rewardDueReferrals(now: Date, scope: { shop?: string }): Promise<number> {
  return db.$transaction(async (tx) => {
    const statements = statementsIn(tx);
    const due = await statements.query<Due>(sql`
      SELECT r."id", r."shop", r."advocateId", r."orderId", r."orderName",
        (SELECT MAX(f."deliveredAt") FROM "Fulfillment" f WHERE f."shop" = r."shop" AND f."orderId" = r."orderId") AS "deliveredAt",
        (SELECT MAX(f."shopifyCreatedAt") FROM "Fulfillment" f WHERE f."shop" = r."shop" AND f."orderId" = r."orderId" AND f."status" = 'success') AS "fulfilledAt"
      FROM "Referral" r
      WHERE r."status" = 'pending' AND r."createdAt" > ${new Date(now.getTime() - HORIZON_DAYS * DAY)} ${scope.shop ? sql`AND r."shop" = ${scope.shop}` : empty}
        AND EXISTS (SELECT 1 FROM "Fulfillment" f WHERE f."shop" = r."shop" AND f."orderId" = r."orderId" AND f."status" = 'success')
      ORDER BY r."createdAt" ASC
      LIMIT ${BATCH}`);
    const programs = new Map<string, { settings: ReferralSettings; currency: string }>();
    let paid = 0;
    for (const referral of due) {
      if (!programs.has(referral.shop)) {
        const [row] = await statements.query<{ settings: string; currency: string }>(
          sql`SELECT "settings", "currency" FROM "Shop" WHERE "shop" = ${referral.shop}`,
        );
        programs.set(referral.shop, { settings: parseReferralSettings(row?.settings), currency: row?.currency ?? "USD" });
      }
      const { settings, currency } = programs.get(referral.shop)!;
      // Paused: nothing new is paid; the referral waits for the program to run again.
      if (settings.status !== "live") continue;
      const delivered = timeOf(referral.deliveredAt);
      const windowDays = settings.returnWindowDays + (delivered ? 0 : TRANSIT_DAYS);
      const dueAt = (delivered ?? timeOf(referral.fulfilledAt)!).getTime() + windowDays * DAY;
      if (dueAt > now.getTime()) continue;
      if (await pay(tx, referral, settings, currency, now)) paid++;
    }
    return paid;
  });
}
