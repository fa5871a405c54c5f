// What the admin calls each kind of email the app sends: the follow-up flows, then the emails
// other capabilities write themselves. No server imports: admin pages read these.
import { FLOW_IDS, FLOWS } from "~/modules/followups/flows";
import { QUESTION_EMAIL_FLOWS } from "~/modules/questions/flows";
import { REVIEW_EMAIL_FLOWS } from "~/modules/reviews/flows";

export const EMAIL_FLOWS: readonly { id: string; name: string }[] = [...FLOW_IDS.map((id) => ({ id, name: FLOWS[id].name })), ...REVIEW_EMAIL_FLOWS, ...QUESTION_EMAIL_FLOWS];

export const isEmailFlow = (id: string) => EMAIL_FLOWS.some((flow) => flow.id === id);

/** The flow's name; an id no capability names any more is shown as it is. */
export const emailFlowName = (id: string) => EMAIL_FLOWS.find((flow) => flow.id === id)?.name ?? id;
