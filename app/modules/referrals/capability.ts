// Referrals as the capability list knows it: a referral code per customer (a Shopify discount
// the rewards module creates), attribution and fraud rules on the friend's paid order, the
// advocate's reward once the return window has passed (and its email), and the customer data it holds.
import type { Capability } from "~/modules/capability";
import { REFERRAL_REACTIONS } from "./attribution";
import { REFERRAL_CODE_OWNER, referralCodeOwner } from "./codes";
import { composeReferralReward, REFERRAL_EMAIL_FLOWS, REFERRAL_REWARD_FLOW } from "./emails";
import { REFERRAL_REWARD_OWNER, referralRewardOwner, rewardDueReferrals } from "./payout";
import { REFERRAL_DATA } from "./privacy";

export const REFERRALS: Capability = {
  name: "referrals",
  reactions: REFERRAL_REACTIONS,
  composers: { [REFERRAL_REWARD_FLOW]: composeReferralReward },
  flows: REFERRAL_EMAIL_FLOWS,
  privacy: [REFERRAL_DATA],
  rewards: { [REFERRAL_CODE_OWNER]: referralCodeOwner, [REFERRAL_REWARD_OWNER]: referralRewardOwner },
  jobs: [
    {
      name: "referralsRewarded",
      phase: "before-dispatch",
      run: async (now, scope) => {
        const paid = await rewardDueReferrals(now, scope);
        return { done: paid, progress: paid };
      },
    },
  ],
};
