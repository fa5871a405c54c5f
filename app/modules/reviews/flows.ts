// The emails the reviews module writes itself (not follow-ups a merchant edits): their flow ids
// and what the admin calls them. No server imports: admin pages read these.
export const REVIEW_REWARD_FLOW = "review_reward";

export const REVIEW_EMAIL_FLOWS = [{ id: REVIEW_REWARD_FLOW, name: "Review reward" }] as const;
