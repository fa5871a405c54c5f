// A merchant's manual adjustment of a customer's points: a required reason, recorded with who
// made it, never taking the balance below zero (a deduction the balance does not cover is
// refused, as a redemption is).
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { post } from "./ledger";

const ADJUSTMENT_LIMIT = 1_000_000;
const REASON_MAX = 200;

export type AdjustmentInput = { points: unknown; reason: unknown };
export type AdjustmentResult = { adjusted: true; balance: number } | { adjusted: false; errors: { points?: string; reason?: string } };

export async function adjustPoints(shop: string, customerId: string, input: AdjustmentInput, actor: string, now: Date): Promise<AdjustmentResult | null> {
  const points = typeof input.points === "string" && /^[+-]?\d{1,7}$/.test(input.points.trim()) ? Number(input.points) : NaN;
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  const errors: { points?: string; reason?: string } = {};
  if (!Number.isInteger(points) || points === 0 || Math.abs(points) > ADJUSTMENT_LIMIT)
    errors.points = "Enter a whole number of points to add, or a negative one to take away.";
  if (!reason) errors.reason = "Say why: the reason is kept with the adjustment.";
  else if (reason.length > REASON_MAX) errors.reason = `Keep the reason under ${REASON_MAX} characters.`;
  return db.$transaction(async (tx) => {
    // Only a customer of this shop the program knows: another shop's id finds nothing.
    const account = await tx.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { balance: true } });
    if (!account) return null;
    if (Object.keys(errors).length > 0) return { adjusted: false, errors };
    const posting = { sourceKey: `adjust:${randomUUID()}`, customerId, kind: "adjust" as const, pendingDelta: 0, balanceDelta: points, reason, actor };
    const posted = await post(tx, shop, posting, now, { covered: points < 0 });
    if (posted === "short") return { adjusted: false, errors: { points: `The balance is ${account.balance}: take away at most that.` } };
    return { adjusted: true, balance: account.balance + points };
  });
}
