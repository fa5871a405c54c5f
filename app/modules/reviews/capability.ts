// Reviews as the capability list knows them: the reward email, the customer data reviews and
// rewards hold, and the worker's two jobs, issuing earned rewards (before dispatch, so a code
// issued now is emailed in the same round) and writing changed star ratings to Shopify.
import type { Capability } from "~/modules/capability";
import { REVIEW_EMAIL_FLOWS, REVIEW_REWARD_FLOW } from "./flows";
import { REVIEW_DATA } from "./index";
import { syncProductRatings } from "./ratings";
import { composeReviewReward } from "./reward-email";
import { issueDueRewards, REVIEW_REWARD_DATA } from "./rewards";

export const REVIEWS: Capability = {
  name: "reviews",
  reactions: [],
  composers: { [REVIEW_REWARD_FLOW]: composeReviewReward },
  flows: REVIEW_EMAIL_FLOWS,
  // In the order erasure and export have always covered them.
  privacy: [REVIEW_REWARD_DATA, REVIEW_DATA],
  jobs: [
    {
      name: "rewards",
      phase: "before-dispatch",
      run: async (now) => {
        const { issued, failed } = await issueDueRewards(now);
        return { done: issued, progress: issued + failed };
      },
    },
    {
      name: "ratings",
      phase: "after-dispatch",
      run: async (now) => {
        const { synced } = await syncProductRatings(now);
        return { done: synced, progress: synced };
      },
    },
  ],
};
