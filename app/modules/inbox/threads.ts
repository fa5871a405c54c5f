// The inbox: every conversation a person at the store should have, opened by a delivery problem
// from the check-in, a low rating, a detractor's score, and kept as a thread. The store replies
// from the admin (the reply goes by email, Reply-To the store, with a signed link to the
// conversation page); the customer's answer there lands in the same thread and reopens it.
//
//   open (the store owes an answer) -> replied (waiting for the customer) -> open again on their answer
//   any -> resolved (by the store) -> open again on a new answer from the customer
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { scheduleNotice } from "~/modules/messaging/notice";
import { MAX_MESSAGE, type CaseStatus } from "./limits";

export const CASE_REPLY_FLOW = "case_reply";
export const caseReplyKey = (caseMessageId: string) => `${CASE_REPLY_FLOW}:${caseMessageId}`;

const PAGE = 50;

/** A message as typed: trimmed, at most MAX_MESSAGE characters; null when there is nothing to send or it is too long. */
export function readMessageBody(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const body = value.replace(/\r\n/g, "\n").trim();
  return body.length > 0 && body.length <= MAX_MESSAGE ? body : null;
}

/** The conversations of one state (all with null), the latest activity first, and the inbox's figures. */
export async function listConversations(shop: string, status: CaseStatus | null, now: Date) {
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
  const [cases, counts, answered] = await Promise.all([
    db.customerCase.findMany({
      where: { shop, ...(status ? { status } : {}) },
      orderBy: [{ lastMessageAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
      take: PAGE,
    }),
    db.customerCase.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    db.customerCase.findMany({ where: { shop, firstResponseAt: { gte: monthAgo } }, select: { createdAt: true, firstResponseAt: true } }),
  ]);
  const customers = await db.customer.findMany({
    where: { shop, id: { in: cases.flatMap((c) => (c.customerId ? [c.customerId] : [])) } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  const waits = answered.map((c) => c.firstResponseAt!.getTime() - c.createdAt.getTime()).sort((a, b) => a - b);
  const count = (s: CaseStatus) => counts.find((c) => c.status === s)?._count._all ?? 0;
  return {
    figures: {
      open: count("open"),
      replied: count("replied"),
      resolved: count("resolved"),
      medianFirstResponseMs: waits.length > 0 ? waits[Math.floor((waits.length - 1) / 2)]! : null,
      answeredThisMonth: waits.length,
    },
    conversations: cases.map((c) => ({ ...c, customer: customers.find((p) => p.id === c.customerId) ?? null })),
  };
}

/** Conversations waiting for the store's answer. */
export const countOpenConversations = (shop: string) => db.customerCase.count({ where: { shop, status: "open" } });

/** One conversation of this shop, with its messages oldest first; null for another shop's or none. */
export async function findConversation(shop: string, id: string) {
  const found = await db.customerCase.findFirst({ where: { shop, id } });
  if (!found) return null;
  const [messages, feedback, review] = await Promise.all([
    db.caseMessage.findMany({ where: { shop, caseId: id }, orderBy: { createdAt: "asc" } }),
    found.feedbackId
      ? db.feedback.findFirst({ where: { shop, id: found.feedbackId }, select: { kind: true, answer: true, score: true, comment: true, details: true } })
      : null,
    found.reviewId ? db.review.findFirst({ where: { shop, id: found.reviewId }, select: { rating: true, title: true, body: true, productTitle: true } }) : null,
  ]);
  return { ...found, messages, feedback, review };
}

/**
 * The store's reply: a message in the thread and the email that carries it (Reply-To the store,
 * with a link to answer). The first reply is when the customer's wait ended.
 */
export async function replyToConversation(
  shop: string,
  id: string,
  body: string,
  actor: string | null,
  now: Date,
): Promise<"sent" | "not_found" | "no_customer"> {
  return db.$transaction(async (tx) => {
    const found = await tx.customerCase.findFirst({ where: { shop, id } });
    if (!found) return "not_found";
    if (!found.customerId) return "no_customer";
    const messageId = randomUUID();
    const emailId = await scheduleNotice(tx, shop, {
      key: caseReplyKey(messageId),
      flow: CASE_REPLY_FLOW,
      customerId: found.customerId,
      orderId: found.orderId,
      marketing: false,
      dueAt: now,
    });
    await tx.caseMessage.create({
      data: { id: messageId, shop, caseId: id, customerId: found.customerId, author: "store", body, actor, messageId: emailId, createdAt: now },
    });
    await tx.customerCase.update({
      where: { id },
      data: { status: "replied", firstResponseAt: found.firstResponseAt ?? now, lastMessageAt: now, resolvedAt: null },
    });
    return "sent";
  });
}

/** Resolved by the store, or opened again; false when it is not this shop's conversation. */
export async function setConversationStatus(shop: string, id: string, status: "resolved" | "open", now: Date): Promise<boolean> {
  const changed = await db.customerCase.updateMany({ where: { shop, id }, data: { status, resolvedAt: status === "resolved" ? now : null } });
  return changed.count === 1;
}

/** The conversation a reply email's signed link opens, as the customer sees it (no staff names). */
export async function conversationOfEmail(shop: string, emailId: string) {
  const reply = await db.caseMessage.findFirst({ where: { shop, messageId: emailId, author: "store" }, select: { caseId: true } });
  if (!reply) return null;
  const [found, messages, shopRow] = await Promise.all([
    db.customerCase.findFirst({ where: { shop, id: reply.caseId }, select: { id: true, shop: true, customerId: true, orderId: true, status: true } }),
    // The store's notes (a gift given) stay in the admin.
    db.caseMessage.findMany({
      where: { shop, caseId: reply.caseId, author: { in: ["customer", "store"] } },
      orderBy: { createdAt: "asc" },
      select: { id: true, author: true, body: true, createdAt: true },
    }),
    db.shop.findUnique({ where: { shop }, select: { name: true, timezone: true } }),
  ]);
  if (!found) return null;
  const order = found.orderId ? await db.order.findFirst({ where: { shop, id: found.orderId }, select: { name: true } }) : null;
  return { ...found, messages, store: shopRow?.name ?? shop, zone: shopRow?.timezone ?? "UTC", order: order?.name ?? null };
}

/** A customer writing to the store first (from the store's privacy page): a new conversation, open for the store. */
export async function startConversation(shop: string, customerId: string, body: string, now: Date): Promise<string> {
  return db.$transaction(async (tx) => {
    const id = randomUUID();
    const summary = body.length > 140 ? `${body.slice(0, 139)}…` : body;
    await tx.customerCase.create({
      data: { id, shop, kind: "message", customerId, summary: `Wrote to the store: “${summary}”`, createdAt: now, lastMessageAt: now },
    });
    await tx.caseMessage.create({ data: { id: randomUUID(), shop, caseId: id, customerId, author: "customer", body, createdAt: now } });
    return id;
  });
}

/** The customer's answer from the conversation page: in the thread, and the conversation open for the store again. */
export async function answerConversation(shop: string, caseId: string, body: string, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const found = await tx.customerCase.findFirst({ where: { shop, id: caseId }, select: { customerId: true } });
    if (!found) return;
    await tx.caseMessage.create({ data: { id: randomUUID(), shop, caseId, customerId: found.customerId, author: "customer", body, createdAt: now } });
    await tx.customerCase.update({ where: { id: caseId }, data: { status: "open", lastMessageAt: now, resolvedAt: null } });
  });
}
