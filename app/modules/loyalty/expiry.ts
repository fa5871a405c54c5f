// Expiry (off until the merchant turns it on): approved points expire after the set months
// without activity, activity being anything that moved the member's points (an order, a
// redemption, a bonus, an adjustment) or their birthday given. Members are told 14 days before,
// once per stretch of inactivity (loyalty news: with consent). Expiring takes the balance to
// zero with one ledger entry, keyed by the stretch, so a second worker posts nothing. Only while
// the program is live: a paused program keeps balances.
import db, { integerOf, queryDirect, sql, statementsIn, timeOf } from "~/db.server";
import { DAY } from "~/modules/messaging/timing";
import { scheduleNotice } from "~/modules/messaging/notice";
import { post } from "./ledger";
import { parseLoyaltySettings } from "./settings";

export const POINTS_EXPIRING_FLOW = "points_expiring";
const WARN_DAYS = 14;
const BATCH = 500;

/** The moment points last active at `active` expire: the same day `months` later. */
export function expiresAt(active: Date, months: number): Date {
  const at = new Date(active);
  at.setUTCMonth(at.getUTCMonth() + months);
  return at;
}

/** Warns and expires what is due in every shop with expiry on (or only `scope.shop`); returns how many members it warned or expired. */
export async function expireInactivePoints(now: Date, scope: { shop?: string }): Promise<number> {
  const shops = await db.shop.findMany({ where: { ...(scope.shop ? { shop: scope.shop } : {}), uninstalledAt: null }, select: { shop: true, settings: true } });
  let done = 0;
  for (const shop of shops) {
    const { status, expiry } = parseLoyaltySettings(shop.settings);
    if (status !== "live" || !expiry.enabled) continue;
    // Inactive since before this moment: expired now. Since before the next: to be warned.
    const expiredBefore = expiresAt(now, -expiry.months);
    const warnBefore = expiresAt(new Date(now.getTime() + WARN_DAYS * DAY), -expiry.months);
    // A warning given before the latest activity was for an earlier stretch: warned again.
    const due = await queryDirect<{ customerId: string; balance: unknown; updatedAt: unknown }>(sql`
      SELECT "customerId", "balance", "updatedAt" FROM "LoyaltyAccount"
      WHERE "shop" = ${shop.shop} AND "balance" > 0 AND "updatedAt" < ${warnBefore}
        AND ("updatedAt" < ${expiredBefore} OR "expiryWarnedAt" IS NULL OR "expiryWarnedAt" < "updatedAt")
      ORDER BY "updatedAt" ASC LIMIT ${BATCH}`);
    for (const row of due) {
      const member = { customerId: row.customerId, balance: integerOf(row.balance), updatedAt: timeOf(row.updatedAt)! };
      await db.$transaction(async (tx) => {
        const stretch = member.updatedAt.getTime();
        if (member.updatedAt < expiredBefore) {
          const reason = `Expired after ${expiry.months} month${expiry.months === 1 ? "" : "s"} without activity`;
          const posting = {
            sourceKey: `expire:${member.customerId}:${stretch}`,
            customerId: member.customerId,
            kind: "expire" as const,
            pendingDelta: 0,
            balanceDelta: -member.balance,
          };
          await post(tx, shop.shop, { ...posting, reason }, now);
        } else {
          await scheduleNotice(tx, shop.shop, {
            key: `${POINTS_EXPIRING_FLOW}:${member.customerId}:${stretch}`,
            flow: POINTS_EXPIRING_FLOW,
            customerId: member.customerId,
            marketing: true,
            dueAt: now,
          });
          // Not through the ledger: a warning is no activity, so updatedAt stays.
          await statementsIn(tx).execute(
            sql`UPDATE "LoyaltyAccount" SET "expiryWarnedAt" = ${now} WHERE "shop" = ${shop.shop} AND "customerId" = ${member.customerId}`,
          );
        }
      });
      done++;
    }
  }
  return done;
}
