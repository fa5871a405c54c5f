// What the storefront widget shows of a product's reviews: published ones only, a page at a
// time, with the rating histogram, replies and photos. Text goes out exactly as stored; the
// widget writes it as text, never as markup.
import db from "~/db.server";
import { appUrl } from "~/modules/appUrl";

export const STOREFRONT_PAGE_SIZE = 10;
export const SORTS = { newest: "newest", highest: "highest", lowest: "lowest", photos: "photos" } as const;
export type Sort = keyof typeof SORTS;

export function parseSort(value: string | null): Sort {
  return value && value in SORTS ? (value as Sort) : "newest";
}

export async function productReviewsPage(shop: string, productId: string, sort: Sort, page: number) {
  const where = { shop, productId, status: "published", ...(sort === "photos" ? { photos: { some: {} } } : {}) };
  const orderBy =
    sort === "highest" ? [{ rating: "desc" as const }, { createdAt: "desc" as const }] : sort === "lowest" ? [{ rating: "asc" as const }, { createdAt: "desc" as const }] : [{ createdAt: "desc" as const }];
  const [rows, histogram] = await Promise.all([
    db.review.findMany({
      where,
      orderBy,
      skip: (page - 1) * STOREFRONT_PAGE_SIZE,
      take: STOREFRONT_PAGE_SIZE,
      select: {
        id: true,
        rating: true,
        title: true,
        body: true,
        authorName: true,
        verified: true,
        reply: true,
        createdAt: true,
        photos: { select: { id: true, width: true, height: true }, orderBy: { position: "asc" } },
      },
    }),
    db.review.groupBy({ by: ["rating"], where: { shop, productId, status: "published" }, _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries([1, 2, 3, 4, 5].map((stars) => [stars, histogram.find((h) => h.rating === stars)?._count._all ?? 0]));
  const count = Object.values(counts).reduce((a, b) => a + b, 0);
  const average = count === 0 ? null : Math.round((histogram.reduce((sum, h) => sum + h.rating * h._count._all, 0) / count) * 100) / 100;
  const filteredCount = sort === "photos" ? await db.review.count({ where }) : count;
  return {
    productId,
    average,
    count,
    histogram: counts,
    sort,
    page,
    pages: Math.max(1, Math.ceil(filteredCount / STOREFRONT_PAGE_SIZE)),
    reviews: rows.map((r) => ({
      id: r.id,
      rating: r.rating,
      title: r.title,
      body: r.body,
      author: r.authorName,
      verified: r.verified,
      date: r.createdAt.toISOString().slice(0, 10),
      reply: r.reply,
      // Photos come straight from the app (not through the proxy), cached for a year.
      photos: r.photos.map((p) => ({ url: `${appUrl()}/review-photos/${p.id}`, width: p.width, height: p.height })),
    })),
  };
}
