// Each flow's own content at send time: which items a review request asks about, which
// products a re-order reminder still covers, what goes well with an order, what could
// replace a returned product. A flow with nothing worth saying is suppressed, with the reason.
import type { LineItem, Order, Shop } from "@prisma/client";
import db from "~/db.server";
import { formatMoney } from "~/format";
import { toMinorUnits } from "~/modules/intake/payloads";
import type { DueMessage } from "~/modules/messaging/dispatch";
import { fetchProductCards, searchProducts, searchValue, type ProductCard } from "~/modules/shopify-admin";
import { offlineGraphql } from "~/modules/shopify-admin/offline";
import type { LinkMaker } from "~/modules/messaging/links";
import { messageKey } from "./schedule";
import { DAY } from "~/modules/messaging/timing";
import type { FlowId } from "./flows";
import type { FollowupSettings } from "./settings";

export type FlowContext = {
  message: DueMessage;
  now: Date;
  shop: Shop;
  settings: FollowupSettings;
  order: Order & { lineItems: LineItem[] };
  customerId: string | null;
  to: string;
  link: LinkMaker;
  /** The products a review request asked this address about within 12 months (loaded for first review requests only). */
  askedToReview: Set<string>;
};

/** What the content builders read of a line item (a sample order has no more). */
export type OrderLine = Pick<LineItem, "productId" | "variantId" | "title" | "variantTitle" | "quantity" | "priceMinor">;

export type FlowContent =
  | { kind: "content"; scope: Record<string, unknown>; links: Record<string, unknown>; productIds: string[] }
  | { kind: "skip"; status: "cancelled" | "suppressed"; reason: string }
  | { kind: "later"; dueAt: Date; reason: string };

const REVIEW_ITEMS = 3;
const REVIEW_ASK_AGAIN_AFTER_MS = 365 * DAY;
/** How many products a suggestion email shows. */
export const RECOMMENDED = 3;
/** Weeks a customer can choose between on a re-order reminder; 0 stands for "never". */
export const REMIND_AGAIN_WEEKS = [2, 4, 8] as const;

const nothing: FlowContent = { kind: "content", scope: {}, links: {}, productIds: [] };
const distinct = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => Boolean(id)))];

const REVIEW_REMINDER_AFTER_MS = 5 * DAY;

/** The items a review request asks about: up to three of the order's products, highest-priced first, less those asked about before. */
export function reviewItems(lineItems: OrderLine[], askedBefore: Set<string>, link: LinkMaker) {
  const candidates = [...lineItems].filter((item) => item.productId && !askedBefore.has(item.productId)).sort((a, b) => b.priceMinor - a.priceMinor);
  const seen = new Set<string>();
  const chosen = candidates.filter((item) => !seen.has(item.productId!) && seen.add(item.productId!)).slice(0, REVIEW_ITEMS);
  return {
    productIds: chosen.map((item) => item.productId!),
    items: chosen.map((item) => ({
      title: item.title,
      variant: item.variantTitle,
      links: [1, 2, 3, 4, 5].map((rating) => link("review", "review", `?product=${item.productId}&rating=${rating}`)),
    })),
  };
}

async function reviewRequest(context: FlowContext): Promise<FlowContent> {
  return context.message.step === 0 ? firstReviewRequest(context) : reviewReminder(context);
}

/** Five days after the request went, if nothing of the order was reviewed: the same items, once. */
async function reviewReminder({ message, order, now, link }: FlowContext): Promise<FlowContent> {
  const first = await db.message.findUnique({ where: { shop_key: { shop: message.shop, key: messageKey(order.id, "review_request", 0) } } });
  if (!first || !["sent", "outbox", "scheduled"].includes(first.status))
    return { kind: "skip", status: "cancelled", reason: "the review request itself was not sent" };
  const remindAt = new Date((first.sentAt ?? first.dueAt).getTime() + REVIEW_REMINDER_AFTER_MS);
  if (!first.sentAt || remindAt > now) return { kind: "later", dueAt: remindAt, reason: "five days after the review request" };
  // The reminder reads the Review table itself rather than calling into reviews/: follow-ups ask, reviews/ keeps what was written.
  if ((await db.review.count({ where: { shop: message.shop, orderId: order.id } })) > 0)
    return { kind: "skip", status: "cancelled", reason: "reviewed already" };
  const asked = new Set(JSON.parse(first.productIds) as string[]);
  const { items, productIds } = reviewItems(
    order.lineItems.filter((item) => item.productId && asked.has(item.productId)),
    new Set(),
    link,
  );
  if (items.length === 0) return { kind: "skip", status: "cancelled", reason: "nothing left to ask about" };
  return { kind: "content", scope: { review_items: items }, links: {}, productIds };
}

