// Every customer's referral code: a real Shopify discount (the friend's percent off, any
// customer once each, no end), chosen and recorded when the customer first asks for it and
// created in Shopify by the worker through the rewards module. The link goes through the app
// proxy, which sends the friend to Shopify's /discount/CODE so the code is applied at checkout.
import db, { integerOf, queryDirect, sql } from "~/db.server";
import { findReward, newCode, recordReward, type RewardOwner } from "~/modules/rewards";
import { advocateRewardName, friendRewardName, parseReferralSettings, type ReferralStatus } from "./settings";

/** The owner of the referral codes, as their sourceKey names it ("referral-code:<advocate id>"). */
export const REFERRAL_CODE_OWNER = "referral-code";
const CODE_PREFIX = "FRIEND";
/** A code as a link may carry it. */
export const REFERRAL_CODE = /^[A-Z0-9][A-Z0-9-]{0,39}$/;

export const referralCodeOwner: RewardOwner = {
  discount: { title: "A friend's first-order discount", codePrefix: CODE_PREFIX, anyone: true },
};

const codeKey = (customerId: string) => `${REFERRAL_CODE_OWNER}:${customerId}`;

export type StorefrontReferral = {
  program: { status: ReferralStatus; friend_reward: string; advocate_reward: string };
  /** The customer's code and link; null for a guest or while the program is off. */
  code: string | null;
  url: string | null;
  /** "ready" once Shopify holds the code; "issuing" for the minute before. */
  code_status: "issuing" | "ready" | "refused" | null;
  /** Friends whose orders earned the customer a reward ... */
  friends: number;
  /** ... and those still within their return window or waiting for the merchant. */
  pending: number;
};

/** The link a friend follows: through the shop's app proxy, which applies the code. */
export const referralUrl = (shop: string, code: string) => `https://${shop}/apps/aftercare/r/${encodeURIComponent(code)}`;

/**
 * What the referral block (or a headless storefront) shows the signed-in customer: their code,
 * recorded on the first ask while the program is live, their link and their friends.
 */
export async function storefrontReferral(shop: string, customerId: string | null, now: Date): Promise<StorefrontReferral> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
  const settings = parseReferralSettings(row?.settings);
  const program = {
    status: settings.status,
    friend_reward: friendRewardName(settings),
    advocate_reward: advocateRewardName(settings.advocateReward, row?.currency ?? "USD"),
  };
  const none = { program, code: null, url: null, code_status: null, friends: 0, pending: 0 };
  if (!customerId || settings.status === "off") return none;
  let reward = await findReward(shop, codeKey(customerId));
  if (!reward) {
    // A paused program hands out no new codes; the ones already shared keep working.
    if (settings.status !== "live") return none;
    const terms = { kind: "discount_code", valueType: "percentage", value: settings.friendPercent, expiresInDays: null } as const;
    const currency = row?.currency ?? "USD";
    try {
      await db.$transaction((tx) => recordReward(tx, shop, codeKey(customerId), { ...terms, code: newCode(CODE_PREFIX), customerId, currency }, now));
    } catch (error) {
      // Two first asks at once: the other one recorded the code.
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
    reward = await findReward(shop, codeKey(customerId));
  }
  const counts = await queryDirect<{ status: string; n: unknown }>(sql`
    SELECT "status", COUNT(*) AS "n" FROM "Referral" WHERE "shop" = ${shop} AND "advocateId" = ${customerId} GROUP BY "status"`);
  const count = (...statuses: string[]) => counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + integerOf(c.n), 0);
  const code = reward!.code!;
  return {
    program,
    code,
    url: referralUrl(shop, code),
    code_status: reward!.status === "issued" ? "ready" : reward!.status === "refused" ? "refused" : "issuing",
    friends: count("rewarded"),
    pending: count("pending", "flagged"),
  };
}

/**
 * Where the referral link sends the friend: Shopify's /discount/CODE (which applies the code and
 * goes on to the home page) when the code is one of this shop's referral codes Shopify holds;
 * the home page otherwise, so an old or mistyped link still lands in the store.
 */
export async function referralLanding(shop: string, code: string): Promise<string> {
  const wanted = code.toUpperCase();
  if (!REFERRAL_CODE.test(wanted)) return "/";
  const [held] = await queryDirect<{ code: string }>(sql`
    SELECT "code" FROM "Reward" WHERE "shop" = ${shop} AND "code" = ${wanted} AND "status" = 'issued'
      AND "sourceKey" >= ${`${REFERRAL_CODE_OWNER}:`} AND "sourceKey" < ${`${REFERRAL_CODE_OWNER};`}`);
  return held ? `/discount/${encodeURIComponent(held.code)}?redirect=%2F` : "/";
}
