// What a due follow-up becomes at send time: the checks that can only be made then (still
// installed, flow on, order not cancelled or refunded, an address, consent, the send window,
// the frequency cap), the flow's own content (which items, which products), then the rendered
// email. The messaging dispatcher records and sends it.
// Follow-ups are composed a batch at a time: what the checks read (the shop, the orders with
// their items, refunds, customers, unsubscribes, recent sends to the addresses) is loaded for
// the whole batch in a few set queries, since per-message queries cost more than the sending.
import type { Customer, LineItem, Order, Shop } from "@prisma/client";
import db from "~/db.server";
import { formatMoney, formatShopTime } from "~/format";
import { acceptsMarketing, normalizeEmail, unsubscribedAmong } from "~/modules/messaging/consent";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { linkMaker } from "~/modules/messaging/links";
import { brandOf } from "~/modules/messaging/settings";
import { sendSlot } from "~/modules/messaging/send-window";
import { DAY, HOUR, nextSendTime } from "~/modules/messaging/timing";
import { findReward, orderOfferKey } from "~/modules/rewards";
import { FLOWS, isFlowId, type FlowId } from "./flows";
import { flowContent, productsAskedToReview, ProductDataUnavailable, type FlowContext } from "./content";
import { followupScope, renderFollowup, standardLinks } from "./email";
import { refundsCoverOrder } from "./schedule";
import { parseFollowupSettings } from "./settings";

/** How long a message waits for an order, or for Shopify's product data, before giving up. */
const GRACE_MS = 3 * DAY;

/** What composing one shop's batch of follow-ups reads, loaded once for all of them. */
type FollowupBatch = {
  shop: Shop | null;
  orders: Map<string, Order & { lineItems: LineItem[] }>;
  refundedMinor: Map<string, number>;
  customers: Map<string, Customer>;
  unsubscribed: Set<string>;
  /** Marketing sends to the batch's marketing addresses recent enough to hold a new one back under the frequency cap. */
  recentMarketing: Map<string, { id: string; sentAt: Date }[]>;
  askedToReview: Map<string, Set<string>>;
};

const distinct = (values: (string | null | undefined)[]) => [...new Set(values.filter((value): value is string => Boolean(value)))];

async function loadFollowupBatch(shop: string, messages: DueMessage[], now: Date): Promise<FollowupBatch> {
  const orderIds = distinct(messages.map((message) => message.orderId));
  const [shopRow, orderRows, refunds] = await Promise.all([
    db.shop.findUnique({ where: { shop } }),
    orderIds.length > 0 ? db.order.findMany({ where: { shop, id: { in: orderIds } }, include: { lineItems: true } }) : [],
    orderIds.length > 0 ? db.refund.groupBy({ by: ["orderId"], where: { shop, orderId: { in: orderIds } }, _sum: { amountMinor: true } }) : [],
  ]);
  const orders = new Map(orderRows.map((order) => [order.id, order]));
  const customerIds = distinct(orderRows.map((order) => order.customerId));
  const customerRows = customerIds.length > 0 ? await db.customer.findMany({ where: { shop, id: { in: customerIds } } }) : [];
  const customers = new Map(customerRows.map((customer) => [customer.id, customer]));

  // Each message's address (normalized), for those whose order is here and has one.
  const addresses = new Map<string, string>();
  for (const message of messages) {
    const order = message.orderId ? orders.get(message.orderId) : undefined;
    const to = order && (order.email ?? (order.customerId ? customers.get(order.customerId)?.email : null));
    if (to) addresses.set(message.id, normalizeEmail(to));
  }
  const addressesOf = (which: (message: DueMessage) => boolean) => distinct(messages.filter(which).map((message) => addresses.get(message.id)));
  const capDays = shopRow ? parseFollowupSettings(shopRow.settings).frequencyCapDays : 0;
  const marketingAddresses = capDays > 0 ? addressesOf((message) => message.marketing) : [];
  const [unsubscribed, marketingSends, askedToReview] = await Promise.all([
    unsubscribedAmong(shop, [...addresses.values()]),
    marketingAddresses.length > 0
      ? db.message.findMany({
          // Only a send within the cap's length can hold a message back, so older ones are left out.
          where: { shop, marketing: true, toAddress: { in: marketingAddresses }, sentAt: { gt: new Date(now.getTime() - capDays * DAY) } },
          select: { id: true, toAddress: true, sentAt: true },
        })
      : [],
    productsAskedToReview(
      shop,
      addressesOf((message) => message.flow === "review_request" && message.step === 0),
      now,
    ),
  ]);
  const recentMarketing = new Map<string, { id: string; sentAt: Date }[]>();
  for (const { id, toAddress, sentAt } of marketingSends) {
    (recentMarketing.get(toAddress!) ?? recentMarketing.set(toAddress!, []).get(toAddress!)!).push({ id, sentAt: sentAt! });
  }
  const refundedMinor = new Map(refunds.map((refund) => [refund.orderId, refund._sum.amountMinor ?? 0]));
  return { shop: shopRow, orders, refundedMinor, customers, unsubscribed, recentMarketing, askedToReview };
}

/** Composes one shop's due follow-ups (all of `messages` belong to `shop`), in their order. */
const OFFER_WAIT_MS = 10 * 60_000;

/**
 * The next-order code the shop offers in this email, once Shopify holds it; "wait" while it is
 * being created (unless the email is late already: it then goes without); null when there is none.
 */
