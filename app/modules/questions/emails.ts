// The two emails questions send, as Message rows the worker dispatches:
// - question_invite (marketing): a published question, to up to three recent buyers of the
//   product who accepted email marketing, asking them to answer through a signed link;
// - question_answered (transactional: they asked): an answer went live, to the asker.
// Each is scheduled exactly once by its unique message key; QuestionEmail says what it is about.
import { randomUUID } from "node:crypto";
import db, { type Tx } from "~/db.server";
import { acceptsMarketing, isUnsubscribed } from "~/modules/messaging/consent";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { linkMaker } from "~/modules/messaging/links";
import { emailLayout, renderTemplate } from "~/modules/messaging/render";
import { allowedSlot } from "~/modules/messaging/send-window";
import { brandOf, parseEmailSettings, type EmailSettings } from "~/modules/messaging/settings";
import { DAY } from "~/modules/messaging/timing";
import { defaultDisplayName, parseReviewSettings } from "~/modules/reviews";
import { QUESTION_ANSWERED, QUESTION_INVITE } from "./flows";

/** Buyers invited to answer one question, at most. */
export const MAX_INVITED_BUYERS = 3;
/** How far back the most recent buyers are looked for (line items of the product, newest first). */
const RECENT_LINES = 200;
const STALE_AFTER = { [QUESTION_INVITE]: 14 * DAY, [QUESTION_ANSWERED]: 30 * DAY };

/**
 * When the shop invites buyers: schedules invitations to the product's most recent buyers who
 * accepted email marketing and did not unsubscribe, never the asker. Once per question: a
 * question published again after being hidden invites nobody new.
 */
export async function scheduleInvitations(tx: Tx, shop: string, questionId: string, now: Date): Promise<void> {
  const shopRow = await tx.shop.findUnique({ where: { shop }, select: { settings: true } });
  if (!parseReviewSettings(shopRow?.settings).questions.inviteBuyers) return;
  if ((await tx.questionEmail.count({ where: { shop, questionId, customerId: { not: null } } })) > 0) return;
  const question = await tx.question.findFirst({ where: { shop, id: questionId }, select: { productId: true, customerId: true, askerEmail: true } });
  if (!question) return;
  const lines = await tx.lineItem.findMany({
    where: { shop, productId: question.productId, order: { cancelledAt: null, customerId: { not: null } } },
    orderBy: { order: { processedAt: "desc" } },
    take: RECENT_LINES,
    select: { order: { select: { customerId: true } } },
  });
  const buyerIds = [...new Set(lines.map((line) => line.order.customerId!))].filter((id) => id !== question.customerId);
  const customers = await tx.customer.findMany({
    where: { shop, id: { in: buyerIds }, email: { not: null } },
    select: { id: true, email: true, emailMarketingState: true },
  });
  const byId = new Map(customers.map((c) => [c.id, c]));
  const invited: string[] = [];
  for (const id of buyerIds) {
    const buyer = byId.get(id);
    if (!buyer?.email || !acceptsMarketing(buyer.emailMarketingState) || buyer.email.toLowerCase() === question.askerEmail) continue;
    if (await isUnsubscribed(tx, shop, buyer.email)) continue;
    invited.push(id);
    if (invited.length === MAX_INVITED_BUYERS) break;
  }
  for (const customerId of invited) {
    await scheduleQuestionEmail(tx, {
      shop,
      questionId,
      flow: QUESTION_INVITE,
      key: `question:${questionId}:invite:${customerId}`,
      marketing: true,
      customerId,
      answerId: null,
      productId: question.productId,
      now,
    });
  }
}

/** Tells the asker about each published answer of a published question, once per answer. */
export async function scheduleAnswerNotices(tx: Tx, shop: string, questionId: string, now: Date): Promise<void> {
  const question = await tx.question.findFirst({
    where: { shop, id: questionId, status: "published" },
    select: { productId: true, customerId: true, answers: { where: { status: "published" }, select: { id: true } } },
  });
  if (!question || question.answers.length === 0) return;
  const told = await tx.questionEmail.findMany({
    where: { shop, questionId, answerId: { in: question.answers.map((a) => a.id) } },
    select: { answerId: true },
  });
  const toldIds = new Set(told.map((e) => e.answerId));
  for (const { id } of question.answers.filter((a) => !toldIds.has(a.id))) {
    await scheduleQuestionEmail(tx, {
      shop,
      questionId,
      flow: QUESTION_ANSWERED,
      key: `question-answer:${id}:asker`,
      marketing: false,
      customerId: question.customerId,
      answerId: id,
      productId: question.productId,
      now,
    });
  }
}

