// NPS as the merchant reads it: the score (promoters, 9–10, less detractors, 0–6, as a share
// of everyone who answered) over the last 90 days and by week, the split, the score of first
// and repeat customers and by product type, and the latest comments, each detractor's with its
// conversation. Product types are Shopify's: read through the Admin API for the products of
// the orders answered about; without them the page still has everything else.
import db from "~/db.server";
import { formatShopTime } from "~/format";
import { fetchProductCards, type AdminGraphql } from "~/modules/shopify-admin";
import { lastWeeks } from "~/modules/weeks";
import { DETRACTOR_MAX } from "./index";
import { describeNpsDetails, parseNpsDetails } from "./survey";

const NPS_WEEKS = 12;
const WINDOW_DAYS = 90;
const COMMENTS = 20;
/** Product types are read for at most this many products (one Admin API call). */
const TYPED_PRODUCTS = 100;

export type Split = { promoters: number; passives: number; detractors: number };
export type Segment = { name: string; responses: number; nps: number | null };

const band = (score: number): keyof Split => (score >= 9 ? "promoters" : score > DETRACTOR_MAX ? "passives" : "detractors");

/** The NPS of a split: a whole number from -100 to 100; null with no answers. */
export function npsOf(split: Split): number | null {
  const total = split.promoters + split.passives + split.detractors;
  return total === 0 ? null : Math.round((100 * (split.promoters - split.detractors)) / total);
}

function splitOf(scores: number[]): Split {
  const split: Split = { promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) split[band(score)]++;
  return split;
}

const segment = (name: string, scores: number[]): Segment => ({ name, responses: scores.length, nps: npsOf(splitOf(scores)) });

/** Each product's type in Shopify; an empty map when Shopify cannot be asked. */
async function productTypes(graphql: AdminGraphql | null, productIds: string[]): Promise<Map<string, string> | null> {
  if (!graphql || productIds.length === 0) return new Map();
  try {
    const cards = await fetchProductCards(graphql, productIds.slice(0, TYPED_PRODUCTS));
    return new Map(cards.map((card) => [card.productId, card.productType || "Other"]));
  } catch {
    return null;
  }
}

export async function npsPage(shop: string, now: Date, graphql: AdminGraphql | null) {
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { timezone: true } });
  const zone = shopRow?.timezone ?? "UTC";
  const weeks = lastWeeks(zone, now, NPS_WEEKS);
  const since = new Date(Math.min(weeks.from.getTime(), now.getTime() - WINDOW_DAYS * 86_400_000));
  const answers = await db.feedback.findMany({
    where: { shop, kind: "nps", score: { not: null }, createdAt: { gte: since } },
    orderBy: { createdAt: "desc" },
    select: { id: true, score: true, comment: true, details: true, createdAt: true, customerId: true, orderId: true },
  });
  const windowStart = now.getTime() - WINDOW_DAYS * 86_400_000;
  const recent = answers.filter((a) => a.createdAt.getTime() >= windowStart);

  // By week: the split and the score.
  const byWeek = weeks.mondays.map((week) => ({ week, scores: [] as number[] }));
  for (const answer of answers) byWeek[weeks.indexOf(answer.createdAt)]?.scores.push(answer.score!);

  // Segments: first or repeat order, and the product types of the order answered about.
  const orderIds = [...new Set(recent.flatMap((a) => (a.orderId ? [a.orderId] : [])))];
  const customerIds = [...new Set(recent.flatMap((a) => (a.customerId ? [a.customerId] : [])))];
  const [orders, items] = await Promise.all([
    db.order.findMany({ where: { shop, customerId: { in: customerIds } }, select: { id: true, customerId: true, processedAt: true } }),
    db.lineItem.findMany({ where: { shop, orderId: { in: orderIds } }, select: { orderId: true, productId: true } }),
  ]);
  const placed = new Map(orders.map((o) => [o.id, o]));
  const earlierOrders = (orderId: string) => {
    const order = placed.get(orderId);
    return order ? orders.filter((o) => o.customerId === order.customerId && o.processedAt < order.processedAt).length : 0;
  };
  const types = await productTypes(graphql, [...new Set(items.flatMap((i) => (i.productId ? [i.productId] : [])))]);
  const typeScores = new Map<string, number[]>();
  for (const answer of recent) {
    const orderTypes = new Set(items.filter((i) => i.orderId === answer.orderId && i.productId).map((i) => types?.get(i.productId!) ?? null));
    for (const type of orderTypes) if (type) typeScores.set(type, [...(typeScores.get(type) ?? []), answer.score!]);
  }
  const withOrder = recent.filter((a) => a.orderId && placed.has(a.orderId));

  // The latest words, and the conversation each detractor's opened.
  const worded = answers.filter((a) => a.comment || a.details).slice(0, COMMENTS);
  const [conversations, people] = await Promise.all([
    db.customerCase.findMany({ where: { shop, feedbackId: { in: worded.map((a) => a.id) } }, select: { id: true, feedbackId: true } }),
    db.customer.findMany({
      where: { shop, id: { in: worded.flatMap((a) => (a.customerId ? [a.customerId] : [])) } },
      select: { id: true, firstName: true, lastName: true },
    }),
  ]);
  const split = splitOf(recent.map((a) => a.score!));
  return {
    nps: npsOf(split),
    responses: recent.length,
    split,
    weeks: byWeek.map((w) => ({ week: w.week, ...splitOf(w.scores), nps: npsOf(splitOf(w.scores)) })),
    segments: {
      customers: [
        segment(
          "First order",
          withOrder.filter((a) => earlierOrders(a.orderId!) === 0).map((a) => a.score!),
        ),
        segment(
          "Repeat customers",
          withOrder.filter((a) => earlierOrders(a.orderId!) > 0).map((a) => a.score!),
        ),
      ],
      productTypes: types === null ? null : [...typeScores.entries()].map(([name, scores]) => segment(name, scores)).sort((a, b) => b.responses - a.responses),
    },
    comments: worded.map((a) => {
      const person = people.find((p) => p.id === a.customerId);
      const details = parseNpsDetails(a.details);
      return {
        id: a.id,
        score: a.score!,
        band: band(a.score!),
        comment: a.comment,
        details: details ? describeNpsDetails(details) : null,
        who: person
          ? [person.firstName, person.lastName?.charAt(0) ? `${person.lastName.charAt(0)}.` : null].filter(Boolean).join(" ") || "A customer"
          : "A customer",
        when: formatShopTime(a.createdAt, zone, "date"),
        conversationId: conversations.find((c) => c.feedbackId === a.id)?.id ?? null,
      };
    }),
  };
}
