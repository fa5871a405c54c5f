// Loyalty as the capability list knows it: points earned from orders (the reactions), approved
// by the worker once the return window has passed, redeemed for rewards the rewards module
// issues (and gives back when Shopify refuses), the emails about them, and the customer data
// the ledger holds.
import type { Capability } from "~/modules/capability";
import { BONUS_REACTIONS, giveBirthdayBonuses } from "./bonuses";
import { approveDuePoints, LOYALTY_REACTIONS } from "./earning";
import {
  composePointsApproved,
  composePointsExpiring,
  composeRewardReady,
  composeTierChange,
  LOYALTY_EMAIL_FLOWS,
  LOYALTY_REWARD_FLOW,
  POINTS_APPROVED_FLOW,
} from "./emails";
import { LOYALTY_DATA } from "./privacy";
import { NEXT_ORDER_OWNER, nextOrderOwner } from "./next-order";
import { LOYALTY_REWARD_OWNER, loyaltyRewardOwner } from "./redeem";
import { expireInactivePoints, POINTS_EXPIRING_FLOW } from "./expiry";
import { reviewDueTiers, TIER_CHANGE_FLOW } from "./tiers";

export const LOYALTY: Capability = {
  name: "loyalty",
  reactions: [...LOYALTY_REACTIONS, ...BONUS_REACTIONS],
  composers: {
    [LOYALTY_REWARD_FLOW]: composeRewardReady,
    [POINTS_APPROVED_FLOW]: composePointsApproved,
    [TIER_CHANGE_FLOW]: composeTierChange,
    [POINTS_EXPIRING_FLOW]: composePointsExpiring,
  },
  flows: LOYALTY_EMAIL_FLOWS,
  privacy: [LOYALTY_DATA],
  rewards: { [LOYALTY_REWARD_OWNER]: loyaltyRewardOwner, [NEXT_ORDER_OWNER]: nextOrderOwner },
  jobs: [
    {
      name: "pointsApproved",
      phase: "before-dispatch",
      run: async (now, scope) => {
        const approved = await approveDuePoints(now, scope);
        return { done: approved, progress: approved };
      },
    },
    {
      name: "birthdayBonuses",
      phase: "before-dispatch",
      run: async (now, scope) => ({ done: await giveBirthdayBonuses(now, scope), progress: 0 }),
    },
    {
      name: "pointsExpired",
      phase: "before-dispatch",
      run: async (now, scope) => {
        const handled = await expireInactivePoints(now, scope);
        return { done: handled, progress: handled };
      },
    },
    {
      name: "tiersReviewed",
      phase: "before-dispatch",
      run: async (now, scope) => {
        const reviewed = await reviewDueTiers(now, scope);
        return { done: reviewed, progress: reviewed };
      },
    },
  ],
};