async function scheduleQuestionEmail(
  tx: Tx,
  email: {
    shop: string;
    questionId: string;
    flow: string;
    key: string;
    marketing: boolean;
    customerId: string | null;
    answerId: string | null;
    productId: string;
    now: Date;
  },
): Promise<void> {
  const { shop, key } = email;
  if (await tx.message.findUnique({ where: { shop_key: { shop, key } }, select: { id: true } })) return;
  const messageId = randomUUID();
  await tx.message.create({
    data: {
      id: messageId,
      shop,
      key,
      flow: email.flow,
      marketing: email.marketing,
      customerId: email.customerId,
      dueAt: email.now,
      status: "scheduled",
      productIds: JSON.stringify([email.productId]),
    },
  });
  await tx.questionEmail.create({
    data: { messageId, shop, questionId: email.questionId, customerId: email.flow === QUESTION_INVITE ? email.customerId : null, answerId: email.answerId },
  });
}

// The emails' words. Every {{ value }} is HTML-escaped by the renderer, so what shoppers typed
// stays text; white-space: pre-wrap keeps their line breaks.
const QUOTE = `style="margin:12px 0;padding:12px 16px;border-left:3px solid {{ brand.color }};background:#f6f6f4;white-space:pre-wrap"`;
const INVITE_BODY = `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>A shopper at {{ shop.name }} has a question about the <strong>{{ product.title }}</strong>. You bought one, so you know it first-hand: could you help them decide?</p>
<div ${QUOTE}>{{ question.body }}</div>
<p style="margin:0;color:#6d7175;font-size:14px">Asked by {{ question.author }}</p>
{% button links.answer %}Answer the question{% endbutton %}
<p style="color:#6d7175;font-size:14px">A sentence or two is plenty. Your answer shows as “{{ answer_name }}” with a verified buyer badge, once the store has read it.</p>`;
const ANSWERED_BODY = `<p>Hi {{ question.author }},</p>
<p>You asked about the <strong>{{ product.title }}</strong>:</p>
<div ${QUOTE}>{{ question.body }}</div>
<p style="margin:16px 0 0">{% if answer.kind == "store" %}{{ shop.name }} answered:{% else %}{{ answer.author }}, a verified buyer, answered:{% endif %}</p>
<div ${QUOTE}>{{ answer.body }}</div>
{% button links.product %}See it on the product page{% endbutton %}`;

type Parts = {
  subject: string;
  body: string;
  text: string;
  preheader: string;
  footer: string;
  scope: Record<string, unknown>;
  to: string;
  unsubscribeUrl: string;
  productId: string;
};

async function render(shop: { shop: string; name: string | null; contactEmail: string | null; settings: string }, parts: Parts): Promise<Composition> {
  const brand = brandOf(shop, parseEmailSettings(shop.settings));
  const scope = { ...parts.scope, shop: { name: brand.name }, brand: { color: brand.color } };
  const html = emailLayout(await renderTemplate(parts.body, scope, "html"), {
    brand,
    preheader: parts.preheader,
    footer: parts.footer,
    unsubscribeUrl: parts.unsubscribeUrl,
  });
  return {
    kind: "send",
    to: parts.to,
    subject: parts.subject,
    html,
    text: `${parts.text}\n\n--\n${parts.footer}\nUnsubscribe: ${parts.unsubscribeUrl}\n`,
    fromName: brand.name,
    replyTo: shop.contactEmail,
    unsubscribeUrl: parts.unsubscribeUrl,
    productIds: [parts.productId],
  };
}

const skip = (status: "cancelled" | "suppressed", reason: string) => ({ skip: { kind: "skip", status, reason } as Composition });

/** What every questions email checks first: the shop still there, its moment not passed, the question live. */
async function loadEmail(message: DueMessage, now: Date) {
  const shop = await db.shop.findUnique({ where: { shop: message.shop } });
  if (!shop || shop.uninstalledAt) return skip("cancelled", "app uninstalled");
  const stale = STALE_AFTER[message.flow as keyof typeof STALE_AFTER] ?? 0;
  if (now.getTime() - message.dueAt.getTime() > stale) return skip("suppressed", "too late: its moment has passed");
  const email = await db.questionEmail.findFirst({ where: { shop: message.shop, messageId: message.id }, include: { question: true } });
  if (!email) return skip("cancelled", "the question or the person it was for was removed");
  if (email.question.status !== "published") return skip("cancelled", "the question is not published");
  return { shop, email, settings: parseEmailSettings(shop.settings) };
}

