// Rewards for reviews. When a review is published for the first time and the shop offers a
// reward, its writer (a verified buyer known as a customer, with an email address; never an
// imported review, nor a logged-in shopper's review of something they did not buy) earns
// exactly one discount code, recorded in the same transaction as the publish; or, when the
// shop rewards reviews in loyalty points, the points, posted in that transaction. The rating plays
// no part, and hiding the review later takes nothing back.
//
// The rewards module creates the code in Shopify; once it exists, the email that sends it is
// scheduled in the same transaction (composed by reward-email.ts).
import { randomUUID } from "node:crypto";
import db, { type Tx } from "~/db.server";
import { formatShopTime } from "~/format";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import { customerRowsMatch, type CustomerDataOwner } from "~/modules/privacy";
import { parseLoyaltySettings, post } from "~/modules/loyalty";
import { findReward, recordReward, type RewardOwner } from "~/modules/rewards";
import { REVIEW_REWARD_FLOW } from "./flows";
import { parseReviewSettings } from "./settings";

/** The owner of review rewards, as their sourceKey names it ("review:<review id>"). */
export const REVIEW_REWARD_OWNER = "review";
const sourceKeyOf = (reviewId: string) => `${REVIEW_REWARD_OWNER}:${reviewId}`;
/** The review a reward of this owner was earned by. */
export const reviewIdOf = (sourceKey: string) => sourceKey.slice(REVIEW_REWARD_OWNER.length + 1);
const REVIEW_REWARDS = { sourceKey: { startsWith: `${REVIEW_REWARD_OWNER}:` } };

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
  if (reward.kind === "points") return givePoints(tx, shop, candidates, reward.points, parseLoyaltySettings(shopRow?.settings).status, now);
  if (reward.kind !== "discount" || !shopRow) return 0;
  const addresses = await knownAddresses(tx, shop, candidates);
  const earning = candidates.filter((_, i) => addresses[i]);
  for (const review of earning) {
    const { valueType, value, expiresInDays } = reward;
    await recordReward(
      tx,
      shop,
      sourceKeyOf(review.id),
      { kind: "discount_code", customerId: review.customerId, orderId: review.orderId, currency: shopRow.currency, valueType, value, expiresInDays },
      now,
    );
  }
  return earning.length;
}

/** Points, straight into the loyalty ledger, while the loyalty program is not off; once per review. */
async function givePoints(
  tx: Tx,
  shop: string,
  reviews: (FirstPublished & { customerId: string })[],
  points: number,
  program: string,
  now: Date,
): Promise<number> {
  if (program === "off") return 0;
  for (const review of reviews) {
    const posting = { sourceKey: sourceKeyOf(review.id), customerId: review.customerId, kind: "bonus" as const, pendingDelta: 0, balanceDelta: points };
    await post(tx, shop, { ...posting, reason: "Thank you for your review" }, now);
  }
  return reviews.length;
}

/** Review rewards are discount codes; once Shopify holds one, the email that sends it is scheduled. */
export const reviewRewardOwner: RewardOwner = {
  discount: { title: "Thanks for your review", codePrefix: "THANKS" },
  async issued(tx, reward, now) {
    const message = await tx.message.create({
      data: {
        id: randomUUID(),
        shop: reward.shop,
        key: `${REVIEW_REWARD_FLOW}:${reviewIdOf(reward.sourceKey)}`,
        flow: REVIEW_REWARD_FLOW,
        orderId: reward.orderId,
        customerId: reward.customerId,
        dueAt: now,
        status: "scheduled",
      },
    });
    return message.id;
  },
};

export type RewardState = { tone: "info" | "success" | "warning" | "critical"; text: string };

/** What became of a review's reward, in the merchant's words; null when it earned none. */
export async function reviewRewardState(shop: string, reviewId: string, timezone: string): Promise<RewardState | null> {
  const reward = await findReward(shop, sourceKeyOf(reviewId));
  if (!reward) return null;
  if (reward.status === "refused" || reward.status === "returned")
    return { tone: "critical", text: `Reward failed: ${reward.lastError ?? "Shopify refused the discount"}` };
  if (reward.status !== "issued") {
    return {
      tone: "info",
      text: reward.lastError
        ? `Reward waiting: the discount code will be created on the next try (last try: ${reward.lastError})`
        : "Reward waiting: the discount code is being created.",
    };
  }
  const message = reward.messageId
    ? await db.message.findFirst({ where: { shop, id: reward.messageId }, select: { status: true, sentAt: true, detail: true, dueAt: true } })
    : null;
  const code = `Code ${reward.code}`;
  if (message?.sentAt && (message.status === "sent" || message.status === "outbox")) {
    const when = formatShopTime(message.sentAt, timezone);
    return {
      tone: "success",
      text: message.status === "sent" ? `${code} sent on ${when}` : `${code} written on ${when}; it is in the outbox (no mail server is set up)`,
    };
  }
  if (message?.status === "scheduled") return { tone: "info", text: `${code} created; the email goes out ${formatShopTime(message.dueAt, timezone)}` };
  return { tone: "warning", text: `${code} created, but not emailed: ${message?.detail ?? "the email was not written"}` };
}

/** Rewards name a customer: erased with them, and part of what they are told is held. */
export const REVIEW_REWARD_DATA: CustomerDataOwner = {
  name: "reviewRewards",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = customerRowsMatch(shop, request);
    if (match.OR.length > 0) await tx.reward.deleteMany({ where: { ...match, ...REVIEW_REWARDS } });
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = customerRowsMatch(shop, request);
    if (match.OR.length === 0) return [];
    return tx.reward.findMany({
      where: { ...match, ...REVIEW_REWARDS },
      select: { valueType: true, value: true, currency: true, status: true, code: true, endsAt: true, createdAt: true, issuedAt: true },
    });
  },
};
