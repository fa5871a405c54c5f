// The flow editor's live preview and "send a test to me" (test-sends.ts says where a test may
// go and how often): the merchant's draft rendered by renderFollowup, the renderer the send
// path uses, with the shop's latest order (and its customer) as the data, or a sample order
// when the shop has none yet.
//
// Every signed link in a preview is inert ("#"). A working link would act for a real customer:
// one click in a forwarded test email could unsubscribe them or answer their survey. The cart
// link of a re-order reminder stays real: it only fills the store's cart and acts for nobody.
import type { Shop } from "@prisma/client";
import db, { directStatements } from "~/db.server";
import { formatMoney } from "~/format";
import { messageIdHeader, senderAddress } from "~/modules/messaging/dispatch";
import { createMailer, MailError, type Mailer } from "~/modules/messaging/mailer";
import type { LinkMaker } from "~/modules/messaging/links";
import { TemplateError } from "~/modules/messaging/render";
import { brandOf } from "~/modules/messaging/settings";
import { DAY } from "~/modules/messaging/timing";
import { RECOMMENDED, reorderContent, reviewItems, type OrderLine } from "./content";
import { followupScope, renderFollowup, standardLinks, type RenderedEmail } from "./email";
import type { FlowId } from "./flows";
import { replenishmentIntervals } from "./replenishment";
import { brandErrors, parseFollowupSettings, type BrandInput, type FollowupSettings } from "./settings";
import { templateErrors, templateProblem, type TemplateProblem } from "./templates";
import { recordTestOutcome, takeTestSend, TEST_SENDS_PER_HOUR, testRecipient } from "./test-sends";

const inertLink: LinkMaker = () => "#";

export type PreviewDraft = { subject: string; body: string };
export type PreviewSource = { kind: "order" | "sample"; label: string };
export type Preview = { ok: true; email: RenderedEmail; fromName: string; source: PreviewSource } | { ok: false; problem: TemplateProblem };

type PreviewOrder = { name: string; totalMinor: number; currency: string; processedAt: Date; lineItems: OrderLine[] };
type PreviewCustomer = { firstName: string | null; lastName: string | null };

/** A plainly fake order for a shop with none yet, in the shop's currency. */
function sampleOrder(currency: string, now: Date): PreviewOrder {
  const line = (n: number, title: string, variantTitle: string | null, quantity: number, priceMinor: number): OrderLine => ({
    productId: `sample-${n}`,
    variantId: null,
    title,
    variantTitle,
    quantity,
    priceMinor,
  });
  const lineItems = [line(1, "Sample product", "Medium / Blue", 2, 2400), line(2, "Another sample product", null, 1, 1800)];
  return { name: "#1001", currency, processedAt: new Date(now.getTime() - 14 * DAY), totalMinor: 6600, lineItems };
}

/** The shop's most recent order that was not cancelled, with its customer; else the sample. */
async function previewOrder(shop: Shop, now: Date): Promise<{ order: PreviewOrder; customer: PreviewCustomer | null; source: PreviewSource }> {
  const order = await db.order.findFirst({
    where: { shop: shop.shop, cancelledAt: null, lineItems: { some: {} } },
    orderBy: { processedAt: "desc" },
    include: { lineItems: true },
  });
  if (!order) {
    return {
      order: sampleOrder(shop.currency, now),
      customer: { firstName: "Alex", lastName: "Sample" },
      source: { kind: "sample", label: "A sample order: your store has no orders yet." },
    };
  }
  const customer = order.customerId ? await db.customer.findUnique({ where: { shop_id: { shop: shop.shop, id: order.customerId } } }) : null;
  const who = [customer?.firstName, customer?.lastName].filter(Boolean).join(" ");
  return { order, customer, source: { kind: "order", label: `Your latest order, ${order.name}${who ? ` from ${who}` : ""}.` } };
}

/**
 * Product cards without the Admin API: other products the store has sold (as co-purchases
 * would suggest), then the merchant's picks, with titles and prices from the mirror and no
 * pictures; the order's own products when there is nothing else.
 */
async function sampleProductCards(shop: string, order: PreviewOrder, picks: { id: string; title: string }[]) {
  const own = order.lineItems.map((line) => line.productId).filter((id): id is string => Boolean(id));
  const others = await db.lineItem.findMany({
    where: { shop, productId: { not: null, notIn: own } },
    distinct: ["productId"],
    orderBy: { order: { processedAt: "desc" } },
    take: RECOMMENDED,
    select: { productId: true, title: true, priceMinor: true, order: { select: { currency: true } } },
  });
  // A pick the store has never sold has no price in the mirror: its card shows none.
  const picked = picks
    .filter((pick) => !own.includes(pick.id) && !others.some((line) => line.productId === pick.id))
    .map((pick) => ({ title: pick.title, price: "" }));
  const cards = [...others.map((line) => ({ title: line.title, price: formatMoney(line.priceMinor, line.order.currency) })), ...picked];
  const shown = cards.length > 0 ? cards : order.lineItems.map((line) => ({ title: line.title, price: formatMoney(line.priceMinor, order.currency) }));
  return shown.slice(0, RECOMMENDED).map((card) => ({ ...card, url: "#", image: null, image_alt: card.title }));
}