async function orderOffer(shop: Shop, orderId: string, flow: string, late: boolean, now: Date) {
  const reward = await findReward(shop.shop, orderOfferKey(orderId, flow));
  if (!reward) return null;
  if (reward.status === "recorded" || reward.status === "issuing") return late ? null : ("wait" as const);
  if (reward.status !== "issued" || !reward.code || (reward.endsAt && reward.endsAt <= now)) return null;
  const worth = reward.valueType === "percentage" ? `${reward.value}%` : formatMoney(reward.value, reward.currency);
  const expires = reward.endsAt ? formatShopTime(reward.endsAt, shop.timezone, "date") : "";
  return { code: reward.code, worth, expires, link: `https://${shop.shop}/discount/${encodeURIComponent(reward.code)}` };
}

export async function composeFollowups(shop: string, messages: DueMessage[], now: Date): Promise<Composition[]> {
  const batch = await loadFollowupBatch(shop, messages, now);
  return Promise.all(messages.map((message) => composeFromBatch(batch, message, now)));
}

type Waiting = { message: DueMessage; resolve: (composition: Composition) => void; reject: (error: unknown) => void };
type Gathering = Map<string, { shop: string; now: Date; waiting: Waiting[] }>;
let gathering: Gathering | null = null;

/**
 * Composes one due follow-up. The calls made in the same tick (the dispatcher composes a round
 * of its batch at once) are composed together, one batch per shop and clock.
 */
export function composeFollowup(message: DueMessage, now: Date): Promise<Composition> {
  return new Promise((resolve, reject) => {
    if (!gathering) {
      const batches: Gathering = (gathering = new Map());
      queueMicrotask(() => {
        gathering = null;
        for (const { shop, now, waiting } of batches.values()) {
          composeFollowups(
            shop,
            waiting.map((w) => w.message),
            now,
          ).then(
            (compositions) => waiting.forEach((w, i) => w.resolve(compositions[i]!)),
            (error) => waiting.forEach((w) => w.reject(error)),
          );
        }
      });
    }
    const key = `${message.shop}\n${now.getTime()}`;
    const batch = gathering.get(key) ?? gathering.set(key, { shop: message.shop, now, waiting: [] }).get(key)!;
    batch.waiting.push({ message, resolve, reject });
  });
}

async function composeFromBatch(batch: FollowupBatch, message: DueMessage, now: Date): Promise<Composition> {
  if (!isFlowId(message.flow)) return { kind: "skip", status: "failed", reason: `unknown flow ${message.flow}` };
  const flow: FlowId = message.flow;
  const { shop } = batch;
  if (!shop || shop.uninstalledAt) return { kind: "skip", status: "cancelled", reason: "app uninstalled" };
  const settings = parseFollowupSettings(shop.settings);
  if (!settings.flows[flow].enabled) return { kind: "skip", status: "cancelled", reason: "flow turned off" };
  const lateness = now.getTime() - message.dueAt.getTime();
  if (lateness > FLOWS[flow].staleAfterDays * DAY) return { kind: "skip", status: "suppressed", reason: "too late: its moment has passed" };
  const late = lateness > GRACE_MS;

  const order = message.orderId ? batch.orders.get(message.orderId) : undefined;
  if (!order) {
    if (late) return { kind: "skip", status: "suppressed", reason: "the order never reached the app" };
    return { kind: "later", retry: true, dueAt: new Date(now.getTime() + HOUR), reason: "waiting for the order to arrive" };
  }
  if (order.cancelledAt) return { kind: "skip", status: "cancelled", reason: "order cancelled" };
  if (refundsCoverOrder(order, batch.refundedMinor.get(order.id) ?? 0)) return { kind: "skip", status: "cancelled", reason: "order fully refunded" };

  const customer = (order.customerId && batch.customers.get(order.customerId)) || null;
  const to = order.email ?? customer?.email ?? null;
  if (!to) return { kind: "skip", status: "suppressed", reason: "no email address" };
  const address = normalizeEmail(to);
  if (batch.unsubscribed.has(address)) return { kind: "skip", status: "suppressed", reason: "unsubscribed" };
  if (message.marketing && !acceptsMarketing(customer?.emailMarketingState)) {
    return { kind: "skip", status: "suppressed", reason: "no email marketing consent" };
  }

  const lastMarketingSend = latestSend((batch.recentMarketing.get(address) ?? []).filter((send) => send.id !== message.id));
  const slot = sendSlot(message, settings, shop.timezone, lastMarketingSend, now);
  if (slot.at.getTime() > now.getTime()) return { kind: "later", dueAt: slot.at, reason: slot.reason };

  const link = linkMaker(message.shop, message.id, now);
  const askedToReview = batch.askedToReview.get(address) ?? new Set<string>();
  const context: FlowContext = { message, now, shop, settings, order, customerId: order.customerId, to, link, askedToReview };
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

  const offer = await orderOffer(shop, order.id, flow, late, now);
  if (offer === "wait")
    return { kind: "later", retry: true, dueAt: new Date(now.getTime() + OFFER_WAIT_MS), reason: "waiting for Shopify to create the next-order code" };

  const brand = brandOf(shop, settings);
  const links = { ...standardLinks(link), ...content.links };
  const scope = followupScope({ customer, order, timezone: shop.timezone, brand, content: { ...content.scope, offer }, links });
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

const latestSend = (sends: { sentAt: Date }[]): Date | null =>
  sends.reduce<Date | null>((latest, { sentAt }) => (latest && latest >= sentAt ? latest : sentAt), null);
