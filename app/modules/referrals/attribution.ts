// Attribution: a paid order that carries a referral code is a referral of the code's owner.
// The fraud rules run then, on what the mirror holds, and each finding is kept with its reason:
// the advocate's own order is rejected outright; a friend who ordered before, an email or
// shipping address like the advocate's, too many referrals to one address in a week, or a code
// suddenly used by many customers hold the referral for the merchant. A cancellation or a
// refund within the return window voids it: the advocate is never rewarded for it.
import { randomUUID } from "node:crypto";
import { empty, integerOf, join, sql, statementsIn, timeOf, type Tx, type TxStatements } from "~/db.server";
import type { IntakeEvent, WebhookReaction } from "~/modules/intake";
import type { OrderRecord } from "~/modules/intake/payloads";
import { REFERRAL_CODE_OWNER } from "./codes";
import { parseReferralSettings, type ReferralSettings } from "./settings";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export type FlagRule = "not_new_customer" | "same_email" | "similar_email" | "same_address" | "address_limit" | "code_burst";
export type Flag = { rule: FlagRule; detail: string };

/** An email as one person's inbox: lower case, no "+tag", no dots in the name (as Gmail reads them). */
function inbox(email: string): { name: string; domain: string } {
  const [name = "", domain = ""] = email.trim().toLowerCase().split("@");
  return { name: name.split("+")[0]!.replaceAll(".", ""), domain: domain === "googlemail.com" ? "gmail.com" : domain };
}

/** Edits (insert, delete, change) from a to b, up to `limit` + 1. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** "same" for one inbox written two ways; "similar" for the same domain and a name one edit away, or the same name but its digits. */
export function compareEmails(a: string, b: string): "same" | "similar" | null {
  const [x, y] = [inbox(a), inbox(b)];
  if (!x.name || !x.domain) return null;
  if (x.name === y.name && x.domain === y.domain) return "same";
  if (x.domain !== y.domain) return null;
  const bare = (name: string) => name.replace(/\d+$/, "");
  if (bare(x.name).length >= 4 && bare(x.name) === bare(y.name)) return "similar";
  return Math.min(x.name.length, y.name.length) >= 6 && editDistance(x.name, y.name, 1) <= 1 ? "similar" : null;
}

async function findings(
  statements: TxStatements,
  shop: string,
  order: OrderRecord,
  referral: { code: string; advocateId: string },
  settings: ReferralSettings,
  now: Date,
): Promise<Flag[]> {
  const flags: Flag[] = [];
  const friend = order.customerId;
  const [earlier] = await statements.query<{ name: string }>(sql`
    SELECT "name" FROM "Order" WHERE "shop" = ${shop} AND "id" <> ${order.id} AND "processedAt" < ${order.processedAt}
      AND (${friend ? sql`"customerId" = ${friend}` : sql`1 = 0`} ${order.email ? sql`OR LOWER("email") = ${order.email.toLowerCase()}` : empty})
    LIMIT 1`);
  if (earlier) flags.push({ rule: "not_new_customer", detail: `The friend ordered before (${earlier.name}).` });

  if (order.email) {
    const emails = await statements.query<{ email: string | null }>(sql`
      SELECT "email" FROM "Customer" WHERE "shop" = ${shop} AND "id" = ${referral.advocateId}
      UNION SELECT "email" FROM "Order" WHERE "shop" = ${shop} AND "customerId" = ${referral.advocateId}`);
    const closest = emails.map((row) => (row.email ? compareEmails(order.email!, row.email) : null));
    if (closest.includes("same")) flags.push({ rule: "same_email", detail: "The friend's email is the advocate's, written another way." });
    else if (closest.includes("similar")) flags.push({ rule: "similar_email", detail: "The friend's email is nearly the advocate's." });
  }

  if (order.shippingKey) {
    const [shared] = await statements.query<{ id: string }>(sql`
      SELECT "id" FROM "Order" WHERE "shop" = ${shop} AND "customerId" = ${referral.advocateId} AND "shippingKey" = ${order.shippingKey} LIMIT 1`);
    if (shared) flags.push({ rule: "same_address", detail: "The friend's order ships to an address the advocate has used." });
    const [week] = await statements.query<{ n: unknown }>(sql`
      SELECT COUNT(*) AS "n" FROM "Referral" r JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
      WHERE r."shop" = ${shop} AND o."shippingKey" = ${order.shippingKey} AND r."createdAt" > ${new Date(now.getTime() - 7 * DAY)}`);
    const sameDoor = integerOf(week?.n) + 1;
    if (sameDoor > settings.weeklyAddressLimit) {
      flags.push({
        rule: "address_limit",
        detail: `${sameDoor} referred orders shipped to one address this week (the limit is ${settings.weeklyAddressLimit}).`,
      });
    }
  }

  const [burst] = await statements.query<{ n: unknown }>(sql`
    SELECT COUNT(DISTINCT COALESCE("friendCustomerId", "orderId")) AS "n" FROM "Referral"
    WHERE "shop" = ${shop} AND "code" = ${referral.code} AND "createdAt" > ${new Date(now.getTime() - settings.burstHours * HOUR)}`);
  const users = integerOf(burst?.n) + 1;
  if (users > settings.burstLimit) {
    flags.push({
      rule: "code_burst",
      detail: `The code was used by ${users} customers within ${settings.burstHours} hours (the limit is ${settings.burstLimit}).`,
    });
  }
  return flags;
}

