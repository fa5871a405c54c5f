// What the inbox's pages show in the browser too: the states and kinds of a conversation, and
// how long a message may be. No server imports.
export const CASE_STATUSES = ["open", "replied", "resolved"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_KINDS: Record<string, string> = {
  delivery_problem: "Delivery problem",
  low_rating: "Low rating",
  detractor: "Detractor",
  deletion_request: "Deletion request",
  message: "Message",
};

export const MAX_MESSAGE = 5000;
