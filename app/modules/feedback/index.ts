// Customers' answers to follow-ups: the delivery check-in and the NPS survey. A reported
// delivery problem opens a case the merchant sees. Answering again replaces the answer.
import { randomUUID } from "node:crypto";
import db from "~/db.server";

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
      if (existing) await tx.customerCase.update({ where: { id: existing.id }, data: { summary, status: "open", resolvedAt: null } });
      else {
        await tx.customerCase.create({
          data: {
            id: randomUUID(),
            shop: message.shop,
            kind: "delivery_problem",
            orderId: message.orderId,
            customerId: message.customerId,
            feedbackId: feedback.id,
            summary,
            createdAt: now,
          },
        });
      }
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

export async function recordNps(message: AnsweredMessage, score: number | null, comment: string | null, now: Date) {
  const key = { shop_messageId_kind: { shop: message.shop, messageId: message.id, kind: "nps" } };
  return db.feedback.upsert({
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

export async function findFeedback(shop: string, messageId: string, kind: "checkin" | "nps") {
  return db.feedback.findUnique({ where: { shop_messageId_kind: { shop, messageId, kind } } });
}

/** The cases still waiting for the merchant's personal reply, newest first. */
export async function listOpenCases(shop: string) {
  return db.customerCase.findMany({ where: { shop, status: "open" }, orderBy: { createdAt: "desc" }, take: 100 });
}

/** The merchant has answered the customer: the case leaves the list. False if it is not this shop's open case. */
export async function resolveCase(shop: string, id: string, now: Date): Promise<boolean> {
  const resolved = await db.customerCase.updateMany({ where: { shop, id, status: "open" }, data: { status: "resolved", resolvedAt: now } });
  return resolved.count === 1;
}
