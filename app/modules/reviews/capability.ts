// Reviews as the capability list knows them: the reward email, the customer data reviews and
// rewards hold, the rewards reviews earn (issued by the rewards module, which tells
// reviewRewardOwner what became of each), and the worker's job writing changed star ratings to Shopify.
import type { Capability } from "~/modules/capability";
import { REVIEW_EMAIL_FLOWS, REVIEW_REWARD_FLOW } from "./flows";
import { REVIEW_DATA } from "./index";
import { syncProductRatings } from "./ratings";
import { composeReviewReward } from "./reward-email";
import { REVIEW_REWARD_DATA, REVIEW_REWARD_OWNER, reviewRewardOwner } from "./rewards";

export const REVIEWS: Capability = {
  name: "reviews",
  reactions: [],
  composers: { [REVIEW_REWARD_FLOW]: composeReviewReward },
  flows: REVIEW_EMAIL_FLOWS,
  // In the order erasure and export have always covered them.
  privacy: [REVIEW_REWARD_DATA, REVIEW_DATA],
  rewards: { [REVIEW_REWARD_OWNER]: reviewRewardOwner },
  jobs: [
    {
      name: "ratings",
      phase: "after-dispatch",
      run: async (now, { shop }) => {
        const { synced } = await syncProductRatings(now, { shop });
        return { done: synced, progress: synced };
      },
    },
  ],
};
