// GET /proxy/reviews (https://<shop>/apps/aftercare/reviews?product_id=…&sort=…&page=… through
// Shopify's app proxy): one page of a product's published reviews as JSON for the storefront
// widget. Only a request Shopify signed is answered. The production server (server/http.ts) calls
// answerReviewsRequest straight from node:http, skipping the Remix router, because every
// storefront visitor who opens the reviews costs one; the proxy.reviews.tsx route calls it too,
// which is what `shopify app dev` serves.
import { checkProxyRequest, type ProxyRefusal } from "~/edge/proxy";
import { parseSort, productReviewsReply } from "~/modules/reviews/storefront";
import type { CachedReply } from "~/modules/storefront/cached-json";
import { PAGE_QUERY_ERROR, productPageQuery } from "~/modules/storefront/proxy";

export type ReviewsReply = CachedReply | ProxyRefusal | { status: 400; headers: Record<string, string>; body: string };

/** `url`: the request's URL (its query is what Shopify signed); `ifNoneMatch`: its If-None-Match header. */
export async function answerReviewsRequest(url: URL, ifNoneMatch: string | null): Promise<ReviewsReply> {
  const proxy = checkProxyRequest(url);
  if ("status" in proxy) return proxy;
  const wanted = productPageQuery(url.searchParams);
  if (!wanted) return { status: 400, headers: { "Content-Type": "application/json; charset=utf-8" }, body: JSON.stringify({ error: PAGE_QUERY_ERROR }) };
  return productReviewsReply(proxy.shop, wanted.productId, parseSort(url.searchParams.get("sort")), wanted.page, ifNoneMatch);
}
