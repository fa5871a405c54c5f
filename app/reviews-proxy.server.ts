// GET /proxy/reviews (https://<shop>/apps/aftercare/reviews?product_id=…&sort=…&page=… through
// Shopify's app proxy): one page of a product's published reviews as JSON for the storefront
// widget. Only a request Shopify signed is answered. The production server (server.mjs) calls
// answerReviewsRequest straight from node:http, skipping the Remix router, because every
// storefront visitor who opens the reviews costs one; the proxy.reviews.tsx route calls it too,
// which is what `shopify app dev` serves.
import { now } from "~/modules/clock";
import { parseSort, productReviewsReply } from "~/modules/reviews/storefront";
import type { CachedReply } from "~/modules/storefront/cached-json";
import { verifyProxyRequest } from "~/modules/storefront/proxy";
import { API_SECRET } from "~/shopify.server";

const MAX_PAGE = 1000;

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
  const productId = url.searchParams.get("product_id") ?? "";
  const page = Number(url.searchParams.get("page") ?? 1);
  if (!/^\d{1,20}$/.test(productId) || !Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    return refusal(400, "product_id (digits) and page (1–1000) are required");
  }
  return productReviewsReply(proxy.shop, productId, parseSort(url.searchParams.get("sort")), page, ifNoneMatch);
}