/** The send window (and, for the invitation, the marketing frequency cap): "later" when not now. */
async function notYet(
  message: DueMessage,
  loaded: { shop: { timezone: string }; settings: EmailSettings },
  to: string,
  now: Date,
): Promise<Composition | null> {
  const slot = await allowedSlot(message, loaded.settings, loaded.shop.timezone, to, now);
  return slot.at.getTime() > now.getTime() ? { kind: "later", dueAt: slot.at, reason: slot.reason } : null;
}

export async function composeQuestionInvite(message: DueMessage, now: Date): Promise<Composition> {
  const loaded = await loadEmail(message, now);
  if ("skip" in loaded) return loaded.skip;
  const { shop, email } = loaded;
  const customer = email.customerId ? await db.customer.findUnique({ where: { shop_id: { shop: shop.shop, id: email.customerId } } }) : null;
  if (!customer?.email) return { kind: "skip", status: "suppressed", reason: "no email address" };
  if (await isUnsubscribed(db, shop.shop, customer.email)) return { kind: "skip", status: "suppressed", reason: "unsubscribed" };
  if (!acceptsMarketing(customer.emailMarketingState)) return { kind: "skip", status: "suppressed", reason: "no email marketing consent" };
  const wait = await notYet(message, loaded, customer.email, now);
  if (wait) return wait;
  const link = linkMaker(shop.shop, message.id, now);
  const [answerUrl, unsubscribeUrl] = [link("answer", "answer"), link("unsubscribe", "unsubscribe")];
  const { question } = email;
  const storeName = shop.name ?? shop.shop;
  const answerName = defaultDisplayName(customer.firstName, customer.lastName);
  return render(shop, {
    to: customer.email,
    subject: `Can you help another shopper with the ${question.productTitle}?`,
    body: INVITE_BODY,
    preheader: `A question about the ${question.productTitle}, from someone deciding whether to buy it.`,
    footer: `You're receiving this because you bought from ${storeName} and said yes to its emails.`,
    scope: {
      customer: { first_name: customer.firstName ?? "" },
      product: { title: question.productTitle },
      question: { body: question.body, author: question.askerName },
      answer_name: answerName,
      links: { answer: answerUrl },
    },
    productId: question.productId,
    text: `Hi ${customer.firstName || "there"},\n\nA shopper at ${storeName} has a question about the ${question.productTitle}. You bought one: could you help them decide?\n\n"${question.body}"\n(asked by ${question.askerName})\n\nAnswer the question: ${answerUrl}\n\nYour answer shows as "${answerName}" with a verified buyer badge, once the store has read it.`,
    unsubscribeUrl,
  });
}

export async function composeQuestionAnswered(message: DueMessage, now: Date): Promise<Composition> {
  const loaded = await loadEmail(message, now);
  if ("skip" in loaded) return loaded.skip;
  const { shop, email } = loaded;
  const answer = email.answerId ? await db.questionAnswer.findFirst({ where: { shop: shop.shop, id: email.answerId } }) : null;
  if (!answer || answer.status !== "published") return { kind: "skip", status: "cancelled", reason: "the answer is not published" };
  const { question } = email;
  if (await isUnsubscribed(db, shop.shop, question.askerEmail)) return { kind: "skip", status: "suppressed", reason: "unsubscribed" };
  const wait = await notYet(message, loaded, question.askerEmail, now);
  if (wait) return wait;
  const storeName = shop.name ?? shop.shop;
  // Only a path the widget posted that passed productPagePath(), on the shop's own domain.
  const productUrl = `https://${shop.shop}${question.productUrl ?? "/"}`;
  const unsubscribeUrl = linkMaker(shop.shop, message.id, now)("unsubscribe", "unsubscribe");
  const by = answer.kind === "store" ? `${storeName} answered` : `${answer.authorName}, a verified buyer, answered`;
  await db.questionAnswer.updateMany({ where: { shop: shop.shop, id: answer.id, askerNotifiedAt: null }, data: { askerNotifiedAt: now } });
  return render(shop, {
    to: question.askerEmail,
    subject: `Your question about the ${question.productTitle} has an answer`,
    body: ANSWERED_BODY,
    preheader: `${by}.`,
    footer: `You're receiving this because you asked ${storeName} a question.`,
    scope: {
      product: { title: question.productTitle },
      question: { body: question.body, author: question.askerName },
      answer: { body: answer.body, author: answer.authorName, kind: answer.kind },
      links: { product: productUrl },
    },
    productId: question.productId,
    text: `Hi ${question.askerName},\n\nYou asked about the ${question.productTitle}:\n\n"${question.body}"\n\n${by}:\n\n"${answer.body}"\n\nSee it on the product page: ${productUrl}`,
    unsubscribeUrl,
  });
}
