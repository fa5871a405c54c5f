// The merchant's side of questions: the list with its views, publishing and hiding questions
// (one or many), the store's own answer, and publishing or hiding buyers' answers. What a
// change sets off is scheduled in the same transaction: a question going live invites buyers
// to answer (when the shop allows it), an answer going live tells the asker.
import { randomUUID } from "node:crypto";
import db, { inParts, type Tx } from "~/db.server";
import { productChoices } from "~/modules/reviews";
import { scheduleAnswerNotices, scheduleInvitations } from "./emails";
import { QUESTION_LIMITS, QUESTION_VIEWS, type QuestionView } from "./limits";

export const QUESTIONS_PAGE_SIZE = 25;

export type QuestionFilters = { view: QuestionView | null; productId: string | null; page: number };

/** Filters from a query string; anything unknown is no filter. */
export function parseQuestionFilters(query: URLSearchParams): QuestionFilters {
  const view = query.get("show");
  return {
    view: (QUESTION_VIEWS as readonly string[]).includes(view ?? "") ? (view as QuestionView) : null,
    productId: /^\d+$/.test(query.get("product") ?? "") ? query.get("product") : null,
    page: Math.max(1, Number(query.get("page")) || 1),
  };
}

/** Questions the merchant has to look at: new ones, and those with a buyer's answer to read. */
const waitingWhere = (shop: string) => ({ shop, OR: [{ status: "pending" }, { answers: { some: { status: "pending" } } }] });

function viewWhere(shop: string, view: QuestionView | null) {
  switch (view) {
    case "unanswered":
      return { shop, status: { not: "hidden" }, answered: false };
    case "waiting":
      return waitingWhere(shop);
    case "published":
    case "hidden":
      return { shop, status: view };
    default:
      return { shop };
  }
}

export async function listQuestions(shop: string, filters: QuestionFilters) {
  const where = { ...viewWhere(shop, filters.view), ...(filters.productId ? { productId: filters.productId } : {}) };
  const [rows, total, waiting, products] = await Promise.all([
    db.question.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (filters.page - 1) * QUESTIONS_PAGE_SIZE,
      take: QUESTIONS_PAGE_SIZE,
      select: {
        id: true,
        productTitle: true,
        askerName: true,
        body: true,
        status: true,
        answered: true,
        createdAt: true,
        answers: { where: { status: "pending" }, select: { id: true } },
      },
    }),
    db.question.count({ where }),
    db.question.count({ where: waitingWhere(shop) }),
    db.question.groupBy({ by: ["productId"], where: { shop }, _max: { productTitle: true }, orderBy: { productId: "asc" } }),
  ]);
  return {
    rows: rows.map(({ answers, ...row }) => ({ ...row, answersWaiting: answers.length })),
    total,
    waiting,
    page: filters.page,
    products: productChoices(products),
  };
}

export function findQuestion(shop: string, id: string) {
  return db.question.findFirst({
    where: { shop, id },
    include: { answers: { orderBy: [{ kind: "desc" }, { createdAt: "asc" }] } },
  });
}

/** Keeps `answered` (has a published answer) in step, for the storefront's order and the admin's view. */
export async function refreshAnswered(tx: Tx, shop: string, questionId: string): Promise<void> {
  const published = await tx.questionAnswer.count({ where: { shop, questionId, status: "published" } });
  await tx.question.updateMany({ where: { shop, id: questionId }, data: { answered: published > 0 } });
}

/** Puts these questions live: sets the status and schedules what publishing sets off. */
async function publishQuestions(tx: Tx, shop: string, ids: string[], now: Date): Promise<void> {
  for (const part of inParts(ids)) await tx.question.updateMany({ where: { shop, id: { in: part } }, data: { status: "published", publishedAt: now } });
  for (const id of ids) {
    await scheduleInvitations(tx, shop, id, now);
    await scheduleAnswerNotices(tx, shop, id, now);
  }
}

/** Publishes or hides these questions of the shop; returns how many changed. */
export async function setQuestionStatus(shop: string, ids: string[], status: "published" | "hidden", now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const changing: string[] = [];
    for (const part of inParts(ids))
      changing.push(...(await tx.question.findMany({ where: { shop, id: { in: part }, status: { not: status } }, select: { id: true } })).map((q) => q.id));
    if (changing.length === 0) return 0;
    if (status === "published") await publishQuestions(tx, shop, changing, now);
    else for (const part of inParts(changing)) await tx.question.updateMany({ where: { shop, id: { in: part } }, data: { status } });
    return changing.length;
  });
}

export type StoreAnswerResult = { kind: "saved" } | { kind: "invalid"; error: string } | { kind: "missing" };

/** Writes (or rewrites) the store's answer: live at once, and it puts the question live too. */
export async function answerAsStore(shop: string, questionId: string, text: string, now: Date): Promise<StoreAnswerResult> {
  const body = text.trim();
  if (!body) return { kind: "invalid", error: "Write the answer shoppers will see." };
  if (body.length > QUESTION_LIMITS.answer)
    return { kind: "invalid", error: `Keep the answer under ${QUESTION_LIMITS.answer.toLocaleString("en")} characters.` };
  return db.$transaction(async (tx) => {
    const question = await tx.question.findFirst({ where: { shop, id: questionId }, select: { status: true } });
    if (!question) return { kind: "missing" } as const;
    const storeName = (await tx.shop.findUnique({ where: { shop }, select: { name: true } }))?.name ?? shop;
    const existing = await tx.questionAnswer.findFirst({ where: { shop, questionId, kind: "store" }, select: { id: true } });
    if (existing) {
      await tx.questionAnswer.update({ where: { id: existing.id }, data: { body, status: "published", publishedAt: now } });
    } else {
      await tx.questionAnswer.create({
        data: { id: randomUUID(), shop, questionId, body, authorName: storeName, kind: "store", status: "published", createdAt: now, publishedAt: now },
      });
    }
    await refreshAnswered(tx, shop, questionId);
    if (question.status !== "published") await publishQuestions(tx, shop, [questionId], now);
    else await scheduleAnswerNotices(tx, shop, questionId, now);
    return { kind: "saved" } as const;
  });
}

/** Publishes or hides one answer to one of the shop's questions; false if that question has no such answer. */
export async function setAnswerStatus(shop: string, questionId: string, answerId: string, status: "published" | "hidden", now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const changed = await tx.questionAnswer.updateMany({
      where: { shop, questionId, id: answerId },
      data: { status, ...(status === "published" ? { publishedAt: now } : {}) },
    });
    if (changed.count === 0) return false;
    await refreshAnswered(tx, shop, questionId);
    if (status === "published") await scheduleAnswerNotices(tx, shop, questionId, now);
    return true;
  });
}
