// What a signed-in customer reads on the store's privacy page: what this app holds about them
// and why, the kinds of email they get (each can be turned off, but for the ones that answer
// something they asked for), and their request to be forgotten, which reaches the merchant's
// inbox; once the merchant approves it, the same erasure as customers/redact runs.
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { redactCustomer, type PrivacyCapability } from "./index";

/** Emails that answer something the customer did (a reply to their message, a gift for it, a reward they redeemed): always sent. */
export const ALWAYS_SENT = new Set(["case_reply", "conversation_gift", "loyalty_reward"]);

export type HeldItem = { what: string; count: number; why: string; detail?: string };

/** What the app holds about one customer of one shop, in plain words. */
export async function customerDataView(shop: string, customerId: string) {
  const [customer, orders, emails, reviews, account, conversations, referrals, choices, pending] = await Promise.all([
    db.customer.findFirst({ where: { shop, id: customerId }, select: { firstName: true, email: true, emailMarketingState: true } }),
    db.order.findMany({ where: { shop, customerId }, orderBy: { processedAt: "desc" }, select: { name: true } }),
    db.message.findMany({ where: { shop, customerId, sentAt: { not: null } }, select: { flow: true } }),
    db.review.count({ where: { shop, customerId } }),
    db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { balance: true, pending: true, birthMonth: true } }),
    db.customerCase.count({ where: { shop, customerId, kind: { not: "deletion_request" } } }),
    db.referral.count({ where: { shop, advocateId: customerId } }),
    db.emailChoice.findMany({ where: { shop, customerId }, select: { flow: true } }),
    db.customerCase.findFirst({ where: { shop, customerId, kind: "deletion_request", status: { not: "resolved" } }, select: { createdAt: true } }),
  ]);
  const questions = customer?.email ? await db.question.count({ where: { shop, askerEmail: customer.email } }) : 0;
  const held: HeldItem[] = [
    {
      what: "Your orders",
      count: orders.length,
      why: "A copy of what you bought and when (no payment details), to time the emails after an order and count your points.",
      detail: orders
        .slice(0, 5)
        .map((o) => o.name)
        .join(", "),
    },
    { what: "Emails we sent you", count: emails.length, why: "Which email went when, so that none goes twice and you can unsubscribe from any of them." },
    { what: "Your reviews", count: reviews, why: "What you wrote, shown on the product pages under the name you chose." },
    { what: "Your questions", count: questions, why: "Questions you asked on a product page, and your email to tell you of the answer." },
    {
      what: "Your points",
      count: account ? account.balance + account.pending : 0,
      why: "Your rewards balance and how you earned and spent it" + (account?.birthMonth ? ", and the birthday you gave for the birthday bonus." : "."),
    },
    { what: "Your conversations with the store", count: conversations, why: "What you wrote to the store and its answers, so that a person can follow up." },
    { what: "Friends you referred", count: referrals, why: "Which orders came through your referral link, to reward you for them." },
  ];
  return {
    known: Boolean(customer),
    firstName: customer?.firstName ?? null,
    email: customer?.email ?? null,
    held,
    turnedOff: choices.map((c) => c.flow),
    deletionRequestedAt: pending?.createdAt ?? null,
  };
}

/** The kinds of email turned off from now on: exactly `off` (less those always sent). */
export async function saveEmailChoices(shop: string, customerId: string, off: string[], now: Date): Promise<string[]> {
  const kept = [...new Set(off)].filter((flow) => !ALWAYS_SENT.has(flow));
  await db.$transaction(async (tx) => {
    await tx.emailChoice.deleteMany({ where: { shop, customerId, flow: { notIn: kept } } });
    for (const flow of kept) {
      await tx.emailChoice.upsert({ where: { shop_customerId_flow: { shop, customerId, flow } }, create: { shop, customerId, flow, at: now }, update: {} });
    }
  });
  return kept;
}

/** The customer's request to be forgotten, in the merchant's inbox (once while it is waiting). */
export async function requestDeletion(shop: string, customerId: string, now: Date): Promise<"requested" | "already_requested"> {
  return db.$transaction(async (tx) => {
    const waiting = await tx.customerCase.findFirst({ where: { shop, customerId, kind: "deletion_request", status: { not: "resolved" } } });
    if (waiting) return "already_requested";
    await tx.customerCase.create({
      data: {
        id: randomUUID(),
        shop,
        kind: "deletion_request",
        customerId,
        summary: "Asked, on the store's privacy page, for their data to be deleted",
        createdAt: now,
        lastMessageAt: now,
      },
    });
    return "requested";
  });
}

/**
 * The merchant's approval of a deletion request: the same erasure as customers/redact (every
 * capability's data, the customer's orders kept as anonymous rows), and the request resolved
 * without naming them. False when it is not this shop's waiting request.
 */
export async function eraseOnRequest(shop: string, caseId: string, capabilities: readonly PrivacyCapability[], now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const request = await tx.customerCase.findFirst({ where: { shop, id: caseId, kind: "deletion_request", status: { not: "resolved" } } });
    if (!request?.customerId) return false;
    const customer = await tx.customer.findFirst({ where: { shop, id: request.customerId }, select: { email: true, phone: true } });
    const orderIds = (await tx.order.findMany({ where: { shop, customerId: request.customerId }, select: { id: true } })).map((o) => o.id);
    await redactCustomer(
      tx,
      shop,
      { customerId: request.customerId, email: customer?.email ?? null, phone: customer?.phone ?? null, orderIds, requestId: null },
      capabilities,
    );
    await tx.customerCase.update({
      where: { id: caseId },
      data: { customerId: null, status: "resolved", resolvedAt: now, summary: "Deleted on the customer's request, approved by the store" },
    });
    return true;
  });
}
