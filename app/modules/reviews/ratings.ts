// Keeps each product's stars in Shopify in step with its published reviews: a change marks the
// product, the worker writes the aggregate to the standard reviews.rating / reviews.rating_count
// metafields (and the few latest reviews to aftercare.recent_reviews, for structured data), so
// themes show stars with no script and no request to the app. Several workers
// share the work (a lease per product); throttling and outages are retried with growing pauses,
// an error Shopify reports about a product is recorded and retried far less often.
import db, { inParts, join, sql, STATEMENT_VALUES, type Tx } from "~/db.server";
import { claimable, leaseEnd, retryAfter, type Backoff } from "~/modules/jobs/lease";
import { deleteProductRatings, RATINGS_PER_CALL, setProductRatings, type AdminGraphql, type ProductRating } from "~/modules/shopify-admin";
import { offlineGraphql } from "~/modules/shopify-admin/offline";
import { recountProductReviews, summarize } from "./stats";

const LEASE_MS = 2 * 60_000;
const BATCH = 120;
/** 2 s, 4 s, 8 s ... at most an hour between tries. */
const SYNC_BACKOFF: Backoff = { firstMs: 2000, factor: 2, maxMs: 3_600_000 };

/**
 * Records that products' published reviews changed, inside the transaction that changed them:
 * their counts are taken again at once (ProductReviewStats) and their stars synced soon after.
 */
export async function markRatingChanged(tx: Tx | typeof db, shop: string, productIds: string[], now: Date): Promise<void> {
  // Sorted, so transactions marking the same products lock them in the same order.
  const products = [...new Set(productIds)].sort();
  // One statement per part, not an upsert per product: an import marks tens of thousands.
  for (const part of inParts(products, Math.floor(STATEMENT_VALUES / 3))) {
    await tx.$executeRaw`
      INSERT INTO "ProductRatingSync" ("shop", "productId", "changedAt", "attempts")
      VALUES ${join(part.map((productId) => sql`(${shop}, ${productId}, ${now}, 0)`))}
      ON CONFLICT ("shop", "productId") DO UPDATE SET "changedAt" = excluded."changedAt", "attempts" = 0, "retryAt" = NULL, "lastError" = NULL`;
  }
  // Only now: the row locks taken above make a concurrent change of the same product wait
  // (PostgreSQL), so this count sees every change committed before it, and its own.
  await recountProductReviews(tx, shop, products);
}

/** Reviews each product's structured data carries (search engines read a handful). */
const RECENT_FOR_STRUCTURED_DATA = 5;
const STRUCTURED_BODY_CHARS = 500;

async function aggregates(shop: string, productIds: string[]): Promise<Map<string, ProductRating>> {
  const published = { shop, productId: { in: productIds }, status: "published" };
  const [rows, recent] = await Promise.all([
    db.productReviewStats.findMany({ where: { shop, productId: { in: productIds } } }),
    Promise.all(
      productIds.map((productId) =>
        db.review.findMany({
          where: { ...published, productId },
          orderBy: { createdAt: "desc" },
          take: RECENT_FOR_STRUCTURED_DATA,
          select: { authorName: true, rating: true, title: true, body: true, createdAt: true },
        }),
      ),
    ),
  ]);
  const byProduct = new Map(productIds.map((id, i) => [id, recent[i]!]));
  return new Map(
    rows.map((row) => {
      const { count, average } = summarize(row);
      const rating: ProductRating = {
        productId: row.productId,
        average: average ?? 0,
        count,
        recent: (byProduct.get(row.productId) ?? []).map((r) => ({
          author: r.authorName,
          rating: r.rating,
          title: r.title,
          body: r.body.slice(0, STRUCTURED_BODY_CHARS),
          date: r.createdAt.toISOString().slice(0, 10),
        })),
      };
      return [row.productId, rating];
    }),
  );
}

export type RatingSyncReport = { synced: number; retrying: number; failed: number };

/**
 * Syncs what is due, of every shop or only `shop`; `graphqlFor` is the Admin API of a shop
 * (its offline session by default).
 */
