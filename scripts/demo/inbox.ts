// A detractor, answered: Tomás scores the shop 4 through the link in his NPS email; the merchant
// reads it in the inbox and replies; the reply reaches Tomás (the outbox here) with a link to
// the conversation page, where he answers; the merchant resolves it. Every step goes through
// the app's own routes, as the customer's browser and the admin would send it.
import db from "../../app/db.server";
import { CUSTOMERS, DEMO_SHOP } from "./store";

export const DETRACTOR = {
  score: 4,
  comment: "The grinder arrived a week late and one of the mugs was chipped.",
  reply: "I'm sorry, Tomás: that was not the welcome we wanted for you.\n\nA new mug left today, and the next bag of beans is on us.",
  answer: "Thank you, that's really kind. The new mug is perfect.",
};

type Merchant = (path: string, body: URLSearchParams) => Promise<void>;

/** The other answers to the survey: Maya a promoter who tells a little more, Priya a passive. */
const SURVEY_ANSWERS = [
  { who: "maya", score: 10, comment: "Always fresh, and the filters arrive with the beans.", more: { delivery: "good", service: "good", range: "good" } },
  { who: "priya", score: 8, comment: "", more: null },
] as const;

/** The NPS answers of the demo's customers, through the links in their survey emails; returns how many were recorded. */
export async function answerSurveys(appUrl: string): Promise<number> {
  let answered = 0;
  for (const answer of SURVEY_ANSWERS) {
    const customer = CUSTOMERS[answer.who];
    const survey = await db.message.findFirst({ where: { shop: DEMO_SHOP, flow: "nps", toAddress: customer.email } });
    const link = survey?.html ? new RegExp(`href="([^"]+/feedback/[^"?]+\\?score=${answer.score})"`).exec(survey.html)?.[1] : null;
    if (!link) continue;
    const scored = await fetch(`${appUrl}${pathOf(link)}`, { method: "POST", body: form({ score: String(answer.score), comment: answer.comment }) });
    await scored.body?.cancel();
    if (answer.more) {
      const more = await fetch(`${appUrl}${pathOf(link)}`, { method: "POST", body: form({ intent: "more", ...answer.more }) });
      await more.body?.cancel();
    }
    answered++;
  }
  return answered;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const pathOf = (href: string) => {
  const url = new URL(href.replaceAll("&amp;", "&"));
  return `${url.pathname}${url.search}`;
};

export async function answerTheDetractor(appUrl: string, merchant: Merchant, runWorker: () => Promise<unknown>) {
  const tomas = CUSTOMERS.tomas;
  const survey = await db.message.findFirst({ where: { shop: DEMO_SHOP, flow: "nps", toAddress: tomas.email } });
  const scoreLink = survey?.html ? new RegExp(`href="([^"]+/feedback/[^"?]+\\?score=${DETRACTOR.score})"`).exec(survey.html)?.[1] : null;
  if (!scoreLink) return null;
  const scored = await fetch(`${appUrl}${pathOf(scoreLink)}`, { method: "POST", body: form({ score: String(DETRACTOR.score), comment: DETRACTOR.comment }) });
  await scored.body?.cancel();
  const conversation = await db.customerCase.findFirst({ where: { shop: DEMO_SHOP, kind: "detractor", customerId: tomas.id } });
  if (!conversation) return null;
  await merchant(`/app/inbox/${conversation.id}`, form({ intent: "reply", body: DETRACTOR.reply }));
  await runWorker();
  const reply = await db.message.findFirst({ where: { shop: DEMO_SHOP, flow: "case_reply", customerId: tomas.id } });
  const answerLink = reply?.html ? /href="([^"]+\/conversation\/[^"]+)"/.exec(reply.html)?.[1] : null;
  if (!answerLink) return null;
  const answered = await fetch(`${appUrl}${pathOf(answerLink)}`, { method: "POST", body: form({ body: DETRACTOR.answer }) });
  await answered.body?.cancel();
  const reopened = (await db.customerCase.findUnique({ where: { id: conversation.id } }))?.status;
  await merchant(`/app/inbox/${conversation.id}`, form({ intent: "resolve" }));
  const final = await db.customerCase.findUniqueOrThrow({ where: { id: conversation.id } });
  const thread = await db.caseMessage.count({ where: { shop: DEMO_SHOP, caseId: conversation.id } });
  return {
    id: conversation.id,
    summary: conversation.summary,
    replySubject: reply!.subject,
    replyStatus: reply!.status,
    reopened,
    status: final.status,
    thread,
  };
}
