// How long a product lasts, for re-order reminders. Three sources, strongest first: the
// customer's own choice from a reminder ("remind me in 4 weeks", or never), the merchant's
// number for the product, and the median re-purchase interval the worker learns from the
// store's own orders once enough customers have bought the product again.
import db, { join, sql, type TxStatements } from "~/db.server";
import { DAY } from "~/modules/messaging/timing";

/** A learned interval needs this many customers who bought the product again. */
export const MIN_REBUYERS = 3;
/** Purchases closer than this are one purchase (a split order, a forgotten item). */
const SAME_PURCHASE_MS = 2 * DAY;
const LEARN_EVERY_MS = DAY;
export const INTERVAL_BOUNDS = { min: 7, max: 365 };

export type Interval = { days: number; source: "customer" | "merchant" | "learned" };

/** Each product's interval for this customer; a product they said "never" to, or with no interval, is absent. */
export async function replenishmentIntervals(
  statements: TxStatements,
  shop: string,
  customerId: string | null,
  productIds: string[],
): Promise<Map<string, Interval>> {
  if (productIds.length === 0) return new Map();
  const ids = join(productIds);
  const products = await statements.query<{ productId: string; merchantDays: number | null; learnedDays: number | null }>(
    sql`SELECT "productId", "merchantDays", "learnedDays" FROM "ProductReplenishment" WHERE "shop" = ${shop} AND "productId" IN (${ids})`,
  );
  const choices = customerId
    ? await statements.query<{ productId: string; days: number | null }>(
        sql`SELECT "productId", "days" FROM "ReorderChoice" WHERE "shop" = ${shop} AND "customerId" = ${customerId} AND "productId" IN (${ids})`,
      )
    : [];
  const chosen = new Map(choices.map((c) => [c.productId, c.days]));
  const intervals = new Map<string, Interval>();
  for (const productId of productIds) {
    if (chosen.has(productId)) {
      const days = chosen.get(productId);
      if (days != null) intervals.set(productId, { days, source: "customer" });
      continue;
    }
    const product = products.find((p) => p.productId === productId);
    if (product?.merchantDays != null) intervals.set(productId, { days: product.merchantDays, source: "merchant" });
    else if (product?.learnedDays != null) intervals.set(productId, { days: product.learnedDays, source: "learned" });
  }
  return intervals;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Recomputes every product's learned interval from the shop's orders: for each customer, the
 * days between consecutive purchases of the product; the median over all of them, once at
 * least MIN_REBUYERS customers bought it again.
 */
export async function learnIntervals(shop: string): Promise<number> {
  const lines = await db.lineItem.findMany({
    where: { shop, productId: { not: null }, order: { customerId: { not: null }, cancelledAt: null } },
    select: { productId: true, title: true, order: { select: { customerId: true, processedAt: true } } },
  });
  const byProduct = new Map<string, { title: string; purchases: Map<string, number[]> }>();
  for (const line of lines) {
    const product = byProduct.get(line.productId!) ?? { title: line.title, purchases: new Map() };
    byProduct.set(line.productId!, product);
    const times = product.purchases.get(line.order.customerId!) ?? [];
    times.push(line.order.processedAt.getTime());
    product.purchases.set(line.order.customerId!, times);
  }
  const known = new Map((await db.productReplenishment.findMany({ where: { shop } })).map((p) => [p.productId, p]));
  let learned = 0;
  for (const [productId, { title, purchases }] of byProduct) {
    const gaps: number[] = [];
    let rebuyers = 0;
    for (const times of purchases.values()) {
      times.sort((a, b) => a - b);
      let last = times[0]!;
      let rebought = false;
      for (const time of times.slice(1)) {
        if (time - last < SAME_PURCHASE_MS) continue;
        gaps.push((time - last) / DAY);
        last = time;
        rebought = true;
      }
      if (rebought) rebuyers++;
    }
    const learnedDays = rebuyers >= MIN_REBUYERS ? Math.round(median(gaps)) : null;
    if (learnedDays !== null) learned++;
    const current = known.get(productId);
    if (current && current.learnedDays === learnedDays && current.learnedFrom === rebuyers && current.title === title) continue;
    await db.productReplenishment.upsert({
      where: { shop_productId: { shop, productId } },
      create: { shop, productId, title, learnedDays, learnedFrom: rebuyers },
      update: { title, learnedDays, learnedFrom: rebuyers },
    });
  }
  return learned;
}

/**
 * Learns the intervals of every installed shop (or only `options.shop`) not learned in the last
 * day. Each shop is claimed by a conditional update, so of several workers only one learns it.
 */
export async function learnDueIntervals(now: Date, options: { shop?: string } = {}): Promise<number> {
  const due = {
    ...(options.shop ? { shop: options.shop } : {}),
    uninstalledAt: null,
    OR: [{ replenishmentLearnedAt: null }, { replenishmentLearnedAt: { lt: new Date(now.getTime() - LEARN_EVERY_MS) } }],
  };
  const shops = await db.shop.findMany({ where: { ...due, installedAt: { not: null } }, select: { shop: true } });
  let learned = 0;
  for (const { shop } of shops) {
    const claimed = await db.shop.updateMany({ where: { shop, ...due }, data: { replenishmentLearnedAt: now } });
    if (claimed.count === 1) {
      await learnIntervals(shop);
      learned++;
    }
  }
  return learned;
}

/**
 * The products the merchant can set an interval for: every product ordered, and those they
 * picked before any order, with both numbers.
 */
export async function replenishmentTable(shop: string) {
  const [ordered, rows] = await Promise.all([
    db.lineItem.groupBy({ by: ["productId"], where: { shop, productId: { not: null } }, _count: { _all: true }, _max: { title: true } }),
    db.productReplenishment.findMany({ where: { shop } }),
  ]);
  const orders = new Map(ordered.map((o) => [o.productId!, o]));
  const byId = new Map(rows.map((r) => [r.productId, r]));
  return [...new Set([...orders.keys(), ...byId.keys()])]
    .map((productId) => {
      const row = byId.get(productId);
      const sold = orders.get(productId);
      return {
        productId,
        title: row?.title ?? sold?._max.title ?? productId,
        orderedTimes: sold?._count._all ?? 0,
        merchantDays: row?.merchantDays ?? null,
        learnedDays: row?.learnedDays ?? null,
        learnedFrom: row?.learnedFrom ?? 0,
      };
    })
    .sort((a, b) => b.orderedTimes - a.orderedTimes || a.title.localeCompare(b.title));
}

/** Problems with the merchant's intervals (blank = not set), in words they can act on. */
export function intervalErrors(values: Record<string, string>): string[] {
  const errors: string[] = [];
  for (const [productId, raw] of Object.entries(values)) {
    if (raw.trim() === "") continue;
    const days = Number(raw);
    if (!Number.isInteger(days) || days < INTERVAL_BOUNDS.min || days > INTERVAL_BOUNDS.max) {
      errors.push(`Product ${productId}: a re-order interval must be ${INTERVAL_BOUNDS.min}–${INTERVAL_BOUNDS.max} days, or blank.`);
    }
  }
  return errors;
}

/**
 * Saves valid merchant intervals (blank clears one). A product not ordered yet needs its
 * title from `picked` (the product picker); one with neither is ignored.
 */
export async function saveMerchantIntervals(shop: string, values: Record<string, string>, picked: Record<string, string> = {}): Promise<void> {
  const titles = new Map([...Object.entries(picked), ...(await replenishmentTable(shop)).map((p) => [p.productId, p.title] as const)]);
  await db.$transaction(async (tx) => {
    for (const [productId, raw] of Object.entries(values)) {
      const title = titles.get(productId);
      if (!title) continue;
      const merchantDays = raw.trim() === "" ? null : Number(raw);
      await tx.productReplenishment.upsert({
        where: { shop_productId: { shop, productId } },
        create: { shop, productId, title, merchantDays },
        update: { merchantDays },
      });
    }
  });
}
