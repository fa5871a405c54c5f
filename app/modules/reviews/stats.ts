// Each product's published reviews counted by stars (ProductReviewStats), so the storefront list
// and the star sync read one row instead of counting a product's reviews on every request.
// markRatingChanged recounts a product in the same transaction as every change to its
// published reviews; a product without published reviews has no row.
import db, { inParts, join, type Tx } from "~/db.server";

export type ReviewStats = { stars1: number; stars2: number; stars3: number; stars4: number; stars5: number; withPhotos: number };
export type ReviewSummary = { count: number; average: number | null; histogram: Record<1 | 2 | 3 | 4 | 5, number> };

/** Counts these products' published reviews again, from the reviews themselves. */
export async function recountProductReviews(tx: Tx | typeof db, shop: string, productIds: string[]): Promise<void> {
  for (const chunk of inParts(productIds)) {
    await tx.productReviewStats.deleteMany({ where: { shop, productId: { in: chunk } } });
    // The same statement on SQLite and PostgreSQL (the migration that added the table ran it for all reviews).
    await tx.$executeRaw`
      INSERT INTO "ProductReviewStats" ("shop", "productId", "stars1", "stars2", "stars3", "stars4", "stars5", "withPhotos")
      SELECT r."shop", r."productId",
        SUM(CASE WHEN r."rating" = 1 THEN 1 ELSE 0 END),
        SUM(CASE WHEN r."rating" = 2 THEN 1 ELSE 0 END),
        SUM(CASE WHEN r."rating" = 3 THEN 1 ELSE 0 END),
        SUM(CASE WHEN r."rating" = 4 THEN 1 ELSE 0 END),
        SUM(CASE WHEN r."rating" = 5 THEN 1 ELSE 0 END),
        SUM(CASE WHEN EXISTS (SELECT 1 FROM "ReviewPhoto" p WHERE p."reviewId" = r."id") THEN 1 ELSE 0 END)
      FROM "Review" r
      WHERE r."shop" = ${shop} AND r."productId" IN (${join(chunk)}) AND r."status" = 'published'
      GROUP BY r."shop", r."productId"`;
  }
}

/** Count, average (two decimals) and histogram of a product's published reviews. */
export function summarize(stats: ReviewStats | null): ReviewSummary {
  const histogram = { 1: stats?.stars1 ?? 0, 2: stats?.stars2 ?? 0, 3: stats?.stars3 ?? 0, 4: stats?.stars4 ?? 0, 5: stats?.stars5 ?? 0 };
  const count = histogram[1] + histogram[2] + histogram[3] + histogram[4] + histogram[5];
  const stars = histogram[1] + 2 * histogram[2] + 3 * histogram[3] + 4 * histogram[4] + 5 * histogram[5];
  return { count, average: count === 0 ? null : Math.round((stars / count) * 100) / 100, histogram };
}
