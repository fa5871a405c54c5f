// Questions as the capability list knows them: the invitation to answer and the answer notice,
// and the questions and answers shoppers wrote.
import type { Capability } from "~/modules/capability";
import { composeQuestionAnswered, composeQuestionInvite } from "./emails";
import { QUESTION_ANSWERED, QUESTION_EMAIL_FLOWS, QUESTION_INVITE } from "./flows";
import { QUESTION_DATA } from "./index";

export const QUESTIONS: Capability = {
  name: "questions",
  reactions: [],
  composers: { [QUESTION_INVITE]: composeQuestionInvite, [QUESTION_ANSWERED]: composeQuestionAnswered },
  flows: QUESTION_EMAIL_FLOWS,
  privacy: [QUESTION_DATA],
  rewards: {},
  jobs: [],
};