export async function syncProductRatings(
  now: Date,
  options: { shop?: string; graphqlFor?: (shop: string) => Promise<AdminGraphql> } = {},
): Promise<RatingSyncReport> {
  const graphqlFor = options.graphqlFor ?? offlineGraphql;
  const report: RatingSyncReport = { synced: 0, retrying: 0, failed: 0 };
  const due = { ...(options.shop ? { shop: options.shop } : {}), ...claimable(now) };
  const candidates = await db.productRatingSync.findMany({ where: due, take: BATCH * 4, orderBy: { changedAt: "asc" } });
  // Only what changed since Shopify was last told (Prisma cannot compare two columns in a filter).
  const changed = candidates.filter((row) => !row.syncedAt || row.syncedAt < row.changedAt).slice(0, BATCH);
  const byShop = new Map<string, typeof changed>();
  for (const row of changed) byShop.set(row.shop, [...(byShop.get(row.shop) ?? []), row]);

  for (const [shop, rows] of byShop) {
    const mine: typeof rows = [];
    for (const row of rows) {
      const claimed = await db.productRatingSync.updateMany({
        where: { shop, productId: row.productId, changedAt: row.changedAt, ...due },
        data: { leaseUntil: leaseEnd(now, LEASE_MS) },
      });
      if (claimed.count === 1) mine.push(row);
    }
    const done = (row: (typeof rows)[number]) =>
      db.productRatingSync.updateMany({
        where: { shop, productId: row.productId },
        data: { syncedAt: row.changedAt, attempts: 0, retryAt: null, lastError: null, leaseUntil: null },
      });
    const retry = (row: (typeof rows)[number], error: string, counts: boolean) =>
      db.productRatingSync.updateMany({
        where: { shop, productId: row.productId },
        data: {
          leaseUntil: null,
          lastError: error.slice(0, 500),
          ...(counts ? { attempts: { increment: 1 }, retryAt: retryAfter(SYNC_BACKOFF, row.attempts + 1, now) } : { retryAt: now }),
        },
      });

    let graphql: AdminGraphql;
    try {
      graphql = await graphqlFor(shop);
    } catch (error) {
      for (const row of mine) await retry(row, `no Admin API access: ${(error as Error).message}`, true);
      report.retrying += mine.length;
      continue;
    }
    const totals = await aggregates(
      shop,
      mine.map((row) => row.productId),
    );
    for (let start = 0; start < mine.length; start += RATINGS_PER_CALL) {
      const chunk = mine.slice(start, start + RATINGS_PER_CALL);
      const rated = chunk.filter((row) => totals.has(row.productId));
      const unrated = chunk.filter((row) => !totals.has(row.productId));
      try {
        const errors =
          rated.length > 0
            ? await setProductRatings(
                graphql,
                rated.map((row) => totals.get(row.productId)!),
              )
            : [];
        if (errors.length > 0) {
          // Nothing of the call was written: the named products wait long, the others go again at once.
          for (const row of rated) {
            const own = errors.filter((e) => e.productId === row.productId || e.productId === null).map((e) => e.message);
            await retry(row, own.join("; ") || "sent again without a product Shopify refused", own.length > 0);
            if (own.length > 0) report.failed++;
          }
        } else {
          for (const row of rated) await done(row);
          report.synced += rated.length;
        }
        if (unrated.length > 0) {
          const deleteErrors = await deleteProductRatings(
            graphql,
            unrated.map((row) => row.productId),
          );
          for (const row of unrated) await (deleteErrors.length > 0 ? retry(row, deleteErrors.join("; "), true) : done(row));
          if (deleteErrors.length === 0) report.synced += unrated.length;
        }
      } catch (error) {
        // Throttled or unreachable: this shop's remaining products wait and are tried again.
        for (const row of mine.slice(start)) await retry(row, (error as Error).message, true);
        report.retrying += mine.length - start;
        break;
      }
    }
  }
  return report;
}
