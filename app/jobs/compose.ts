// Which module writes a due message, chosen by its flow. Follow-ups are the default; the
// emails that reviews and questions send (rewards, invitations to answer, answer notices)
// are composed by their own modules, and added here by flow id.
import { composeFollowup } from "~/modules/followups";
import type { Composer, Composition, DueMessage } from "~/modules/messaging/dispatch";
import { composeQuestionAnswered, composeQuestionInvite, QUESTION_ANSWERED, QUESTION_INVITE } from "~/modules/questions";
import { REVIEW_REWARD_FLOW } from "~/modules/reviews/flows";
import { composeReviewReward } from "~/modules/reviews/reward-email";

const COMPOSERS: Record<string, Composer> = {
  [QUESTION_INVITE]: composeQuestionInvite,
  [QUESTION_ANSWERED]: composeQuestionAnswered,
  [REVIEW_REWARD_FLOW]: composeReviewReward,
};

export function composeDueMessage(message: DueMessage, now: Date): Promise<Composition> {
  return (COMPOSERS[message.flow] ?? composeFollowup)(message, now);
}