/** For each of these addresses (normalized), the products review requests asked it about within 12 months: one query for a batch. */
export async function productsAskedToReview(shop: string, addresses: string[], now: Date): Promise<Map<string, Set<string>>> {
  const asked = new Map<string, Set<string>>();
  if (addresses.length === 0) return asked;
  const sent = await db.message.findMany({
    where: { shop, flow: "review_request", toAddress: { in: [...new Set(addresses)] }, sentAt: { gte: new Date(now.getTime() - REVIEW_ASK_AGAIN_AFTER_MS) } },
    select: { toAddress: true, productIds: true },
  });
  for (const { toAddress, productIds } of sent) {
    const products = asked.get(toAddress!) ?? asked.set(toAddress!, new Set()).get(toAddress!)!;
    for (const id of JSON.parse(productIds) as string[]) products.add(id);
  }
  return asked;
}

async function firstReviewRequest({ order, link, askedToReview }: FlowContext): Promise<FlowContent> {
  const { items, productIds } = reviewItems(order.lineItems, askedToReview, link);
  if (items.length === 0) return { kind: "skip", status: "suppressed", reason: "already asked about every item within 12 months" };
  return { kind: "content", scope: { review_items: items }, links: {}, productIds };
}

/**
 * A re-order reminder covers the products planned when it was scheduled, less those the
 * customer bought again since, said "never" to, or set their own reminder for afterwards.
 */
async function reorder({ message, order, customerId, shop, now, link }: FlowContext): Promise<FlowContent> {
  const row = await db.message.findUnique({ where: { id: message.id }, select: { productIds: true, key: true, createdAt: true } });
  const planned = JSON.parse(row?.productIds ?? "[]") as string[];
  const ownReminder = row?.key.startsWith("choice:") ?? false;
  const [choices, boughtAgain] = customerId
    ? await Promise.all([
        db.reorderChoice.findMany({ where: { shop: shop.shop, customerId, productId: { in: planned } } }),
        db.lineItem.findMany({
          where: { shop: shop.shop, productId: { in: planned }, order: { customerId, cancelledAt: null, processedAt: { gt: order.processedAt } } },
          select: { productId: true },
        }),
      ])
    : [[], []];
  const again = new Set(boughtAgain.map((line) => line.productId));
  const declined = new Set(choices.filter((c) => c.days === null || (!ownReminder && row && c.at > row.createdAt)).map((c) => c.productId));
  const productIds = planned.filter((id) => !again.has(id) && !declined.has(id));
  if (productIds.length === 0) {
    const reason = planned.some((id) => again.has(id)) ? "re-ordered already" : "the customer chose their own reminder, or none";
    return { kind: "skip", status: "cancelled", reason };
  }
  const lines = order.lineItems.filter((item) => item.productId && productIds.includes(item.productId));
  const weeksSince = Math.max(1, Math.round((now.getTime() - order.processedAt.getTime()) / (7 * DAY)));
  return { kind: "content", ...reorderContent(shop.shop, lines, weeksSince, link), productIds };
}

/** A re-order reminder's scope for these lines: each product with its "remind me" links, and a cart with them all. */
export function reorderContent(shop: string, lines: OrderLine[], weeksSince: number, link: LinkMaker) {
  const quantities = new Map<string, number>();
  for (const line of lines) if (line.variantId) quantities.set(line.variantId, (quantities.get(line.variantId) ?? 0) + line.quantity);
  // Shopify's cart permalink: the store's cart with these variants and quantities, ready to check out.
  const cart = `https://${shop}/cart/${[...quantities].map(([variant, quantity]) => `${variant}:${quantity}`).join(",")}`;
  const remindLinks = (productId: string) => ({
    ...Object.fromEntries(REMIND_AGAIN_WEEKS.map((weeks) => [`weeks_${weeks}`, link("reorder", "reorder", `?product=${productId}&weeks=${weeks}`)])),
    never: link("reorder", "reorder", `?product=${productId}&weeks=never`),
    choose: link("reorder", "reorder", `?product=${productId}`),
  });
  return {
    scope: {
      reorder: { weeks_since: weeksSince },
      reorder_items: distinct(lines.map((l) => l.productId)).map((productId) => {
        const line = lines.find((l) => l.productId === productId)!;
        return { title: line.title, variant: line.variantTitle, quantity: line.quantity, remind: remindLinks(productId) };
      }),
    },
    links: { reorder_cart: quantities.size > 0 ? cart : "" },
  };
}

/** Every product this customer has bought (only this order's, for a guest). */
async function ownedProducts(shop: string, order: FlowContext["order"], customerId: string | null): Promise<Set<string>> {
  const owned = new Set(distinct(order.lineItems.map((item) => item.productId)));
  if (customerId) {
    const lines = await db.lineItem.findMany({ where: { shop, order: { customerId } }, select: { productId: true }, distinct: ["productId"] });
    for (const line of lines) if (line.productId) owned.add(line.productId);
  }
  return owned;
}

function cardScope(card: ProductCard) {
  const { amount, currencyCode } = card.price;
  return {
    title: card.title,
    url: card.url,
    image: card.imageUrl,
    image_alt: card.imageAlt,
    price: formatMoney(toMinorUnits(amount, currencyCode), currencyCode),
  };
}

/** Shopify's product data could not be read now (throttled, down, no session): worth another try. */
export class ProductDataUnavailable extends Error {}

