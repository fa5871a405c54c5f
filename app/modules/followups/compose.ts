// What a due follow-up becomes at send time: the checks that can only be made then (still
// installed, flow on, order not cancelled or refunded, an address, consent, the send window,
// the frequency cap), then the rendered email. The messaging dispatcher records and sends it.
import db from "~/db.server";
import { formatMoney, formatShopTime } from "~/format";
import { acceptsMarketing, isUnsubscribed, normalizeEmail } from "~/modules/messaging/consent";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { emailLayout, htmlToText, renderTemplate, type Brand } from "~/modules/messaging/render";
import { signLink, type LinkPurpose } from "~/modules/messaging/tokens";
import { DAY, HOUR, isFlowId, type FlowId } from "./flows";
import { isFullyRefunded } from "./schedule";
import { parseFollowupSettings, type FollowupSettings } from "./settings";
import { DEFAULT_TEMPLATES } from "./templates";
import { nextSendTime } from "./timing";

/** How long a message waits for an order that has not reached us, before giving up. */
const ORDER_GRACE_MS = 3 * DAY;
const REVIEW_ITEMS = 3;
const REVIEW_ASK_AGAIN_AFTER_MS = 365 * DAY;
const LINK_LIFETIME: Record<LinkPurpose, number> = { unsubscribe: 5 * 365 * DAY, checkin: 60 * DAY, nps: 60 * DAY, review: 180 * DAY };

const appUrl = () => (process.env.SHOPIFY_APP_URL ?? "").replace(/\/$/, "");

function link(path: string, purpose: LinkPurpose, shop: string, message: string, now: Date, query = ""): string {
  const token = signLink({ shop, message, purpose, expires: now.getTime() + LINK_LIFETIME[purpose] });
  return `${appUrl()}/${path}/${token}${query}`;
}

