// The merchant's side of reviews: the list with its filters, publishing and hiding (one or
// many at once), and the public reply shown under a review. Every change to what is published
// marks the products whose stars in Shopify must follow; a first publication records its reward.
import db, { inParts } from "~/db.server";
import { REPLY_LIMIT } from "./limits";
import { markRatingChanged } from "./ratings";
import { FIRST_PUBLISHED_FIELDS, recordRewards } from "./rewards";

export const REVIEW_STATUSES = ["pending", "published", "hidden"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEWS_PAGE_SIZE = 25;

export type ReviewFilters = {
  status: ReviewStatus | null;
  rating: number | null;
  productId: string | null;
  verified: boolean | null;
  withPhotos: boolean;
  page: number;
};

/** Filters from a query string; anything unknown is no filter. */
export function parseReviewFilters(query: URLSearchParams): ReviewFilters {
  const status = query.get("status");
  const rating = Number(query.get("rating"));
  const verified = query.get("verified");
  return {
    status: (REVIEW_STATUSES as readonly string[]).includes(status ?? "") ? (status as ReviewStatus) : null,
    rating: Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null,
    productId: /^\d+$/.test(query.get("product") ?? "") ? query.get("product") : null,
    verified: verified === "yes" ? true : verified === "no" ? false : null,
    withPhotos: query.get("photos") === "yes",
    page: Math.max(1, Number(query.get("page")) || 1),
  };
}

/** The products a list can be filtered by, by title (from a groupBy of productId with its title). */
export function productChoices(groups: { productId: string; _max: { productTitle: string | null } }[]) {
  return groups.map((g) => ({ id: g.productId, title: g._max.productTitle ?? g.productId })).sort((a, b) => a.title.localeCompare(b.title));
}

export async function listReviews(shop: string, filters: ReviewFilters) {
  const where = {
    shop,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.rating ? { rating: filters.rating } : {}),
    ...(filters.productId ? { productId: filters.productId } : {}),
    ...(filters.verified !== null ? { verified: filters.verified } : {}),
    ...(filters.withPhotos ? { photos: { some: {} } } : {}),
  };
  const [rows, total, waiting, products] = await Promise.all([
    db.review.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (filters.page - 1) * REVIEWS_PAGE_SIZE,
      take: REVIEWS_PAGE_SIZE,
      select: {
        id: true,
        productId: true,
        productTitle: true,
        rating: true,
        title: true,
        body: true,
        authorName: true,
        verified: true,
        status: true,
        reply: true,
        createdAt: true,
        photos: { select: { id: true }, orderBy: { position: "asc" } },
      },
    }),
    db.review.count({ where }),
    db.review.count({ where: { shop, status: "pending" } }),
    db.review.groupBy({ by: ["productId"], where: { shop }, _max: { productTitle: true }, orderBy: { productId: "asc" } }),
  ]);
  return {
    rows,
    total,
    waiting,
    page: filters.page,
    products: productChoices(products),
  };
}

/**
 * Publishes or hides these reviews of the shop; returns how many changed. A review published
 * for the first time may earn its writer a reward: the publishedAt guard makes that once, even
 * when two requests publish it at the same moment.
 */
export async function setReviewStatus(shop: string, ids: string[], status: "published" | "hidden", now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const firstPublished = [];
    const changedAgain = [];
    for (const part of inParts(ids)) {
      if (status === "published") {
        firstPublished.push(
          ...(await tx.review.updateManyAndReturn({
            where: { shop, id: { in: part }, status: { not: status }, publishedAt: null },
            data: { status, publishedAt: now },
            select: FIRST_PUBLISHED_FIELDS,
          })),
        );
      }
      changedAgain.push(
        ...(await tx.review.updateManyAndReturn({
          where: { shop, id: { in: part }, status: { not: status } },
          data: { status, ...(status === "published" ? { publishedAt: now } : {}) },
          select: { productId: true },
        })),
      );
    }
    const changed = [...firstPublished, ...changedAgain];
    if (changed.length === 0) return 0;
    await markRatingChanged(
      tx,
      shop,
      changed.map((r) => r.productId),
      now,
    );
    await recordRewards(tx, shop, firstPublished, now);
    return changed.length;
  });
}

/** Sets (or, with blank text, removes) the store's public reply; false if the review is not the shop's. */
export async function replyToReview(shop: string, id: string, text: string, now: Date): Promise<boolean> {
  const reply = text.trim().slice(0, REPLY_LIMIT);
  const updated = await db.review.updateMany({ where: { shop, id }, data: reply ? { reply, repliedAt: now } : { reply: null, repliedAt: null } });
  return updated.count === 1;
}

export function findReview(shop: string, id: string) {
  return db.review.findFirst({ where: { shop, id }, include: { photos: { select: { id: true, width: true, height: true }, orderBy: { position: "asc" } } } });
}
