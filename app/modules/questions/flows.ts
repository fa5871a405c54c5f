// The emails questions send: their flow ids and what the admin calls them. No server imports:
// admin pages read these.
export const QUESTION_INVITE = "question_invite";
export const QUESTION_ANSWERED = "question_answered";

export const QUESTION_EMAIL_FLOWS = [
  { id: QUESTION_INVITE, name: "Invitation to answer a question" },
  { id: QUESTION_ANSWERED, name: "Your question was answered" },
] as const;
