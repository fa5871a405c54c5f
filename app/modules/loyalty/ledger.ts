// The points ledger. Every change to a customer's points is an entry, posted once per (shop,
// sourceKey): a webhook applied twice or out of order finds its entry there and posts nothing.
// The customer's pending points and balance (LoyaltyAccount) change in the same transaction as
// the entry, so they always equal the sums of the entries. Raw statements: earning runs in the
// intake transaction of every paid order (decision 0003).
import { randomUUID } from "node:crypto";
import { integerOf, sql, statementsIn, type Tx } from "~/db.server";

/** "tier" moves no points: it records a move between tiers. */
export type EntryKind = "earn" | "approve" | "void" | "reverse" | "redeem" | "return" | "expire" | "adjust" | "bonus" | "tier";

export type Posting = {
  sourceKey: string;
  customerId: string;
  kind: EntryKind;
  /** Points into (+) or out of (-) the customer's pending points ... */
  pendingDelta: number;
  /** ... and their balance. */
  balanceDelta: number;
  orderId?: string | null;
  /** Why, in the words the merchant and the customer see. */
  reason: string;
  /** Who made a manual adjustment. */
  actor?: string | null;
};

export type Posted = "posted" | "duplicate" | "short";

/**
 * Posts the entry unless its sourceKey was posted before. With `covered`, a deduction that
 * would take the balance below zero posts nothing and answers "short": the check and the
 * deduction are one conditional UPDATE, so redemptions arriving together can never overdraw
 * (on PostgreSQL the second waits for the first's row lock, then sees its balance).
 */
export async function post(tx: Tx, shop: string, posting: Posting, now: Date, options: { covered?: boolean } = {}): Promise<Posted> {
  const statements = statementsIn(tx);
  const p = posting;
  if (options.covered) {
    const taken = await statements.execute(sql`
      UPDATE "LoyaltyAccount" SET "balance" = "balance" + ${p.balanceDelta}, "pending" = "pending" + ${p.pendingDelta}, "updatedAt" = ${now}
      WHERE "shop" = ${shop} AND "customerId" = ${p.customerId} AND "balance" + ${p.balanceDelta} >= 0`);
    if (taken === 0) return "short";
  }
  const inserted = await statements.execute(sql`
    INSERT INTO "LoyaltyEntry" ("id", "shop", "sourceKey", "customerId", "kind", "pendingDelta", "balanceDelta", "orderId", "reason", "actor", "createdAt")
    VALUES (${randomUUID()}, ${shop}, ${p.sourceKey}, ${p.customerId}, ${p.kind}, ${p.pendingDelta}, ${p.balanceDelta}, ${p.orderId ?? null}, ${p.reason}, ${p.actor ?? null}, ${now})
    ON CONFLICT ("shop", "sourceKey") DO NOTHING`);
  if (inserted === 0) {
    // A covered deduction's key is new by construction; were it not, undo the deduction with the transaction.
    if (options.covered) throw new Error(`loyalty: ${p.sourceKey} was posted before`);
    return "duplicate";
  }
  if (!options.covered) {
    await statements.execute(sql`
      INSERT INTO "LoyaltyAccount" ("shop", "customerId", "balance", "pending", "updatedAt") VALUES (${shop}, ${p.customerId}, ${p.balanceDelta}, ${p.pendingDelta}, ${now})
      ON CONFLICT ("shop", "customerId") DO UPDATE SET "balance" = "LoyaltyAccount"."balance" + excluded."balance",
        "pending" = "LoyaltyAccount"."pending" + excluded."pending", "updatedAt" = excluded."updatedAt"`);
  }
  return "posted";
}

/** What the entries of one order add up to, by kind. */
export async function orderEntries(tx: Tx, shop: string, orderId: string): Promise<Map<EntryKind, { pending: number; balance: number }>> {
  const rows = await statementsIn(tx).query<{ kind: EntryKind; pending: unknown; balance: unknown }>(sql`
    SELECT "kind", SUM("pendingDelta") AS "pending", SUM("balanceDelta") AS "balance" FROM "LoyaltyEntry"
    WHERE "shop" = ${shop} AND "orderId" = ${orderId} GROUP BY "kind"`);
  return new Map(rows.map((row) => [row.kind, { pending: integerOf(row.pending), balance: integerOf(row.balance) }]));
}
