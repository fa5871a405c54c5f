// https://<shop>/apps/aftercare/reviews through Shopify's app proxy; only requests Shopify
// signed are answered.
// GET ?product_id=…&sort=…&page=…: one page of a product's published reviews as JSON, in
// app/reviews-proxy.server.ts (server/http.ts answers it without the router in production).
// POST (multipart, the widget's form): a new review of product_id. Shopify names the logged-in
// customer, so a buyer's review is verified; a guest gives an address. The product's title is
// the store's, never the form's. Limited per client address; the body is capped before and
// while it is read.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireProxyRequest } from "~/edge/proxy";
import { now } from "~/modules/clock";
import { asResponse } from "~/modules/storefront/cached-json";
import { isShopifyId, shopperAddress } from "~/modules/storefront/proxy";
import { submitStorefrontReview } from "~/modules/reviews";
import { allowAttempt } from "~/modules/storefront/rate-limit";
import { readReviewForm } from "~/review-form.server";
import { answerReviewsRequest } from "~/reviews-proxy.server";

export const loader = async ({ request }: LoaderFunctionArgs) =>
  asResponse(await answerReviewsRequest(new URL(request.url), request.headers.get("If-None-Match")));

const SUBMISSIONS_PER_ADDRESS = { limit: 5, windowMs: 60 * 60_000 };
const STATUS = { saved: 201, already: 409, invalid: 422 } as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return Response.json({ error: "POST a review" }, { status: 405, headers: { Allow: "GET, POST" } });
  const proxy = requireProxyRequest(request);
  const client = shopperAddress(request.headers.get("X-Forwarded-For"));
  if (!allowAttempt(`storefront-review:${proxy.shop}:${client}`, SUBMISSIONS_PER_ADDRESS.limit, SUBMISSIONS_PER_ADDRESS.windowMs)) {
    return Response.json({ error: "Too many reviews from here in a short time. Please try again later." }, { status: 429, headers: { "Retry-After": "3600" } });
  }
  const read = await readReviewForm(request);
  if ("errors" in read) return Response.json({ errors: read.errors }, { status: read.status });
  const productId = String(read.form.get("product_id") ?? "");
  if (!isShopifyId(productId)) return Response.json({ error: "product_id (digits) is required" }, { status: 400 });
  const email = proxy.customerId ? null : String(read.form.get("email") ?? "");
  const result = await submitStorefrontReview(proxy.shop, { customerId: proxy.customerId, email }, productId, read.draft, now());
  const body = result.kind === "invalid" ? { errors: result.errors } : { status: result.status };
  return Response.json(body, { status: STATUS[result.kind], headers: { "Cache-Control": "no-store" } });
};
