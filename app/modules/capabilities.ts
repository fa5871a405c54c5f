// THE list of capabilities. A capability is one folder and one line here: intake runs its
// reactions, privacy erases and gathers its data, dispatch composes its emails and the worker
// runs its jobs, all from this list, in this order. The production entries and the tests pass
// it on; nothing is wired by being imported.
import type { Capability } from "./capability";
import { FOLLOWUPS } from "./followups/capability";
import { INBOX } from "./inbox/capability";
import { LOYALTY } from "./loyalty/capability";
import { PROMISES } from "./promises/capability";
import { QUESTIONS } from "./questions/capability";
import { REFERRALS } from "./referrals/capability";
import { REVIEWS } from "./reviews/capability";

export const CAPABILITIES: readonly Capability[] = [FOLLOWUPS, REVIEWS, QUESTIONS, LOYALTY, REFERRALS, PROMISES, INBOX];

/** Every kind of email the app sends, as the admin names them: the follow-up flows, then the others. */
export function emailFlows(): { id: string; name: string }[] {
  return CAPABILITIES.flatMap((capability) => capability.flows);
}

export const isEmailFlow = (id: string) => emailFlows().some((flow) => flow.id === id);

/** The flow's name; an id no capability names any more is shown as it is. */
export const emailFlowName = (id: string) => emailFlows().find((flow) => flow.id === id)?.name ?? id;
