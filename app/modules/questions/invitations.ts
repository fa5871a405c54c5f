// The answer page behind an invitation's signed link: the question, and the invited buyer's
// answer, shown as their first name and initial with a verified buyer badge once the merchant
// has read it. One answer per buyer per question.
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { defaultDisplayName } from "~/modules/reviews";
import { QUESTION_INVITE } from "./flows";
import { QUESTION_LIMITS } from "./limits";

/** What an invitation's link opens: the question, the buyer, and their answer if they wrote one. */
export async function findAnswerInvitation(shop: string, messageId: string) {
  const email = await db.questionEmail.findFirst({
    where: { shop, messageId, customerId: { not: null } },
    include: { question: { select: { id: true, productTitle: true, body: true, askerName: true, status: true } } },
  });
  const message = email ? await db.message.findFirst({ where: { shop, id: messageId, flow: QUESTION_INVITE }, select: { id: true } }) : null;
  if (!email?.customerId || !message) return null;
  const customerId = email.customerId;
  const [shopRow, customer, existing] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { name: true } }),
    db.customer.findUnique({ where: { shop_id: { shop, id: customerId } }, select: { firstName: true, lastName: true } }),
    db.questionAnswer.findUnique({ where: { shop_questionId_customerId: { shop, questionId: email.question.id, customerId } }, select: { status: true } }),
  ]);
  return {
    shop,
    storeName: shopRow?.name ?? shop,
    customerId,
    question: email.question,
    open: email.question.status === "published",
    displayName: defaultDisplayName(customer?.firstName ?? null, customer?.lastName ?? null),
    existing,
  };
}
export type AnswerInvitation = NonNullable<Awaited<ReturnType<typeof findAnswerInvitation>>>;

export type BuyerAnswerResult = { kind: "saved" } | { kind: "invalid"; error: string } | { kind: "already" } | { kind: "closed" };

/** Saves an invited buyer's answer, waiting for the merchant. */
export async function submitBuyerAnswer(invitation: AnswerInvitation, text: string, now: Date): Promise<BuyerAnswerResult> {
  if (!invitation.open) return { kind: "closed" };
  const body = text.trim();
  if (!body) return { kind: "invalid", error: "Write your answer: a sentence or two is plenty." };
  if (body.length > QUESTION_LIMITS.answer)
    return { kind: "invalid", error: `Keep the answer under ${QUESTION_LIMITS.answer.toLocaleString("en")} characters.` };
  const { shop, customerId } = invitation;
  const questionId = invitation.question.id;
  return db.$transaction(async (tx) => {
    const existing = await tx.questionAnswer.findUnique({ where: { shop_questionId_customerId: { shop, questionId, customerId } }, select: { id: true } });
    if (existing) return { kind: "already" } as const;
    await tx.questionAnswer.create({
      data: { id: randomUUID(), shop, questionId, body, authorName: invitation.displayName, kind: "buyer", customerId, status: "pending", createdAt: now },
    });
    return { kind: "saved" } as const;
  });
}
