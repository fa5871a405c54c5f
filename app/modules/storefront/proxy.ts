// What the storefront widgets send through the app proxy (app/edge/proxy.ts checks the
// signature): a product and page, Shopify ids, the shopper's address for rate limits.
import { env } from "~/env.server";

const SHOPIFY_ID = /^\d{1,20}$/;
const MAX_PAGE = 1000;
export const PAGE_QUERY_ERROR = "product_id (digits) and page (1–1000) are required";

/** A storefront list request's product and page (?product_id=…&page=…); null when either is not one. */
export function productPageQuery(query: URLSearchParams): { productId: string; page: number } | null {
  const productId = query.get("product_id") ?? "";
  const page = Number(query.get("page") ?? 1);
  return SHOPIFY_ID.test(productId) && Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? { productId, page } : null;
}

/** Whether a value is a Shopify numeric id (a product or customer id as the proxy and forms carry it). */
export const isShopifyId = (value: string | null | undefined): value is string => SHOPIFY_ID.test(value ?? "");

/**
 * The shopper's address, for rate limits. Shopify's proxy appends the address it saw to
 * X-Forwarded-For, after whatever the shopper sent in that header themselves; so only the last
 * entry is Shopify's word (the first is whatever the shopper chose to type). Behind a load
 * balancer of our own that appends its peer too, TRUSTED_PROXY_HOPS (default 0) says how many
 * entries from the right to step over to reach Shopify's.
 */
export function shopperAddress(forwardedFor: string | null, trustedHops = env().TRUSTED_PROXY_HOPS): string {
  const entries = (forwardedFor ?? "").split(",").map((entry) => entry.trim());
  return entries[entries.length - 1 - trustedHops] || "unknown";
}
