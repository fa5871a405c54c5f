// GET /proxy/reviews (https://<shop>/apps/aftercare/reviews?product_id=…&sort=…&page=… through
// Shopify's app proxy): one page of a product's published reviews as JSON for the storefront
// widget. Only a request Shopify signed is answered. The production server (server.mjs) calls
// answerReviewsRequest straight from node:http, skipping the Remix router, because every
// storefront visitor who opens the reviews costs one; the proxy.reviews.tsx route calls it too,
// which is what `shopify app dev` serves.
import { now } from "~/modules/clock";
import { parseSort, productReviewsReply } from "~/modules/reviews/storefront";
import type { CachedReply } from "~/modules/storefront/cached-json";
import { PAGE_QUERY_ERROR, productPageQuery, verifyProxyRequest } from "~/modules/storefront/proxy";
import { API_SECRET } from "~/shopify.server";

export type ReviewsReply = CachedReply | { status: 400 | 401; headers: Record<string, string>; body: string };

const refusal = (status: 400 | 401, error: string): ReviewsReply => ({
  status,
  headers: { "Content-Type": "application/json; charset=utf-8" },
  body: JSON.stringify({ error }),
});

/** `url`: the request's URL (its query is what Shopify signed); `ifNoneMatch`: its If-None-Match header. */
export async function answerReviewsRequest(url: URL, ifNoneMatch: string | null): Promise<ReviewsReply> {
  const proxy = verifyProxyRequest(url, API_SECRET, now());
  if (!proxy) return refusal(401, "not a signed app proxy request");
  const wanted = productPageQuery(url.searchParams);
  if (!wanted) return refusal(400, PAGE_QUERY_ERROR);
  return productReviewsReply(proxy.shop, wanted.productId, parseSort(url.searchParams.get("sort")), wanted.page, ifNoneMatch);
}
