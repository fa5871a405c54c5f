// https://<shop>/apps/aftercare/reviews through Shopify's app proxy; only requests Shopify
// signed are answered.
// GET ?product_id=…&sort=…&page=…: one page of a product's published reviews as JSON for the
// storefront widget, cached briefly by browsers and shared caches, with an ETag so an
// unchanged page costs a 304.
// POST (multipart, the widget's form): a new review. Shopify names the logged-in customer, so
// a buyer's review is verified; a guest gives an address. Limited per client address.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_SECRET } from "~/shopify.server";
import { now } from "~/modules/clock";
import { cachedJsonResponse } from "~/modules/storefront/cached-json";
import { verifyProxyRequest } from "~/modules/storefront/proxy";
import { submitStorefrontReview } from "~/modules/reviews";
import { allowAttempt } from "~/modules/storefront/rate-limit";
import { parseSort, productReviewsPage } from "~/modules/reviews/storefront";
import { PHOTO_TOO_LARGE, readReviewForm } from "~/reviewForm.server";

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
  const reviews = await productReviewsPage(proxy.shop, productId, parseSort(url.searchParams.get("sort")), page);
  return cachedJsonResponse(reviews, request.headers.get("If-None-Match"));
};

const SUBMISSIONS_PER_ADDRESS = { limit: 5, windowMs: 60 * 60_000 };
const STATUS = { saved: 201, already: 409, invalid: 422 } as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return Response.json({ error: "POST a review" }, { status: 405, headers: { Allow: "GET, POST" } });
  const proxy = verifyProxyRequest(new URL(request.url), API_SECRET, now());
  if (!proxy) return Response.json({ error: "not a signed app proxy request" }, { status: 401 });
  // Shopify adds the shopper's address first in X-Forwarded-For.
  const client = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim() || "unknown";
  if (!allowAttempt(`storefront-review:${proxy.shop}:${client}`, SUBMISSIONS_PER_ADDRESS.limit, SUBMISSIONS_PER_ADDRESS.windowMs)) {
    return Response.json({ error: "Too many reviews from here in a short time. Please try again later." }, { status: 429, headers: { "Retry-After": "3600" } });
  }
  const read = await readReviewForm(request);
  if ("tooLarge" in read) return Response.json({ errors: { photos: PHOTO_TOO_LARGE } }, { status: 413 });
  const productId = String(read.form.get("product_id") ?? "");
  const productTitle = String(read.form.get("product_title") ?? "").trim().slice(0, 255);
  if (!/^\d{1,20}$/.test(productId) || !productTitle) return Response.json({ error: "product_id (digits) and product_title are required" }, { status: 400 });
  const email = proxy.customerId ? null : String(read.form.get("email") ?? "");
  const result = await submitStorefrontReview(proxy.shop, { customerId: proxy.customerId, email }, { id: productId, title: productTitle }, read.draft, now());
  const body = result.kind === "invalid" ? { errors: result.errors } : { status: result.status };
  return Response.json(body, { status: STATUS[result.kind], headers: { "Cache-Control": "no-store" } });
};
