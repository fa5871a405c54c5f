// Product questions and answers: shoppers ask through the storefront widget; the merchant, or
// (if the merchant allows) verified buyers invited by email, answer. Questions and buyers'
// answers always wait for the merchant. Text is kept exactly as written and escaped wherever
// it is shown; the storefront gets it inside JSON strings.
import { randomUUID } from "node:crypto";
import db, { type Tx } from "~/db.server";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import { isEmailAddress, normalizeEmail } from "~/modules/messaging/consent";
import type { CustomerDataOwner } from "~/modules/privacy";
import { knownProductTitle } from "~/modules/storefront/products";
import { QUESTION_LIMITS } from "./limits";
import { refreshAnswered } from "./moderation";

export { composeQuestionAnswered, composeQuestionInvite } from "./emails";
export { QUESTION_ANSWERED, QUESTION_INVITE } from "./flows";
export { findAnswerInvitation, submitBuyerAnswer } from "./invitations";

export const STOREFRONT_QUESTIONS_PAGE_SIZE = 5;

export type QuestionDraft = {
  productId: string;
  /** What the widget posted as the product page's path; kept only when it is one. */
  productUrl: string | null;
  name: string;
  email: string;
  question: string;
  customerId: string | null;
};
export type QuestionErrors = Partial<Record<"name" | "email" | "question" | "product", string>>;

/** What is wrong with a shopper's question, field by field, in words they can act on; {} when fine. */
export function questionDraftErrors(draft: QuestionDraft): QuestionErrors {
  const errors: QuestionErrors = {};
  const name = draft.name.trim();
  if (!name) errors.name = "Add the name to show with your question.";
  else if (name.length > QUESTION_LIMITS.name) errors.name = `Keep the name under ${QUESTION_LIMITS.name} characters.`;
  const email = draft.email.trim();
  if (!email) errors.email = "Add your email so we can tell you when it's answered.";
  else if (email.length > QUESTION_LIMITS.email || !isEmailAddress(email)) errors.email = "Check your email address: it should look like name@example.com.";
  const question = draft.question.trim();
  if (question.length < 3) errors.question = "Write your question.";
  else if (question.length > QUESTION_LIMITS.question) errors.question = `Keep the question under ${QUESTION_LIMITS.question.toLocaleString("en")} characters.`;
  return errors;
}

/**
 * The path of a product page on the shop's own storefront ("/products/mug"), else null: the
 * answer notice links to https://<shop><path>, so nothing else may ever get into that link.
 */
export function productPagePath(value: string | null | undefined): string | null {
  const path = (value ?? "").trim();
  if (path.length > QUESTION_LIMITS.productUrl || !/^\/products\/[A-Za-z0-9\-._~%]+\/?$/.test(path)) return null;
  return path;
}

/**
 * Saves a shopper's question, waiting for the merchant. The product's title is the store's (it
 * goes into emails to other buyers), never what the form says.
 */
export async function askQuestion(shop: string, draft: QuestionDraft, now: Date): Promise<{ kind: "saved" } | { kind: "invalid"; errors: QuestionErrors }> {
  const errors = questionDraftErrors(draft);
  if (Object.keys(errors).length > 0) return { kind: "invalid", errors };
  const productTitle = await knownProductTitle(shop, draft.productId);
  if (productTitle === null) return { kind: "invalid", errors: { product: "This product can't be found in the store any more. Please reload the page." } };
  await db.question.create({
    data: {
      id: randomUUID(),
      shop,
      productId: draft.productId,
      productTitle: productTitle.slice(0, QUESTION_LIMITS.productTitle),
      productUrl: productPagePath(draft.productUrl),
      askerName: draft.name.trim(),
      askerEmail: normalizeEmail(draft.email),
      customerId: draft.customerId,
      body: draft.question.trim(),
      status: "pending",
      createdAt: now,
    },
  });
  return { kind: "saved" };
}

/** A page of a product's published questions with their published answers: answered first, then newest. */
export async function productQuestionsPage(shop: string, productId: string, page: number) {
  const where = { shop, productId, status: "published" };
  const [rows, count] = await Promise.all([
    db.question.findMany({
      where,
      orderBy: [{ answered: "desc" }, { createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * STOREFRONT_QUESTIONS_PAGE_SIZE,
      take: STOREFRONT_QUESTIONS_PAGE_SIZE,
      select: {
        id: true,
        body: true,
        askerName: true,
        createdAt: true,
        // The store's answer first, then buyers' in the order they wrote.
        answers: {
          where: { status: "published" },
          orderBy: [{ kind: "desc" }, { createdAt: "asc" }],
          select: { body: true, authorName: true, kind: true, createdAt: true },
        },
      },
    }),
    db.question.count({ where }),
  ]);
  const day = (at: Date) => at.toISOString().slice(0, 10);
  return {
    productId,
    page,
    pages: Math.max(1, Math.ceil(count / STOREFRONT_QUESTIONS_PAGE_SIZE)),
    count,
    questions: rows.map((q) => ({
      id: q.id,
      body: q.body,
      author: q.askerName,
      date: day(q.createdAt),
      answers: q.answers.map((a) => ({ body: a.body, author: a.authorName, kind: a.kind as "store" | "buyer", date: day(a.createdAt) })),
    })),
  };
}

/** Who asked (by customer id, else by email) or answered as a buyer. */
function askedBy(shop: string, request: PrivacyRequest) {
  const or: ({ customerId: string } | { askerEmail: string })[] = [];
  if (request.customerId) or.push({ customerId: request.customerId });
  if (request.email) or.push({ askerEmail: normalizeEmail(request.email) });
  return { shop, OR: or };
}

/** Askers' questions and buyers' answers are theirs: erased with the customer, and exported. */
export const QUESTION_DATA: CustomerDataOwner = {
  name: "questions",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    const asked = askedBy(shop, request);
    if (asked.OR.length > 0) await tx.question.deleteMany({ where: asked }); // their answers and emails go with them
    if (!request.customerId) return;
    const answered = await tx.questionAnswer.findMany({ where: { shop, customerId: request.customerId }, select: { questionId: true } });
    await tx.questionAnswer.deleteMany({ where: { shop, customerId: request.customerId } });
    await tx.questionEmail.deleteMany({ where: { shop, customerId: request.customerId } });
    for (const questionId of new Set(answered.map((a) => a.questionId))) await refreshAnswered(tx, shop, questionId);
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    const asked = askedBy(shop, request);
    const [questions, answers] = await Promise.all([
      asked.OR.length === 0
        ? []
        : tx.question.findMany({ where: asked, select: { productTitle: true, askerName: true, askerEmail: true, body: true, status: true, createdAt: true } }),
      request.customerId
        ? tx.questionAnswer.findMany({
            where: { shop, customerId: request.customerId },
            select: { body: true, authorName: true, status: true, createdAt: true, question: { select: { productTitle: true, body: true } } },
          })
        : [],
    ]);
    return { questions, answers };
  },
};
