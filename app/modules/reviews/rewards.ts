// Rewards for reviews. When a review is published for the first time and the shop offers a
// reward, its writer (a verified buyer known as a customer, with an email address; never an
// imported review, nor a logged-in shopper's review of something they did not buy) earns
// exactly one, recorded in the same transaction as the publish. The rating plays no part, and
// hiding the review later takes nothing back.
//
// The worker then creates the discount code in Shopify. A code is chosen and stored before
// Shopify is asked, so a worker that dies after Shopify created it leaves the code behind: the
// next try looks it up and adopts it instead of creating a second discount. A code another
// discount already has is replaced; any other refusal is recorded for the merchant to read;
// throttling and outages are retried with growing pauses. Once the code exists, the email
// that sends it is scheduled in the same transaction (composed by reward-email.ts).
import { randomInt, randomUUID } from "node:crypto";
import db, { type Tx } from "~/db.server";
import { formatShopTime, minorToDecimal } from "~/format";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import { customerRowsMatch, type CustomerDataOwner } from "~/modules/privacy";
import { createCustomerDiscount, findDiscountByCode, type AdminGraphql } from "~/modules/shopify-admin";
import { offlineGraphql } from "~/shopify.server";
import { REVIEW_REWARD_FLOW } from "./flows";
import { parseReviewSettings } from "./settings";

const DAY = 86_400_000;
const LEASE_MS = 2 * 60_000;
const BATCH = 50;
/** Tries before a reward Shopify never answered for is given up (about a day and a half). */
export const MAX_REWARD_ATTEMPTS = 10;
/** 1 min, 2 min, 4 min ... at most 6 hours between tries. */
export const rewardRetryDelayMs = (attempts: number) => Math.min(6 * 3_600_000, 60_000 * 2 ** (attempts - 1));
/** Fresh codes tried when Shopify says a code is taken, before waiting for the next round. */
const CODE_TRIES = 3;

/** "THANKS-7K2MQ9": easy to read aloud and type (no 0/O, 1/I/L). */
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export function newRewardCode(): string {
  return `THANKS-${Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("")}`;
}

/** Each row's address: the customer's email, else the order's; null when neither is known. */
export async function knownAddresses(client: Tx | typeof db, shop: string, rows: { customerId: string; orderId: string | null }[]): Promise<(string | null)[]> {
  const orderIds = rows.map((row) => row.orderId).filter((id): id is string => Boolean(id));
  const [customers, orders] = await Promise.all([
    client.customer.findMany({ where: { shop, id: { in: rows.map((row) => row.customerId) } }, select: { id: true, email: true } }),
    orderIds.length > 0 ? client.order.findMany({ where: { shop, id: { in: orderIds } }, select: { id: true, email: true } }) : [],
  ]);
  const customerEmail = new Map(customers.map((c) => [c.id, c.email]));
  const orderEmail = new Map(orders.map((o) => [o.id, o.email]));
  return rows.map((row) => customerEmail.get(row.customerId) || (row.orderId ? orderEmail.get(row.orderId) : null) || null);
}

export type FirstPublished = { id: string; customerId: string | null; orderId: string | null; source: string; verified: boolean };
export const FIRST_PUBLISHED_FIELDS = { id: true, customerId: true, orderId: true, source: true, verified: true, productId: true } as const;

/**
 * Records the rewards these reviews earn; call it in the transaction that publishes them, with
 * only the reviews published for the first time. Returns how many were recorded.
 */
export async function recordRewards(tx: Tx, shop: string, reviews: FirstPublished[], now: Date): Promise<number> {
  const candidates = reviews.filter((r): r is FirstPublished & { customerId: string } => r.verified && Boolean(r.customerId) && r.source !== "import");
  if (candidates.length === 0) return 0;
  const shopRow = await tx.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
  const { reward } = parseReviewSettings(shopRow?.settings);
  if (reward.kind !== "discount" || !shopRow) return 0;
  const addresses = await knownAddresses(tx, shop, candidates);
  const earning = candidates.filter((_, i) => addresses[i]);
  for (const review of earning) {
    await tx.reviewReward.upsert({
      where: { shop_reviewId: { shop, reviewId: review.id } },
      create: {
        id: randomUUID(),
        shop,
        reviewId: review.id,
        customerId: review.customerId,
        orderId: review.orderId,
        valueType: reward.valueType,
        value: reward.value,
        currency: shopRow.currency,
        expiresInDays: reward.expiresInDays,
        status: "waiting",
        createdAt: now,
      },
      update: {},
    });
  }
  return earning.length;
}

