// GET https://<shop>/apps/aftercare/reviews?product_id=…&sort=…&page=… through Shopify's app
// proxy: one page of a product's published reviews as JSON for the storefront widget. Only a
// request Shopify signed is answered. Cached briefly by browsers and shared caches, with an
// ETag so an unchanged page costs a 304.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { API_SECRET } from "~/shopify.server";
import { now } from "~/modules/clock";
import { verifyProxyRequest } from "~/modules/storefront/proxy";
import { parseSort, productReviewsReply } from "~/modules/reviews/storefront";

const MAX_PAGE = 1000;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const proxy = verifyProxyRequest(url, API_SECRET, now());
  if (!proxy) return Response.json({ error: "not a signed app proxy request" }, { status: 401 });
  const productId = url.searchParams.get("product_id") ?? "";
  const page = Number(url.searchParams.get("page") ?? 1);
  if (!/^\d{1,20}$/.test(productId) || !Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    return Response.json({ error: "product_id (digits) and page (1–1000) are required" }, { status: 400 });
  }
  const reply = await productReviewsReply(proxy.shop, productId, parseSort(url.searchParams.get("sort")), page, request.headers.get("If-None-Match"));
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
};