/** Runs Admin API reads for `shop`; any failure of theirs becomes ProductDataUnavailable. */
async function withCatalogue<T>(shop: string, read: (graphql: Awaited<ReturnType<typeof offlineGraphql>>) => Promise<T>): Promise<T> {
  try {
    return await read(await offlineGraphql(shop));
  } catch (error) {
    throw new ProductDataUnavailable((error as Error).message);
  }
}

/** The first few of `candidates` that can be bought now, in their order. */
async function buyable(shop: string, candidates: string[]): Promise<ProductCard[]> {
  const cards = await withCatalogue(shop, (graphql) => fetchProductCards(graphql, candidates));
  return candidates
    .map((id) => cards.find((card) => card.productId === id))
    .filter((card): card is ProductCard => Boolean(card?.buyable))
    .slice(0, RECOMMENDED);
}

/** How many orders had each other product together with any of `mine` (most recent orders, bounded). */
async function boughtTogether(shop: string, mine: string[], exclude: Set<string>): Promise<string[]> {
  const ORDERS_LOOKED_AT = 5000;
  const orders = await db.lineItem.findMany({
    where: { shop, productId: { in: mine } },
    select: { orderId: true },
    distinct: ["orderId"],
    orderBy: { orderId: "desc" },
    take: ORDERS_LOOKED_AT,
  });
  const lines = await db.lineItem.findMany({
    where: { shop, orderId: { in: orders.map((o) => o.orderId) }, productId: { notIn: [...exclude] } },
    select: { productId: true, orderId: true },
  });
  const together = new Map<string, Set<string>>();
  for (const line of lines) {
    if (!line.productId) continue;
    const seenIn = together.get(line.productId) ?? new Set<string>();
    together.set(line.productId, seenIn.add(line.orderId));
  }
  return [...together.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).map(([productId]) => productId);
}

/**
 * Products bought in the same orders as this order's products, most often first, less what
 * the customer owns; then the merchant's own picks. Only what can be bought now is shown.
 */
async function goesWith({ shop, order, customerId, settings }: FlowContext): Promise<FlowContent> {
  const mine = distinct(order.lineItems.map((item) => item.productId));
  const owned = await ownedProducts(shop.shop, order, customerId);
  const together = (await boughtTogether(shop.shop, mine, owned)).slice(0, 10);
  const candidates = distinct([...together, ...settings.recommendations]).filter((id) => !owned.has(id));
  if (candidates.length === 0)
    return { kind: "skip", status: "suppressed", reason: "nothing to suggest yet: no products bought together with these, and no picks of yours" };
  const cards = await buyable(shop.shop, candidates);
  if (cards.length === 0) return { kind: "skip", status: "suppressed", reason: "none of the products to suggest can be bought right now" };
  return { kind: "content", scope: { products: cards.map(cardScope) }, links: {}, productIds: cards.map((card) => card.productId) };
}

/** In-stock products of the same type or maker as what was sent back, less what they own. */
async function afterReturn({ shop, order, customerId }: FlowContext): Promise<FlowContent> {
  const refunds = await db.refund.findMany({ where: { shop: shop.shop, orderId: order.id }, select: { lineItems: true } });
  const returnedLines = new Set(
    refunds.flatMap((refund) =>
      (JSON.parse(refund.lineItems) as { lineItemId: string; restockType: string | null }[]).filter((i) => i.restockType === "return").map((i) => i.lineItemId),
    ),
  );
  const returned = order.lineItems.filter((item) => returnedLines.has(item.id) && item.productId);
  if (returned.length === 0) return { kind: "skip", status: "suppressed", reason: "no returned product to suggest alternatives to" };
  const { originals, found } = await withCatalogue(shop.shop, async (graphql) => {
    const originals = await fetchProductCards(graphql, distinct(returned.map((item) => item.productId)));
    const terms = distinct(
      originals.flatMap((p) => [p.productType ? `product_type:${searchValue(p.productType)}` : null, p.vendor ? `vendor:${searchValue(p.vendor)}` : null]),
    );
    const found = terms.length > 0 ? await searchProducts(graphql, `(${terms.join(" OR ")}) AND status:active AND inventory_total:>0`, 12) : [];
    return { originals, found };
  });
  const owned = await ownedProducts(shop.shop, order, customerId);
  // The same kind of thing first; the same maker's other products after.
  const types = new Set(originals.map((p) => p.productType).filter(Boolean));
  const cards = found
    .filter((card) => card.buyable && !owned.has(card.productId))
    .sort((a, b) => Number(types.has(b.productType)) - Number(types.has(a.productType)))
    .slice(0, RECOMMENDED);
  if (cards.length === 0) return { kind: "skip", status: "suppressed", reason: "no alternative in stock" };
  return {
    kind: "content",
    scope: { returned: { title: returned[0]!.title }, products: cards.map(cardScope) },
    links: {},
    productIds: cards.map((card) => card.productId),
  };
}

export const flowContent: Record<FlowId, (context: FlowContext) => Promise<FlowContent>> = {
  thank_you: async () => nothing,
  delivery_checkin: async () => nothing,
  nps: async () => nothing,
  review_request: reviewRequest,
  reorder,
  goes_with: goesWith,
  after_return: afterReturn,
};
