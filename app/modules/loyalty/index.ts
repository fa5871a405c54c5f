// Loyalty: points for orders, a ledger that never lies, rewards in Shopify's own currency.
export { adjustPoints, type AdjustmentResult } from "./adjust";
export { giveBirthday, type BirthdayResult } from "./bonuses";
export { customerLedger, loyaltyAdminPage, memberName, type CustomerLedger, type LoyaltyAdminPage } from "./admin";
export { pointsFor } from "./earning";
export { post, type EntryKind, type Posting } from "./ledger";
export { redeem, type RedeemRefusal, type Redemption } from "./redeem";
export {
  DEFAULT_REWARDS,
  loyaltySettingsPage,
  parseLoyaltySettings,
  rewardName,
  saveLoyaltySettingsForm,
  setProgramStatus,
  type LoyaltySettings,
  type ProgramStatus,
  type RewardOption,
} from "./settings";
export { storefrontLoyalty, type StorefrontLoyalty } from "./storefront";
