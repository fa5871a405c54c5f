// Whose rewards the worker issues, by the part of their sourceKey before the colon: each owner
// learns here what became of its rewards.
import type { RewardOwners } from "~/modules/rewards";
import { REVIEW_REWARD_OWNER, reviewRewardOwner } from "~/modules/reviews/rewards";

export const REWARD_OWNERS: RewardOwners = {
  [REVIEW_REWARD_OWNER]: reviewRewardOwner,
};
