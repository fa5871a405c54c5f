// Rewards: a one-use discount code or store credit a customer earned (for a review today; for
// loyalty points and referrals next), issued in Shopify exactly once. The capability that owns
// a reward records it in the transaction that earned it, one per (shop, sourceKey); the worker
// issues it through shopify-admin and tells the owner what became of it, in the transaction
// that records it:
//
//   recorded -> issuing -> issued      (the owner's `issued`: e.g. schedule the email)
//                       -> refused     (Shopify's reason kept for the merchant; the owner's
//                          -> returned  `refused` may take it back, e.g. give the points back)
//
// Throttling and outages are retried with growing pauses, a bounded number of times. When the
// answer to a call is lost (a timeout, a dropped connection, a 5xx, a worker that died while
// waiting), whether it may be sent again depends on what it was:
// - A discount code is chosen and stored before Shopify is asked, and Shopify holds one
//   discount per code: the next try looks the code up and adopts it, so it is never created
//   twice.
// - A store credit is not idempotent (Shopify keeps no key of ours on it), so a credit whose
//   answer was lost is never sent again by itself: it stays "issuing" with the reason, and the
//   merchant checks the customer's store credit in Shopify. Only answers that say Shopify did
//   nothing (THROTTLED, HTTP 429, a refusal) are retried. Crediting twice costs the merchant;
//   holding one for a look costs a minute.
import { randomInt, randomUUID } from "node:crypto";
import type { Reward } from "@prisma/client";
import db, { type Tx } from "~/db.server";
import { minorToDecimal } from "~/format";
import { claimable, claimBatch, lease, RELEASED, retryAfter, type Backoff } from "~/modules/jobs/lease";
import { createCodeDiscount, creditStoreCredit, findDiscountByCode, mayHaveBeenApplied, type AdminGraphql } from "~/modules/shopify-admin";
import { offlineGraphql } from "~/modules/shopify-admin/offline";

export type { Reward };

/** What a reward is worth, fixed when it is earned. */
export type RewardTerms = { customerId: string; orderId?: string | null; currency: string } & (
  | {
      kind: "discount_code";
      valueType: "percentage" | "fixed_amount" | "free_shipping";
      /** percent, or minor units (0 for free shipping) */ value: number;
      /** null: never expires */ expiresInDays: number | null;
      /** Chosen now (newCode) when the customer sees it before Shopify holds it. */ code?: string;
    }
  | { kind: "store_credit"; /** minor units */ value: number; /** null: never expires */ expiresInDays: number | null }
);

/** What the capability that owns rewards (the part of their sourceKey before the colon) adds. */
export type RewardOwner = {
  /**
   * A discount's title in Shopify's admin and at checkout, and the start of its code ("THANKS");
   * `anyone`: any customer may use it once (a referral code), not only the reward's customer.
   */
  discount?: { title: string; codePrefix: string; anyone?: boolean };
  /** Runs in the transaction that records the reward issued; returns the message it scheduled about it, if any. */
  issued?(tx: Tx, reward: Reward, now: Date): Promise<string | null>;
  /** Runs in the transaction that records the refusal; true when it took the reward back (it is then "returned"). */
  refused?(tx: Tx, reward: Reward, now: Date): Promise<boolean>;
};
/** The owners by the part of the sourceKey before the colon ("review"). */
export type RewardOwners = Record<string, RewardOwner>;

const DAY = 86_400_000;
const LEASE_MS = 2 * 60_000;
const BATCH = 50;
/** Tries before a reward Shopify never answered for is refused (about a day and a half). */
export const MAX_REWARD_ATTEMPTS = 10;
/** 1 min, 2 min, 4 min ... at most 6 hours between tries. */
export const REWARD_BACKOFF: Backoff = { firstMs: 60_000, factor: 2, maxMs: 6 * 3_600_000 };
/** Fresh codes tried when Shopify says a code is taken, before waiting for the next round. */
const CODE_TRIES = 3;
const PENDING = ["recorded", "issuing"];

/** "THANKS-7K2MQ9": easy to read aloud and type (no 0/O, 1/I/L). Chosen when Shopify is asked, or earlier by an owner that shows it first. */
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const newCode = (prefix: string) => `${prefix}-${Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("")}`;

const ownerName = (sourceKey: string) => sourceKey.slice(0, sourceKey.indexOf(":"));

/**
 * Records the reward `sourceKey` earned; call it in the transaction that earned it. Once per
 * (shop, sourceKey): recording it again changes nothing, whatever the terms.
 */