/** The re-order reminder's "about N weeks": when it would go for this order, from the shortest known interval. */
async function reorderWeeks(shop: string, order: PreviewOrder, daysBefore: number): Promise<number> {
  const ids = order.lineItems.map((line) => line.productId).filter((id): id is string => Boolean(id));
  const intervals = [...(await replenishmentIntervals(directStatements, shop, null, ids)).values()].map((i) => i.days);
  const days = intervals.length > 0 ? Math.min(...intervals) : 30;
  return Math.max(1, Math.round((days - daysBefore) / 7));
}

/** The flow's own variables for the preview, built from the order instead of Shopify's product data. */
async function previewContent(
  flow: FlowId,
  shop: string,
  order: PreviewOrder,
  settings: FollowupSettings,
): Promise<{ scope: Record<string, unknown>; links: Record<string, unknown> }> {
  const picks = settings.recommendations.map((id) => ({ id, title: settings.recommendationTitles[id] ?? "" })).filter((pick) => pick.title);
  switch (flow) {
    case "review_request":
      return { scope: { review_items: reviewItems(order.lineItems, new Set(), inertLink).items }, links: {} };
    case "reorder":
      return reorderContent(shop, order.lineItems, await reorderWeeks(shop, order, settings.flows.reorder.timing), inertLink);
    case "goes_with":
      return { scope: { products: await sampleProductCards(shop, order, picks) }, links: {} };
    case "after_return":
      return { scope: { returned: { title: order.lineItems[0]?.title ?? "" }, products: await sampleProductCards(shop, order, []) }, links: {} };
    default:
      return { scope: {}, links: {} };
  }
}

export type PreviewRequest = {
  draft: PreviewDraft;
  /** The look being edited (colour, logo); the saved one when absent or not valid. */
  brand?: BrandInput;
  now: Date;
};

/**
 * The draft as the customer of the shop's latest order would receive it, rendered in a render
 * thread as every email is. A template that does not parse or render, or costs too much, comes
 * back as a problem with its field and line, never thrown.
 */
export async function previewFollowup(shopDomain: string, flow: FlowId, { draft, brand, now }: PreviewRequest): Promise<Preview> {
  const parseProblem = templateErrors(draft)[0];
  if (parseProblem) return { ok: false, problem: parseProblem };
  const shop = await db.shop.findUniqueOrThrow({ where: { shop: shopDomain } });
  const settings = parseFollowupSettings(shop.settings);
  if (brand && Object.keys(brandErrors(brand)).length === 0) settings.brand = { color: brand.color, logoUrl: brand.logoUrl.trim() || null };
  const look = brandOf(shop, settings);
  const { order, customer, source } = await previewOrder(shop, now);
  const content = await previewContent(flow, shop.shop, order, settings);
  const links = { ...standardLinks(inertLink), ...content.links };
  const scope = followupScope({ customer, order, timezone: shop.timezone, brand: look, content: content.scope, links });
  try {
    const email = await renderFollowup(flow, draft, scope, look, links.unsubscribe);
    return { ok: true, email, fromName: look.name, source };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return { ok: false, problem: templateProblem(error) };
  }
}

export type TestSendResult =
  | { sent: true; to: string }
  | { sent: false; reason: "address" | "limit" | "not_configured" | "failed"; message: string }
  | { sent: false; reason: "template"; message: string; problem: TemplateProblem };

/**
 * Sends the preview with "[Test] " before the subject to the store's contact email (the only
 * address a test may go to; `request.to`, when given, must be it), within the hour's limit, and
 * logs it. It is no customer message: it carries no List-Unsubscribe (it goes to no list).
 * Without a mail server (outbox mode) nothing can be sent, and the result says so.
 */
export async function sendTestFollowup(
  shop: string,
  flow: FlowId,
  request: PreviewRequest & { to?: unknown },
  mailer: Mailer = createMailer(),
): Promise<TestSendResult> {
  try {
    const { contactEmail } = await db.shop.findUniqueOrThrow({ where: { shop }, select: { contactEmail: true } });
    const recipient = testRecipient(contactEmail, request.to);
    if ("error" in recipient) return { sent: false, reason: "address", message: recipient.error };
    if (mailer.kind === "outbox") {
      return {
        sent: false,
        reason: "not_configured",
        message: "Mail isn't set up on this server (no SMTP_URL): follow-ups wait in the outbox, and this test was not sent.",
      };
    }
    const preview = await previewFollowup(shop, flow, request);
    if (!preview.ok) return { sent: false, reason: "template", message: "Fix the template first: the test was not sent.", problem: preview.problem };
    const { to } = recipient;
    const id = await takeTestSend(shop, flow, to, request.now);
    if (!id) return { sent: false, reason: "limit", message: `You can send ${TEST_SENDS_PER_HOUR} tests an hour: this one was not sent. Try again later.` };
    try {
      await mailer.send({
        messageId: messageIdHeader(`test-${id}`),
        from: { name: preview.fromName, address: senderAddress() },
        replyTo: contactEmail,
        to,
        subject: `[Test] ${preview.email.subject}`,
        html: preview.email.html,
        text: preview.email.text,
        unsubscribeUrl: null,
      });
    } catch (error) {
      const reason = error instanceof MailError ? error.message : String(error);
      await recordTestOutcome(shop, id, "failed", reason);
      return { sent: false, reason: "failed", message: `The mail server did not take the test: ${reason}` };
    }
    await recordTestOutcome(shop, id, "sent");
    return { sent: true, to };
  } finally {
    mailer.close();
  }
}
