// Referrals: friends who bring friends, each rewarded once, with the fraud rules' reasons kept.
export { decideReferral, referralsAdminPage, type Decision, type ReferralRow, type ReferralsAdminPage, type ReferralStatusName } from "./admin";
export { compareEmails, type Flag, type FlagRule } from "./attribution";
export { referralLanding, referralUrl, storefrontReferral, type StorefrontReferral } from "./codes";
export { rewardDueReferrals } from "./payout";
export {
  advocateRewardName,
  parseReferralSettings,
  REFERRAL_DEFAULTS,
  referralSettingsPage,
  saveReferralSettingsForm,
  setReferralStatus,
  type ReferralSettings,
  type ReferralStatus,
} from "./settings";