export async function recordReward(tx: Tx, shop: string, sourceKey: string, terms: RewardTerms, now: Date): Promise<void> {
  if (!ownerName(sourceKey)) throw new Error(`a reward's sourceKey names its owner before a colon: ${sourceKey}`);
  await tx.reward.upsert({
    where: { shop_sourceKey: { shop, sourceKey } },
    create: {
      id: randomUUID(),
      shop,
      sourceKey,
      customerId: terms.customerId,
      orderId: terms.orderId ?? null,
      kind: terms.kind,
      valueType: terms.kind === "discount_code" ? terms.valueType : "fixed_amount",
      value: terms.value,
      currency: terms.currency,
      expiresInDays: terms.expiresInDays,
      status: "recorded",
      code: terms.kind === "discount_code" ? (terms.code ?? null) : null,
      createdAt: now,
    },
    update: {},
  });
}

/**
 * A next-order offer: a code for an order's customer, shown in one of that order's follow-up
 * emails (`flow`). Its owner records it under this key; the follow-up looks it up by the same.
 */
export const orderOfferKey = (orderId: string, flow: string) => `offer:${orderId}:${flow}`;

/** The reward `sourceKey` earned in `shop`, if any. */
export function findReward(shop: string, sourceKey: string): Promise<Reward | null> {
  return db.reward.findUnique({ where: { shop_sourceKey: { shop, sourceKey } } });
}

export type RewardReport = { issued: number; retrying: number; refused: number; held: number };
type Outcome = keyof RewardReport | "lost";
type Issuing = { reward: Reward; owner: RewardOwner; lease: string; now: Date };

/**
 * Issues the rewards that are due, of every shop or only `shop`; `owners` are told what became
 * of theirs, `graphqlFor` is the Admin API of a shop (its offline session by default).
 */
export async function issueDueRewards(
  now: Date,
  options: { owners: RewardOwners; shop?: string; graphqlFor?: (shop: string) => Promise<AdminGraphql> },
): Promise<RewardReport> {
  const graphqlFor = options.graphqlFor ?? offlineGraphql;
  const leaseOwner = randomUUID();
  const report: RewardReport = { issued: 0, retrying: 0, refused: 0, held: 0 };
  const due = {
    ...(options.shop ? { shop: options.shop } : {}),
    // A store credit left issuing lost its answer: held for the merchant, never claimed again.
    AND: [{ OR: [{ status: "recorded" }, { status: "issuing", kind: "discount_code" }] }, claimable(now)],
  };
  const { claimed } = await claimBatch(
    () => db.reward.findMany({ where: due, orderBy: { createdAt: "asc" }, take: BATCH, select: { id: true } }),
    (ids) => db.reward.updateManyAndReturn({ where: { id: { in: ids }, ...due }, data: lease(leaseOwner, now, LEASE_MS) }),
  );
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
      const issuing: Issuing = { reward, owner: options.owners[ownerName(reward.sourceKey)] ?? {}, lease: leaseOwner, now };
      let outcome: Outcome;
      if (!graphql) outcome = await retryLater(issuing, unreachable);
      else if (reward.kind === "store_credit") outcome = await issueStoreCredit(graphql, issuing);
      else {
        try {
          outcome = await issueDiscount(graphql, issuing);
        } catch (error) {
          // Throttled or unreachable: a retry looks the stored code up first, so any answer may be retried.
          outcome = await retryLater(issuing, (error as Error).message);
        }
      }
      if (outcome !== "lost") report[outcome]++;
    }
  }
  return report;
}

/** Only while this worker still holds the reward and it is still to be issued. */
const mine = ({ reward, lease }: Issuing) => ({ shop: reward.shop, id: reward.id, leaseOwner: lease, status: { in: PENDING } });

