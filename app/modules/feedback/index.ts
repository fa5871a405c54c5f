// Customers' answers to follow-ups: the delivery check-in and the NPS survey. A reported
// delivery problem or a detractor's score opens a conversation in the inbox. Answering again replaces the answer.
import { randomUUID } from "node:crypto";
import db, { type Tx } from "~/db.server";
import type { NpsDetails } from "./survey";

export type AnsweredMessage = { shop: string; id: string; orderId: string | null; customerId: string | null };

/** The message a signed link points at, with what the page needs to greet the customer. */
export async function findAnsweredMessage(shop: string, messageId: string) {
  const message = await db.message.findFirst({
    where: { shop, id: messageId },
    select: { id: true, shop: true, orderId: true, customerId: true, flow: true, toAddress: true },
  });
  if (!message) return null;
  const [shopRow, order] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { name: true } }),
    message.orderId ? db.order.findUnique({ where: { shop_id: { shop, id: message.orderId } }, select: { name: true } }) : null,
  ]);
  return { ...message, shopName: shopRow?.name ?? shop, orderName: order?.name ?? null };
}

/** A conversation in the inbox, opened by the customer's answer to a follow-up. */
function openConversation(tx: Tx, message: AnsweredMessage, feedbackId: string, kind: "delivery_problem" | "detractor", summary: string, now: Date) {
  return tx.customerCase.create({
    data: {
      id: randomUUID(),
      shop: message.shop,
      kind,
      orderId: message.orderId,
      customerId: message.customerId,
      feedbackId,
      summary,
      createdAt: now,
      lastMessageAt: now,
    },
  });
}

export async function recordCheckin(message: AnsweredMessage, answer: "ok" | "problem", comment: string | null, now: Date) {
  return db.$transaction(async (tx) => {
    const key = { shop_messageId_kind: { shop: message.shop, messageId: message.id, kind: "checkin" } };
    const feedback = await tx.feedback.upsert({
      where: key,
      create: {
        id: randomUUID(),
        shop: message.shop,
        messageId: message.id,
        kind: "checkin",
        orderId: message.orderId,
        customerId: message.customerId,
        answer,
        comment,
        createdAt: now,
      },
      update: { answer, ...(comment !== null ? { comment } : {}) },
    });
    const existing = await tx.customerCase.findUnique({ where: { shop_feedbackId: { shop: message.shop, feedbackId: feedback.id } } });
    if (answer === "problem") {
      const summary = feedback.comment ? `Delivery problem: ${feedback.comment}` : "Delivery problem reported (no details yet)";
      if (existing) await tx.customerCase.update({ where: { id: existing.id }, data: { summary, status: "open", resolvedAt: null, lastMessageAt: now } });
      else await openConversation(tx, message, feedback.id, "delivery_problem", summary, now);
    } else if (existing && existing.status === "open") {
      // "All good" after "problem" (a change of mind, or a mail scanner's click): close it.
      await tx.customerCase.update({ where: { id: existing.id }, data: { status: "resolved", resolvedAt: now } });
    }
    return feedback;
  });
}

/** An NPS score is a whole number from 0 to 10; anything else is no answer. */
export function parseNpsScore(value: string | null): number | null {
  if (value === null || !/^\d{1,2}$/.test(value)) return null;
  const score = Number(value);
  return score <= 10 ? score : null;
}

/** Scores from 0 to 6: a detractor, whom a person at the store should talk to. */
export const DETRACTOR_MAX = 6;

/**
 * Records the score (and comment); a detractor's opens a conversation in the inbox, or brings
 * its summary up to date. A changed mind (7 or more) closes one the store never answered.
 */
export async function recordNps(message: AnsweredMessage, score: number | null, comment: string | null, now: Date) {
  return db.$transaction(async (tx) => {
    const feedback = await upsertNps(tx, message, score, comment, now);
    const existing = await tx.customerCase.findUnique({ where: { shop_feedbackId: { shop: message.shop, feedbackId: feedback.id } } });
    if (feedback.score !== null && feedback.score <= DETRACTOR_MAX) {
      const summary = `Scored ${feedback.score} of 10${feedback.comment ? `: “${feedback.comment}”` : ""}`;
      if (existing) await tx.customerCase.update({ where: { id: existing.id }, data: { summary } });
      else await openConversation(tx, message, feedback.id, "detractor", summary, now);
    } else if (existing && existing.status === "open" && !existing.firstResponseAt) {
      await tx.customerCase.update({ where: { id: existing.id }, data: { status: "resolved", resolvedAt: now } });
    }
    return feedback;
  });
}

function upsertNps(tx: Tx, message: AnsweredMessage, score: number | null, comment: string | null, now: Date) {
  const key = { shop_messageId_kind: { shop: message.shop, messageId: message.id, kind: "nps" } };
  return tx.feedback.upsert({
    where: key,
    create: {
      id: randomUUID(),
      shop: message.shop,
      messageId: message.id,
      kind: "nps",
      orderId: message.orderId,
      customerId: message.customerId,
      score,
      comment,
      createdAt: now,
    },
    update: { ...(score !== null ? { score } : {}), ...(comment !== null ? { comment } : {}) },
  });
}

/** The deeper survey's answers, on the score they follow; false when no score was recorded for the message. */
export async function recordNpsDetails(message: AnsweredMessage, details: NpsDetails): Promise<boolean> {
  const saved = await db.feedback.updateMany({
    where: { shop: message.shop, messageId: message.id, kind: "nps", score: { not: null } },
    data: { details: JSON.stringify(details) },
  });
  return saved.count === 1;
}

export async function findFeedback(shop: string, messageId: string, kind: "checkin" | "nps") {
  return db.feedback.findUnique({ where: { shop_messageId_kind: { shop, messageId, kind } } });
}
