// What the merchant's Loyalty page shows: the program and its rules, what the points are worth
// (the outstanding balance at the catalogue's own rate, what customers owe after refunds), and
// the members with the most points.
import db from "~/db.server";
import { parseLoyaltySettings, rewardName, type LoyaltySettings, type RewardOption } from "./settings";

const TOP_MEMBERS = 25;
const LEDGER_PAGE = 100;

type Named = { firstName: string | null; lastName: string | null; email: string | null } | null | undefined;
/** "Maya Chen", else the email, else the id: how the admin names a member. */
export const memberName = (customerId: string, customer: Named) =>
  [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || customer?.email || `Customer ${customerId}`;

export type LoyaltyAdminPage = {
  settings: LoyaltySettings;
  currency: string;
  rewards: (RewardOption & { name: string })[];
  members: number;
  /** Points customers hold (positive balances), pending, and owed (balances below zero). */
  outstanding: number;
  pending: number;
  owed: number;
  /** What the outstanding points are worth at the best amount-off or store-credit rate of the catalogue (minor units); null when no such reward. */
  liabilityMinor: number | null;
  /** `tier`: the tier's name while tiers are on. */
  top: { customerId: string; name: string; balance: number; pending: number; tier: string | null }[];
};

/** Minor units one point is worth at the catalogue's most generous fixed-value reward. */
function valuePerPoint(rewards: RewardOption[]): number | null {
  const rates = rewards.filter((r) => r.kind === "amount_off" || r.kind === "store_credit").map((r) => r.value / r.points);
  return rates.length > 0 ? Math.max(...rates) : null;
}

export async function loyaltyAdminPage(shop: string): Promise<LoyaltyAdminPage> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
  const settings = parseLoyaltySettings(row?.settings);
  const currency = row?.currency ?? "USD";
  const [members, held, owed, pending, top] = await Promise.all([
    db.loyaltyAccount.count({ where: { shop, NOT: { customerId: { startsWith: "redacted:" } } } }),
    db.loyaltyAccount.aggregate({ where: { shop, balance: { gt: 0 } }, _sum: { balance: true } }),
    db.loyaltyAccount.aggregate({ where: { shop, balance: { lt: 0 } }, _sum: { balance: true } }),
    db.loyaltyAccount.aggregate({ where: { shop }, _sum: { pending: true } }),
    db.loyaltyAccount.findMany({
      where: { shop, NOT: { customerId: { startsWith: "redacted:" } } },
      orderBy: [{ balance: "desc" }, { customerId: "asc" }],
      take: TOP_MEMBERS,
      select: { customerId: true, balance: true, pending: true, tier: true },
    }),
  ]);
  const customers = await db.customer.findMany({
    where: { shop, id: { in: top.map((m) => m.customerId) } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  const byId = new Map(customers.map((c) => [c.id, c]));
  const outstanding = held._sum.balance ?? 0;
  const rate = valuePerPoint(settings.rewards);
  return {
    settings,
    currency,
    rewards: settings.rewards.map((option) => ({ ...option, name: rewardName(option, currency) })),
    members,
    outstanding,
    pending: pending._sum.pending ?? 0,
    owed: -(owed._sum.balance ?? 0),
    liabilityMinor: rate === null ? null : Math.round(outstanding * rate),
    top: top.map((m) => ({
      customerId: m.customerId,
      name: memberName(m.customerId, byId.get(m.customerId)),
      balance: m.balance,
      pending: m.pending,
      tier: settings.tiers.enabled ? (settings.tiers.list.find((t) => t.id === m.tier) ?? settings.tiers.list[0]!).name : null,
    })),
  };
}

export type CustomerLedger = {
  customerId: string;
  name: string;
  balance: number;
  pending: number;
  entries: { kind: string; pendingDelta: number; balanceDelta: number; reason: string; actor: string | null; createdAt: Date }[];
};

/** One member of the program with their ledger (the newest 100 entries); null for anyone else. */
export async function customerLedger(shop: string, customerId: string): Promise<CustomerLedger | null> {
  const account = await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } } });
  if (!account) return null;
  const [customer, entries] = await Promise.all([
    db.customer.findUnique({ where: { shop_id: { shop, id: customerId } }, select: { firstName: true, lastName: true, email: true } }),
    db.loyaltyEntry.findMany({
      where: { shop, customerId },
      orderBy: { createdAt: "desc" },
      take: LEDGER_PAGE,
      select: { kind: true, pendingDelta: true, balanceDelta: true, reason: true, actor: true, createdAt: true },
    }),
  ]);
  return { customerId, name: memberName(customerId, customer), balance: account.balance, pending: account.pending, entries };
}