/** Voids the order's referral while it waits (pending or flagged): a cancellation or refund within the return window. */
async function voidReferral(statements: TxStatements, shop: string, orderId: string, reason: string, now: Date): Promise<void> {
  await statements.execute(sql`
    UPDATE "Referral" SET "status" = 'void', "reason" = ${reason}, "updatedAt" = ${now}
    WHERE "shop" = ${shop} AND "orderId" = ${orderId} AND "status" IN ('pending', 'flagged')`);
}

async function undoneReason(statements: TxStatements, shop: string, orderId: string): Promise<string | null> {
  const [order] = await statements.query<{ cancelledAt: unknown; refunds: unknown }>(sql`
    SELECT "cancelledAt", (SELECT COUNT(*) FROM "Refund" f WHERE f."shop" = o."shop" AND f."orderId" = o."id") AS "refunds"
    FROM "Order" o WHERE o."shop" = ${shop} AND o."id" = ${orderId}`);
  if (!order) return null;
  if (timeOf(order.cancelledAt)) return "The friend's order was cancelled.";
  return integerOf(order.refunds) > 0 ? "The friend's order was refunded within the return window." : null;
}

async function onPaid(tx: Tx, event: IntakeEvent): Promise<void> {
  const order = event.order!;
  // Most orders carry no code: nothing is read for them.
  if (order.discountCodes.length === 0) return;
  const { shop, now } = event;
  const statements = statementsIn(tx);
  const [codeRow] = await statements.query<{ code: string; customerId: string }>(sql`
    SELECT "code", "customerId" FROM "Reward"
    WHERE "shop" = ${shop} AND "code" IN (${join(order.discountCodes)}) AND "sourceKey" >= ${`${REFERRAL_CODE_OWNER}:`} AND "sourceKey" < ${`${REFERRAL_CODE_OWNER};`}
    LIMIT 1`);
  if (!codeRow) return;
  const [shopRow] = await statements.query<{ settings: string }>(sql`SELECT "settings" FROM "Shop" WHERE "shop" = ${shop}`);
  const settings = parseReferralSettings(shopRow?.settings);
  if (settings.status !== "live") return;
  const [known] = await statements.query<{ id: string }>(sql`SELECT "id" FROM "Referral" WHERE "shop" = ${shop} AND "orderId" = ${order.id}`);
  if (known) return;

  const referral = { code: codeRow.code, advocateId: codeRow.customerId };
  const own = order.customerId === referral.advocateId;
  const flags = own ? [] : await findings(statements, shop, order, referral, settings, now);
  const status = own ? "rejected" : flags.length > 0 ? "flagged" : "pending";
  await statements.execute(sql`
    INSERT INTO "Referral" ("id", "shop", "code", "advocateId", "friendCustomerId", "orderId", "orderName", "status", "flags", "reason", "createdAt", "updatedAt")
    VALUES (${randomUUID()}, ${shop}, ${referral.code}, ${referral.advocateId}, ${order.customerId}, ${order.id}, ${order.name}, ${status},
      ${JSON.stringify(flags)}, ${own ? "The advocate used their own code." : null}, ${now}, ${now})
    ON CONFLICT ("shop", "orderId") DO NOTHING`);
  // A cancellation or refund heard before the payment.
  const undone = await undoneReason(statements, shop, order.id);
  if (undone) await voidReferral(statements, shop, order.id, undone, now);
}

async function onUndone(tx: Tx, event: IntakeEvent): Promise<void> {
  const orderId = event.refund?.orderId ?? event.order?.id;
  if (!orderId) return;
  const statements = statementsIn(tx);
  const undone = await undoneReason(statements, event.shop, orderId);
  if (undone) await voidReferral(statements, event.shop, orderId, undone, event.now);
}

/** Referrals' reactions to webhooks, as the capability list names them. */
export const REFERRAL_REACTIONS: readonly WebhookReaction[] = [
  { topics: ["orders/paid"], react: onPaid },
  { topics: ["orders/cancelled", "refunds/create"], react: onUndone },
];
