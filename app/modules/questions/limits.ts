// Sizes and choices of questions and answers, shared by the server and the admin's and
// shoppers' forms (no database here, so client code may import it).
export const QUESTION_LIMITS = { name: 60, email: 254, question: 1000, answer: 2000, productTitle: 255, productUrl: 300 } as const;

export const QUESTION_STATUSES = ["pending", "published", "hidden"] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

/** The admin list's views: no published answer yet, waiting for the merchant, live, hidden. */
export const QUESTION_VIEWS = ["unanswered", "waiting", "published", "hidden"] as const;
export type QuestionView = (typeof QUESTION_VIEWS)[number];
