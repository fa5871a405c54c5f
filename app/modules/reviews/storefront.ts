// What the storefront widget shows of a product's reviews: published ones only, a page at a
// time, with the rating histogram, replies and photos. Text goes out exactly as stored; the
// widget writes it as text, never as markup.
// This is the app's busiest read (every product page view that scrolls to the reviews), so a
// page costs two statements: the product's counts (kept by markRatingChanged) and the page's
// reviews joined with their photos, in SQL that reads the same on SQLite and PostgreSQL.
import db, { empty, sql } from "~/db.server";
import { appUrl } from "~/modules/app-url";
import { cachedJson, type CachedReply } from "~/modules/storefront/cached-json";
import { summarize, type ReviewStats } from "./stats";

export const STOREFRONT_PAGE_SIZE = 10;
export const SORTS = { newest: "newest", highest: "highest", lowest: "lowest", photos: "photos" } as const;
export type Sort = keyof typeof SORTS;

export function parseSort(value: string | null): Sort {
  return value && value in SORTS ? (value as Sort) : "newest";
}

// "newest" and "photos" read the (shop, productId, status, createdAt) index in order and stop
// at the page; the star orders sort the product's published reviews first.
const ORDER = {
  newest: sql`"createdAt" DESC`,
  photos: sql`"createdAt" DESC`,
  highest: sql`"rating" DESC, "createdAt" DESC`,
  lowest: sql`"rating" ASC, "createdAt" DESC`,
} satisfies Record<Sort, unknown>;

type PageRow = {
  id: string;
  rating: number;
  title: string | null;
  body: string;
  authorName: string;
  verified: boolean;
  reply: string | null;
  createdAt: Date;
  photoId: string | null;
  width: number | null;
  height: number | null;
};

export async function productReviewsPage(shop: string, productId: string, sort: Sort, page: number) {
  const withPhotos = sort === "photos" ? sql`AND EXISTS (SELECT 1 FROM "ReviewPhoto" p WHERE p."reviewId" = r."id")` : empty;
  const [[stats], rows] = await Promise.all([
    // Raw like the page: Prisma's query compiler costs more than this lookup itself.
    db.$queryRaw<ReviewStats[]>`
      SELECT "stars1", "stars2", "stars3", "stars4", "stars5", "withPhotos"
      FROM "ProductReviewStats" WHERE "shop" = ${shop} AND "productId" = ${productId}`,
    // The page first, then its photos joined on (ordered again: a join keeps no order).
    db.$queryRaw<PageRow[]>`
      SELECT r."id", r."rating", r."title", r."body", r."authorName", r."verified", r."reply", r."createdAt",
        p."id" AS "photoId", p."width", p."height"
      FROM (
        SELECT r."id", r."rating", r."title", r."body", r."authorName", r."verified", r."reply", r."createdAt"
        FROM "Review" r
        WHERE r."shop" = ${shop} AND r."productId" = ${productId} AND r."status" = 'published' ${withPhotos}
        ORDER BY ${ORDER[sort]}
        LIMIT ${STOREFRONT_PAGE_SIZE} OFFSET ${(page - 1) * STOREFRONT_PAGE_SIZE}
      ) r
      LEFT JOIN "ReviewPhoto" p ON p."reviewId" = r."id"
      ORDER BY ${ORDER[sort]}, r."id", p."position"`,
  ]);
  const { count, average, histogram } = summarize(stats ?? null);
  const listed = sort === "photos" ? (stats?.withPhotos ?? 0) : count;
  const reviews = new Map<string, ReturnType<typeof storefrontReview>>();
  for (const row of rows) {
    const review = reviews.get(row.id) ?? reviews.set(row.id, storefrontReview(row)).get(row.id)!;
    // Photos come straight from the app (not through the proxy), cached for a year.
    if (row.photoId) review.photos.push({ url: `${appUrl()}/review-photos/${row.photoId}`, width: row.width!, height: row.height! });
  }
  return {
    productId,
    average,
    count,
    histogram,
    sort,
    page,
    pages: Math.max(1, Math.ceil(listed / STOREFRONT_PAGE_SIZE)),
    reviews: [...reviews.values()],
  };
}

function storefrontReview(row: PageRow) {
  return {
    id: row.id,
    rating: row.rating,
    title: row.title,
    body: row.body,
    author: row.authorName,
    verified: row.verified,
    date: row.createdAt.toISOString().slice(0, 10),
    reply: row.reply,
    photos: [] as { url: string; width: number; height: number }[],
  };
}

/** The page as the proxy sends it (`ifNoneMatch`: the request's If-None-Match). */
export async function productReviewsReply(shop: string, productId: string, sort: Sort, page: number, ifNoneMatch: string | null): Promise<CachedReply> {
  return cachedJson(await productReviewsPage(shop, productId, sort, page), ifNoneMatch);
}
