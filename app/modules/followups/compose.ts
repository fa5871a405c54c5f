// What a due follow-up becomes at send time: the checks that can only be made then (still
// installed, flow on, order not cancelled or refunded, an address, consent, the send window,
// the frequency cap), the flow's own content (which items, which products), then the rendered
// email. The messaging dispatcher records and sends it.
import db from "~/db.server";
import { appUrl } from "~/modules/appUrl";
import { acceptsMarketing, isUnsubscribed, normalizeEmail } from "~/modules/messaging/consent";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { signLink, type LinkPurpose } from "~/modules/messaging/tokens";
import { DAY, FLOWS, HOUR, isFlowId, type FlowId } from "./flows";
import { flowContent, ProductDataUnavailable, type FlowContext } from "./content";
import { brandOf, followupScope, renderFollowup, standardLinks, type LinkMaker } from "./email";
import { isFullyRefunded } from "./schedule";
import { parseFollowupSettings, type FollowupSettings } from "./settings";
import { nextSendTime } from "./timing";

/** How long a message waits for an order, or for Shopify's product data, before giving up. */
const GRACE_MS = 3 * DAY;
const LINK_LIFETIME: Record<LinkPurpose, number> = {
  unsubscribe: 5 * 365 * DAY,
  checkin: 60 * DAY,
  nps: 60 * DAY,
  review: 180 * DAY,
  reorder: 180 * DAY,
};


/** Signs the links of one message (each purpose lives as long as LINK_LIFETIME says). */
export function linkMaker(shop: string, message: string, now: Date): LinkMaker {
  return (path, purpose, query = "") => {
    const token = signLink({ shop, message, purpose, expires: now.getTime() + LINK_LIFETIME[purpose] });
    return `${appUrl()}/${path}/${token}${query}`;
  };
}

export async function composeFollowup(message: DueMessage, now: Date): Promise<Composition> {
  if (!isFlowId(message.flow)) return { kind: "skip", status: "failed", reason: `unknown flow ${message.flow}` };
  const flow: FlowId = message.flow;
  const shop = await db.shop.findUnique({ where: { shop: message.shop } });
  if (!shop || shop.uninstalledAt) return { kind: "skip", status: "cancelled", reason: "app uninstalled" };
  const settings = parseFollowupSettings(shop.settings);
  if (!settings.flows[flow].enabled) return { kind: "skip", status: "cancelled", reason: "flow turned off" };
  const lateness = now.getTime() - message.dueAt.getTime();
  if (lateness > FLOWS[flow].staleAfterDays * DAY) return { kind: "skip", status: "suppressed", reason: "too late: its moment has passed" };
  const late = lateness > GRACE_MS;

  const order = message.orderId
    ? await db.order.findUnique({ where: { shop_id: { shop: message.shop, id: message.orderId } }, include: { lineItems: true } })
    : null;
  if (!order) {
    if (late) return { kind: "skip", status: "suppressed", reason: "the order never reached the app" };
    return { kind: "later", retry: true, dueAt: new Date(now.getTime() + HOUR), reason: "waiting for the order to arrive" };
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

  const link = linkMaker(message.shop, message.id, now);
  const context: FlowContext = { message, now, shop, settings, order, customerId: order.customerId, to, link };
  let content;
  try {
    content = await flowContent[flow](context);
  } catch (error) {
    if (!(error instanceof ProductDataUnavailable)) throw error;
    // Shopify's product data is out of reach for now (throttled, down): try again later.
    if (late) return { kind: "skip", status: "suppressed", reason: `Shopify's product data stayed unavailable: ${(error as Error).message}` };
    return { kind: "later", retry: true, dueAt: new Date(now.getTime() + HOUR), reason: `Shopify's product data (${(error as Error).message})` };
  }
  if (content.kind === "skip") return { kind: "skip", status: content.status, reason: content.reason };
  if (content.kind === "later") return { kind: "later", dueAt: nextSendTime(content.dueAt, shop.timezone, settings.sendWindow), reason: content.reason };

  const brand = brandOf(shop, settings);
  const links = { ...standardLinks(link), ...content.links };
  const scope = followupScope({ customer, order, timezone: shop.timezone, brand, content: content.scope, links });
  const email = await renderFollowup(flow, settings.flows[flow], scope, brand, links.unsubscribe, message.step);
  return {
    kind: "send",
    to,
    ...email,
    fromName: brand.name,
    replyTo: shop.contactEmail,
    unsubscribeUrl: links.unsubscribe,
    productIds: content.productIds,
  };
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