type Reward = NonNullable<Awaited<ReturnType<typeof db.reviewReward.findFirst>>>;
export type RewardReport = { issued: number; retrying: number; failed: number };

/**
 * Creates the discount codes of the rewards that are due, of every shop or only `shop`;
 * `graphqlFor` is the Admin API of a shop (its offline session by default).
 */
export async function issueDueRewards(now: Date, options: { shop?: string; graphqlFor?: (shop: string) => Promise<AdminGraphql> } = {}): Promise<RewardReport> {
  const graphqlFor = options.graphqlFor ?? offlineGraphql;
  const owner = randomUUID();
  const report: RewardReport = { issued: 0, retrying: 0, failed: 0 };
  const claimable = {
    status: "waiting",
    ...(options.shop ? { shop: options.shop } : {}),
    OR: [{ retryAt: null }, { retryAt: { lte: now } }],
    AND: [{ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }],
  };
  const due = await db.reviewReward.findMany({ where: claimable, orderBy: { createdAt: "asc" }, take: BATCH, select: { id: true } });
  if (due.length === 0) return report;
  // One conditional update: of two workers, each reward goes to the one whose update reaches it first.
  const claimed = await db.reviewReward.updateManyAndReturn({
    where: { id: { in: due.map((r) => r.id) }, ...claimable },
    data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  const byShop = new Map<string, Reward[]>();
  for (const reward of claimed) byShop.set(reward.shop, [...(byShop.get(reward.shop) ?? []), reward]);

  for (const [shop, rewards] of byShop) {
    let graphql: AdminGraphql | null = null;
    let unreachable = "";
    try {
      graphql = await graphqlFor(shop);
    } catch (error) {
      unreachable = `no Admin API access: ${(error as Error).message}`;
    }
    for (const reward of rewards) {
      let outcome: keyof RewardReport | "lost";
      try {
        if (!graphql) throw new Error(unreachable);
        outcome = await issueOne(graphql, reward, now, owner);
      } catch (error) {
        // Throttled (THROTTLED, HTTP 429) or unreachable: try again later, with growing pauses.
        outcome = await retryLater(reward, (error as Error).message, now, owner);
      }
      if (outcome !== "lost") report[outcome]++;
    }
  }
  return report;
}

async function issueOne(graphql: AdminGraphql, reward: Reward, now: Date, owner: string): Promise<keyof RewardReport | "lost"> {
  let code = reward.code;
  if (code) {
    // An earlier try stored this code and may have died after Shopify created it: look first.
    const found = await findDiscountByCode(graphql, code, reward.customerId);
    if (found?.forCustomer) return issued(reward, code, found.id, found.endsAt ?? reward.endsAt!, now, owner);
    if (found) code = null; // another discount has it: choose another
  }
  for (let tries = 0; tries < CODE_TRIES; tries++) {
    code ??= newRewardCode();
    const endsAt = new Date(now.getTime() + reward.expiresInDays * DAY);
    // Stored before Shopify is asked, so the next try can find what this call creates.
    const stored = await db.reviewReward.updateMany({ where: { id: reward.id, leaseOwner: owner, status: "waiting" }, data: { code, endsAt } });
    if (stored.count === 0) return "lost";
    const result = await createCustomerDiscount(graphql, {
      code,
      title: "Thanks for your review",
      customerId: reward.customerId,
      startsAt: now,
      endsAt,
      value: reward.valueType === "percentage" ? { percentage: reward.value / 100 } : { amount: minorToDecimal(reward.value, reward.currency) },
    });
    if (result.kind === "created") return issued(reward, code, result.id, endsAt, now, owner);
    if (result.kind === "refused") return failed(reward, result.message, owner);
    // Taken: by another discount, or by this one (a worker whose lease ran out created it a moment ago).
    const found = await findDiscountByCode(graphql, code, reward.customerId);
    if (found?.forCustomer) return issued(reward, code, found.id, found.endsAt ?? endsAt, now, owner);
    code = null;
  }
  throw new Error(`Shopify said ${CODE_TRIES} new codes in a row were taken`);
}

/** The code exists in Shopify: recorded, and its email scheduled, in one transaction. */
async function issued(reward: Reward, code: string, discountId: string, endsAt: Date, now: Date, owner: string): Promise<"issued" | "lost"> {
  return db.$transaction(async (tx) => {
    const messageId = randomUUID();
    const updated = await tx.reviewReward.updateMany({
      where: { id: reward.id, leaseOwner: owner, status: "waiting" },
      data: { status: "issued", code, discountId, endsAt, issuedAt: now, messageId, leaseOwner: null, leaseUntil: null, retryAt: null, lastError: null },
    });
    if (updated.count === 0) return "lost";
    await tx.message.create({
      data: {
        id: messageId,
        shop: reward.shop,
        key: `${REVIEW_REWARD_FLOW}:${reward.reviewId}`,
        flow: REVIEW_REWARD_FLOW,
        orderId: reward.orderId,
        customerId: reward.customerId,
        dueAt: now,
        status: "scheduled",
      },
    });
    return "issued";
  });
}

async function failed(reward: Reward, reason: string, owner: string): Promise<"failed"> {
  await db.reviewReward.updateMany({
    where: { id: reward.id, leaseOwner: owner, status: "waiting" },
    data: { status: "failed", attempts: reward.attempts, lastError: reason.slice(0, 500), leaseOwner: null, leaseUntil: null },
  });
  return "failed";
}

async function retryLater(reward: Reward, reason: string, now: Date, owner: string): Promise<"retrying" | "failed"> {
  const attempts = reward.attempts + 1;
  if (attempts >= MAX_REWARD_ATTEMPTS) return failed({ ...reward, attempts }, `Shopify could not be reached after ${attempts} tries: ${reason}`, owner);
  await db.reviewReward.updateMany({
    where: { id: reward.id, leaseOwner: owner, status: "waiting" },
    data: { attempts, retryAt: new Date(now.getTime() + rewardRetryDelayMs(attempts)), lastError: reason.slice(0, 500), leaseOwner: null, leaseUntil: null },
  });
  return "retrying";
}

export type RewardState = { tone: "info" | "success" | "warning" | "critical"; text: string };

/** What became of a review's reward, in the merchant's words; null when it earned none. */
export async function reviewRewardState(shop: string, reviewId: string, timezone: string): Promise<RewardState | null> {
  const reward = await db.reviewReward.findUnique({ where: { shop_reviewId: { shop, reviewId } } });
  if (!reward) return null;
  if (reward.status === "failed") return { tone: "critical", text: `Reward failed: ${reward.lastError ?? "Shopify refused the discount"}` };
  if (reward.status === "waiting") {
    return { tone: "info", text: reward.lastError ? `Reward waiting: the discount code will be created on the next try (last try: ${reward.lastError})` : "Reward waiting: the discount code is being created." };
  }
  const message = reward.messageId ? await db.message.findFirst({ where: { shop, id: reward.messageId }, select: { status: true, sentAt: true, detail: true, dueAt: true } }) : null;
  const code = `Code ${reward.code}`;
  if (message?.sentAt && (message.status === "sent" || message.status === "outbox")) {
    const when = formatShopTime(message.sentAt, timezone);
    return { tone: "success", text: message.status === "sent" ? `${code} sent on ${when}` : `${code} written on ${when}; it is in the outbox (no mail server is set up)` };
  }
  if (message?.status === "scheduled") return { tone: "info", text: `${code} created; the email goes out ${formatShopTime(message.dueAt, timezone)}` };
  return { tone: "warning", text: `${code} created, but not emailed: ${message?.detail ?? "the email was not written"}` };
}

/** Rewards name a customer: erased with them, and part of what they are told is held. */
export const REVIEW_REWARD_DATA: CustomerDataOwner = {
  name: "reviewRewards",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = customerRowsMatch(shop, request);
    if (match.OR.length > 0) await tx.reviewReward.deleteMany({ where: match });
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = customerRowsMatch(shop, request);
    if (match.OR.length === 0) return [];
    return tx.reviewReward.findMany({
      where: match,
      select: { valueType: true, value: true, currency: true, status: true, code: true, endsAt: true, createdAt: true, issuedAt: true },
    });
  },
};