async function issueDiscount(graphql: AdminGraphql, issuing: Issuing): Promise<Outcome> {
  const { reward, owner, now } = issuing;
  if (!owner.discount) return refuse(issuing, `no owner issues discount codes for ${reward.sourceKey}`);
  const customerId = owner.discount.anyone ? null : reward.customerId;
  let code = reward.code;
  if (code) {
    // An earlier try (or the owner) stored this code; a try may have died after Shopify created it: look first.
    const found = await findDiscountByCode(graphql, code, customerId);
    if (found?.ours) return issued(issuing, { code, shopifyId: found.id, endsAt: found.endsAt ?? reward.endsAt });
    if (found) code = null; // another discount has it: choose another
  }
  for (let tries = 0; tries < CODE_TRIES; tries++) {
    code ??= newCode(owner.discount.codePrefix);
    const endsAt = reward.expiresInDays == null ? null : new Date(now.getTime() + reward.expiresInDays * DAY);
    // Stored before Shopify is asked, so the next try can find what this call creates.
    const stored = await db.reward.updateMany({ where: mine(issuing), data: { code, endsAt, status: "issuing" } });
    if (stored.count === 0) return "lost";
    const result = await createCodeDiscount(graphql, {
      code,
      title: owner.discount.title,
      customerId,
      startsAt: now,
      endsAt,
      value:
        reward.valueType === "free_shipping"
          ? { freeShipping: true }
          : reward.valueType === "percentage"
            ? { percentage: reward.value / 100 }
            : { amount: minorToDecimal(reward.value, reward.currency) },
    });
    if (result.kind === "created") return issued(issuing, { code, shopifyId: result.id, endsAt });
    if (result.kind === "refused") return refuse(issuing, result.message);
    // Taken: by another discount, or by this one (a worker whose lease ran out created it a moment ago).
    const found = await findDiscountByCode(graphql, code, customerId);
    if (found?.ours) return issued(issuing, { code, shopifyId: found.id, endsAt: found.endsAt ?? endsAt });
    code = null;
  }
  throw new Error(`Shopify said ${CODE_TRIES} new codes in a row were taken`);
}

async function issueStoreCredit(graphql: AdminGraphql, issuing: Issuing): Promise<Outcome> {
  const { reward, now } = issuing;
  // Marked before Shopify is asked: should this worker die waiting, the credit is held, not sent again.
  const marked = await db.reward.updateMany({ where: { ...mine(issuing), status: "recorded" }, data: { status: "issuing" } });
  if (marked.count === 0) return "lost";
  const expiresAt = reward.expiresInDays == null ? null : new Date(now.getTime() + reward.expiresInDays * DAY);
  try {
    const result = await creditStoreCredit(graphql, {
      customerId: reward.customerId,
      amount: { amount: minorToDecimal(reward.value, reward.currency), currencyCode: reward.currency },
      expiresAt,
    });
    if (result.kind === "refused") return refuse(issuing, result.message);
    return issued(issuing, { code: null, shopifyId: result.id, endsAt: result.expiresAt ?? expiresAt });
  } catch (error) {
    const reason = (error as Error).message;
    if (!mayHaveBeenApplied(error)) return retryLater(issuing, reason, { status: "recorded" });
    await db.reward.updateMany({
      where: mine(issuing),
      data: {
        ...RELEASED,
        retryAt: null,
        lastError: `Shopify's answer was lost: check the customer's store credit in Shopify; it is not credited again by itself (${reason})`.slice(0, 500),
      },
    });
    return "held";
  }
}

/** Shopify holds it: recorded, and its owner told, in one transaction. */
async function issued(issuing: Issuing, held: { code: string | null; shopifyId: string; endsAt: Date | null }): Promise<Outcome> {
  const { reward, owner, now } = issuing;
  return db.$transaction(async (tx) => {
    const data = { ...held, status: "issued", issuedAt: now, ...RELEASED, retryAt: null, lastError: null };
    const updated = await tx.reward.updateMany({ where: mine(issuing), data });
    if (updated.count === 0) return "lost";
    const messageId = (await owner.issued?.(tx, { ...reward, ...data }, now)) ?? null;
    if (messageId) await tx.reward.update({ where: { id: reward.id }, data: { messageId } });
    return "issued";
  });
}

/** Shopify refused it (or never answered, too many times): the reason is kept for the merchant, and its owner told. */
async function refuse(issuing: Issuing, reason: string, attempts = issuing.reward.attempts): Promise<Outcome> {
  const { reward, owner, now } = issuing;
  return db.$transaction(async (tx) => {
    const data = { status: "refused", attempts, lastError: reason.slice(0, 500), ...RELEASED, retryAt: null };
    const updated = await tx.reward.updateMany({ where: mine(issuing), data });
    if (updated.count === 0) return "lost";
    if (await owner.refused?.(tx, { ...reward, ...data }, now)) await tx.reward.update({ where: { id: reward.id }, data: { status: "returned" } });
    return "refused";
  });
}

async function retryLater(issuing: Issuing, reason: string, data: { status?: string } = {}): Promise<Outcome> {
  const attempts = issuing.reward.attempts + 1;
  if (attempts >= MAX_REWARD_ATTEMPTS) return refuse(issuing, `Shopify could not be reached after ${attempts} tries: ${reason}`, attempts);
  const updated = await db.reward.updateMany({
    where: mine(issuing),
    data: { ...data, attempts, retryAt: retryAfter(REWARD_BACKOFF, attempts, issuing.now), lastError: reason.slice(0, 500), ...RELEASED },
  });
  return updated.count === 0 ? "lost" : "retrying";
}
