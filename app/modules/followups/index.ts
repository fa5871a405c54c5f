// Post-purchase follow-ups: intake reactions schedule them, the worker composes and sends them.
import { inParts, type Tx } from "~/db.server";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import { customerRowsMatch, type CustomerDataOwner } from "~/modules/privacy";
import { normalizeEmail } from "~/modules/messaging/consent";

export { composeFollowup } from "./compose";
export { learnDueIntervals } from "./replenishment";
export { FLOWS, FLOW_IDS, isFlowId, type FlowId } from "./flows";
export { flowsFormErrors, followupSettings, saveFlowsForm, type FlowsFormInput, type FollowupSettings } from "./settings";

function messageMatch(shop: string, request: PrivacyRequest) {
  const or: object[] = [];
  if (request.customerId) or.push({ customerId: request.customerId });
  if (request.email) or.push({ toAddress: normalizeEmail(request.email) });
  if (request.orderIds.length > 0) or.push({ orderId: { in: request.orderIds } });
  return { shop, OR: or };
}

/** Messages, answers, cases, unsubscribes and reminder choices hold customer data: erased and exported with the rest. */
export const FOLLOWUP_DATA: CustomerDataOwner = {
  name: "followups",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = messageMatch(shop, request);
    await tx.message.updateMany({ where: { ...match, status: "scheduled" }, data: { status: "cancelled", detail: "customer data erased" } });
    await tx.message.updateMany({ where: match, data: { toAddress: null, subject: null, html: null, text: null, customerId: null } });
    const feedback = await tx.feedback.findMany({ where: customerRowsMatch(shop, request), select: { id: true } });
    for (const ids of inParts(feedback.map((f) => f.id))) await tx.customerCase.deleteMany({ where: { shop, feedbackId: { in: ids } } });
    await tx.feedback.deleteMany({ where: customerRowsMatch(shop, request) });
    if (request.email) await tx.unsubscribe.deleteMany({ where: { shop, email: normalizeEmail(request.email) } });
    if (request.customerId) await tx.reorderChoice.deleteMany({ where: { shop, customerId: request.customerId } });
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    const [messages, feedback, unsubscribed, reminderChoices] = await Promise.all([
      tx.message.findMany({
        where: { ...messageMatch(shop, request), status: { in: ["sent", "outbox"] } },
        select: { flow: true, toAddress: true, subject: true, sentAt: true },
      }),
      tx.feedback.findMany({ where: customerRowsMatch(shop, request), select: { kind: true, answer: true, score: true, comment: true, createdAt: true } }),
      request.email ? tx.unsubscribe.findMany({ where: { shop, email: normalizeEmail(request.email) }, select: { email: true, at: true } }) : [],
      request.customerId
        ? tx.reorderChoice.findMany({ where: { shop, customerId: request.customerId }, select: { productId: true, days: true, at: true } })
        : [],
    ]);
    return { messages, feedback, unsubscribed, reminderChoices };
  },
};
