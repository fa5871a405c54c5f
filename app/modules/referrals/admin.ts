// What the merchant's Referrals page shows and does: the program, its figures, the referrals
// (flagged ones first, with the rules' reasons), and the decision on a flagged one: approved
// referrals go on to wait out the return window, rejected ones are never rewarded.
import db from "~/db.server";
import { memberName } from "~/modules/loyalty";
import type { Flag } from "./attribution";
import { advocateRewardName, friendRewardName, parseReferralSettings, type ReferralSettings } from "./settings";

const LIST = 100;

export type ReferralStatusName = "pending" | "flagged" | "rewarded" | "void" | "rejected";

export type ReferralRow = {
  id: string;
  orderId: string;
  orderName: string;
  code: string;
  advocate: string;
  friend: string;
  status: ReferralStatusName;
  flags: Flag[];
  reason: string | null;
  decidedBy: string | null;
  createdAt: Date;
  rewardedAt: Date | null;
};

export type ReferralsAdminPage = {
  settings: ReferralSettings;
  friendReward: string;
  advocateReward: string;
  /** Customers who have a code. */
  advocates: number;
  counts: Record<ReferralStatusName, number>;
  referrals: ReferralRow[];
};

function parseFlags(json: string): Flag[] {
  try {
    const flags = JSON.parse(json) as unknown;
    return Array.isArray(flags) ? (flags as Flag[]) : [];
  } catch {
    return [];
  }
}

export async function referralsAdminPage(shop: string, filter: ReferralStatusName | null): Promise<ReferralsAdminPage> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
  const settings = parseReferralSettings(row?.settings);
  const [advocates, grouped, referrals] = await Promise.all([
    db.reward.count({ where: { shop, sourceKey: { startsWith: "referral-code:" } } }),
    db.referral.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    db.referral.findMany({ where: { shop, ...(filter ? { status: filter } : {}) }, orderBy: { createdAt: "desc" }, take: LIST }),
  ]);
  const ids = [...new Set(referrals.flatMap((r) => [r.advocateId, r.friendCustomerId]).filter((id): id is string => Boolean(id)))];
  const customers = await db.customer.findMany({ where: { shop, id: { in: ids } }, select: { id: true, firstName: true, lastName: true, email: true } });
  const byId = new Map(customers.map((c) => [c.id, c]));
  const counts: Record<ReferralStatusName, number> = { pending: 0, flagged: 0, rewarded: 0, void: 0, rejected: 0 };
  for (const group of grouped) if (group.status in counts) counts[group.status as ReferralStatusName] = group._count._all;
  // Flagged ones wait for the merchant: first.
  const ordered = [...referrals].sort((a, b) => Number(b.status === "flagged") - Number(a.status === "flagged"));
  return {
    settings,
    friendReward: friendRewardName(settings),
    advocateReward: advocateRewardName(settings.advocateReward, row?.currency ?? "USD"),
    advocates,
    counts,
    referrals: ordered.map((r) => ({
      id: r.id,
      orderId: r.orderId,
      orderName: r.orderName,
      code: r.code,
      advocate: memberName(r.advocateId, byId.get(r.advocateId)),
      friend: r.friendCustomerId ? memberName(r.friendCustomerId, byId.get(r.friendCustomerId)) : "A guest",
      status: r.status as ReferralStatusName,
      flags: parseFlags(r.flags),
      reason: r.reason,
      decidedBy: r.decidedBy,
      createdAt: r.createdAt,
      rewardedAt: r.rewardedAt,
    })),
  };
}

export type Decision = "approve" | "reject";

/** The merchant's decision on a flagged referral of their shop; "not_flagged" for any other (or another shop's). */
export async function decideReferral(shop: string, id: string, decision: Decision, actor: string, now: Date): Promise<"decided" | "not_flagged"> {
  const updated = await db.referral.updateMany({
    where: { shop, id, status: "flagged" },
    data:
      decision === "approve"
        ? { status: "pending", decidedBy: actor, decidedAt: now, updatedAt: now }
        : { status: "rejected", reason: "Rejected by the store.", decidedBy: actor, decidedAt: now, updatedAt: now },
  });
  return updated.count === 1 ? "decided" : "not_flagged";
}