export async function composeFollowup(message: DueMessage, now: Date): Promise<Composition> {
  if (!isFlowId(message.flow)) return { kind: "skip", status: "failed", reason: `unknown flow ${message.flow}` };
  const flow: FlowId = message.flow;
  const shop = await db.shop.findUnique({ where: { shop: message.shop } });
  if (!shop || shop.uninstalledAt) return { kind: "skip", status: "cancelled", reason: "app uninstalled" };
  const settings = parseFollowupSettings(shop.settings);
  if (!settings.flows[flow].enabled) return { kind: "skip", status: "cancelled", reason: "flow turned off" };

  const order = message.orderId
    ? await db.order.findUnique({ where: { shop_id: { shop: message.shop, id: message.orderId } }, include: { lineItems: true } })
    : null;
  if (!order) {
    if (now.getTime() - message.dueAt.getTime() > ORDER_GRACE_MS) return { kind: "skip", status: "suppressed", reason: "the order never reached the app" };
    return { kind: "later", dueAt: new Date(now.getTime() + HOUR), reason: "waiting for the order to arrive" };
  }
  if (order.cancelledAt) return { kind: "skip", status: "cancelled", reason: "order cancelled" };
  if (await isFullyRefunded(db, message.shop, order)) return { kind: "skip", status: "cancelled", reason: "order fully refunded" };

  const customer = order.customerId
    ? await db.customer.findUnique({ where: { shop_id: { shop: message.shop, id: order.customerId } } })
    : null;
  const to = order.email ?? customer?.email ?? null;
  if (!to) return { kind: "skip", status: "suppressed", reason: "no email address" };
  if (await isUnsubscribed(db, message.shop, to)) return { kind: "skip", status: "suppressed", reason: "unsubscribed" };
  if (message.marketing && !acceptsMarketing(customer?.emailMarketingState)) {
    return { kind: "skip", status: "suppressed", reason: "no email marketing consent" };
  }

  const slot = await allowedSlot(message, settings, shop.timezone, to, now);
  if (slot.at.getTime() > now.getTime()) return { kind: "later", dueAt: slot.at, reason: slot.reason };

  const links = {
    unsubscribe: link("unsubscribe", "unsubscribe", message.shop, message.id, now),
    checkin_ok: link("feedback", "checkin", message.shop, message.id, now, "?answer=ok"),
    checkin_problem: link("feedback", "checkin", message.shop, message.id, now, "?answer=problem"),
    survey: link("feedback", "nps", message.shop, message.id, now),
    nps: Array.from({ length: 11 }, (_, score) => link("feedback", "nps", message.shop, message.id, now, `?score=${score}`)),
  };

  let productIds: string[] = [];
  let reviewItems: { title: string; variant: string | null; links: string[] }[] = [];
  if (flow === "review_request") {
    const askedBefore = await productsAskedAbout(message.shop, to, now);
    const candidates = [...order.lineItems]
      .filter((item) => item.productId && !askedBefore.has(item.productId))
      .sort((a, b) => b.priceMinor - a.priceMinor);
    const seen = new Set<string>();
    const chosen = candidates.filter((item) => !seen.has(item.productId!) && seen.add(item.productId!)).slice(0, REVIEW_ITEMS);
    if (chosen.length === 0) return { kind: "skip", status: "suppressed", reason: "already asked about every item within 12 months" };
    productIds = chosen.map((item) => item.productId!);
    reviewItems = chosen.map((item) => ({
      title: item.title,
      variant: item.variantTitle,
      links: [1, 2, 3, 4, 5].map((rating) => link("review", "review", message.shop, message.id, now, `?product=${item.productId}&rating=${rating}`)),
    }));
  }

  const brand: Brand = {
    name: shop.name ?? message.shop,
    color: settings.brand.color,
    logoUrl: settings.brand.logoUrl,
    contactEmail: shop.contactEmail,
  };
  const scope = {
    customer: { first_name: customer?.firstName ?? "", last_name: customer?.lastName ?? "" },
    order: {
      name: order.name,
      total: formatMoney(order.totalMinor, order.currency),
      date: formatShopTime(order.processedAt, shop.timezone, "date"),
      items: order.lineItems.map((item) => ({
        title: item.title,
        variant: item.variantTitle,
        quantity: item.quantity,
        price: formatMoney(item.priceMinor * item.quantity, order.currency),
      })),
    },
    shop: { name: brand.name, email: shop.contactEmail ?? "" },
    review_items: reviewItems,
    links,
    brand: { color: brand.color },
  };
  const template = { ...DEFAULT_TEMPLATES[flow], ...pick(settings.flows[flow]) };
  const [subject, bodyHtml, bodyText, preheader] = await Promise.all([
    renderTemplate(template.subject, scope, "text"),
    renderTemplate(template.body, scope, "html"),
    renderTemplate(template.body, scope, "text"),
    renderTemplate(template.preheader, scope, "text"),
  ]);
  const footer = `You're receiving this because you ordered from ${brand.name}.`;
  return {
    kind: "send",
    to,
    subject: subject.replace(/\s+/g, " ").trim(),
    html: emailLayout(bodyHtml, { brand, preheader, footer, unsubscribeUrl: links.unsubscribe }),
    text: `${htmlToText(bodyText)}\n\n--\n${footer}\nUnsubscribe: ${links.unsubscribe}\n`,
    fromName: brand.name,
    replyTo: shop.contactEmail,
    unsubscribeUrl: links.unsubscribe,
    productIds,
  };
}

function pick(flow: { subject: string | null; body: string | null }): Partial<{ subject: string; body: string }> {
  return { ...(flow.subject ? { subject: flow.subject } : {}), ...(flow.body ? { body: flow.body } : {}) };
}

/** The earliest moment this message may go: the marketing frequency cap, then the send window. */
async function allowedSlot(message: DueMessage, settings: FollowupSettings, zone: string, to: string, now: Date): Promise<{ at: Date; reason: string }> {
  let earliest = now;
  let reason = "outside the send window";
  if (message.marketing && settings.frequencyCapDays > 0) {
    const last = await db.message.findFirst({
      where: { shop: message.shop, marketing: true, toAddress: normalizeEmail(to), sentAt: { not: null }, id: { not: message.id } },
      orderBy: { sentAt: "desc" },
      select: { sentAt: true },
    });
    const capEnds = last?.sentAt ? new Date(last.sentAt.getTime() + settings.frequencyCapDays * DAY) : null;
    if (capEnds && capEnds > earliest) {
      earliest = capEnds;
      reason = `frequency cap: one marketing email per ${settings.frequencyCapDays} days`;
    }
  }
  return { at: nextSendTime(earliest, zone, settings.sendWindow), reason };
}

/** Products this address was asked to review within the last 12 months. */
async function productsAskedAbout(shop: string, to: string, now: Date): Promise<Set<string>> {
  const asked = await db.message.findMany({
    where: { shop, flow: "review_request", toAddress: normalizeEmail(to), sentAt: { gte: new Date(now.getTime() - REVIEW_ASK_AGAIN_AFTER_MS) } },
    select: { productIds: true },
  });
  return new Set(asked.flatMap((m) => JSON.parse(m.productIds) as string[]));
}
