// The customer data referrals hold: who referred whom, and the advocate's code and rewards.
// Erasing an advocate keeps the referral's outcome under a pseudonym (the figures still add up)
// and deletes their code's and rewards' records; erasing a friend forgets who the friend was.
import { randomUUID } from "node:crypto";
import type { Tx } from "~/db.server";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import type { CustomerDataOwner } from "~/modules/privacy";
import { REFERRAL_CODE_OWNER } from "./codes";
import { REFERRAL_REWARD_OWNER } from "./payout";

const referralRewards = (shop: string, customerId: string) => ({
  shop,
  customerId,
  OR: [{ sourceKey: { startsWith: `${REFERRAL_CODE_OWNER}:` } }, { sourceKey: { startsWith: `${REFERRAL_REWARD_OWNER}:` } }],
});

export const REFERRAL_DATA: CustomerDataOwner = {
  name: "referrals",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    if (request.customerId) {
      await tx.referral.updateMany({ where: { shop, advocateId: request.customerId }, data: { advocateId: `redacted:${randomUUID()}` } });
      await tx.referral.updateMany({ where: { shop, friendCustomerId: request.customerId }, data: { friendCustomerId: null } });
      await tx.reward.deleteMany({ where: referralRewards(shop, request.customerId) });
    }
    if (request.orderIds.length > 0) await tx.referral.updateMany({ where: { shop, orderId: { in: request.orderIds } }, data: { friendCustomerId: null } });
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    if (!request.customerId) return null;
    const customerId = request.customerId;
    const [referred, referredBy, rewards] = await Promise.all([
      tx.referral.findMany({ where: { shop, advocateId: customerId }, select: { orderName: true, status: true, createdAt: true, rewardedAt: true } }),
      tx.referral.findMany({ where: { shop, friendCustomerId: customerId }, select: { orderName: true, code: true, createdAt: true } }),
      tx.reward.findMany({
        where: referralRewards(shop, customerId),
        select: { kind: true, valueType: true, value: true, currency: true, status: true, code: true, createdAt: true },
      }),
    ]);
    return { referred, referredBy, rewards };
  },
};
