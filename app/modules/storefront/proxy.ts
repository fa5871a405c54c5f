// Requests Shopify forwards through the app proxy (https://<shop>/apps/aftercare/...): signed
// by Shopify with the app's secret over the query's other parameters, sorted, each "key=value"
// with repeated keys' values joined by commas, concatenated with no separator; hex HMAC-SHA256.
// A signature older than 90 seconds is refused, so a captured URL cannot be replayed later.
// Because repeated values are joined before signing, a key the shopper repeats in the URL beside
// the one Shopify adds (`logged_in_customer_id=7&logged_in_customer_id=` + Shopify's `…=501`) is
// signed too: so no key may repeat. None of our endpoints takes a list.
import { createHmac, timingSafeEqual } from "node:crypto";

const TOLERANCE_S = 90;
/** Shopify's customer id as the proxy adds it: digits, or empty for a guest. */
const CUSTOMER_ID = /^(\d{1,20})?$/;

export type ProxyContext = { shop: string; customerId: string | null; pathPrefix: string | null };

export function proxySignature(query: URLSearchParams, secret: string): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of query) {
    if (key === "signature" || key === "hmac") continue;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  const message = [...values.keys()]
    .sort()
    .map((key) => `${key}=${values.get(key)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** The shop and customer of a genuine, fresh proxy request; null for anything else. */
export function verifyProxyRequest(url: URL, secret: string, now: Date): ProxyContext | null {
  const query = url.searchParams;
  if (!secret || new Set(query.keys()).size !== [...query.keys()].length) return null;
  const signature = query.get("signature") ?? "";
  const shop = query.get("shop") ?? "";
  const timestamp = Number(query.get("timestamp"));
  if (!/^[0-9a-f]{64}$/.test(signature) || !/^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/.test(shop)) return null;
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_S) return null;
  if (!CUSTOMER_ID.test(query.get("logged_in_customer_id") ?? "")) return null;
  const expected = Buffer.from(proxySignature(query, secret), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return null;
  return { shop, customerId: query.get("logged_in_customer_id") || null, pathPrefix: query.get("path_prefix") };
}

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
export function shopperAddress(forwardedFor: string | null, trustedHops = trustedProxyHops()): string {
  const entries = (forwardedFor ?? "").split(",").map((entry) => entry.trim());
  return entries[entries.length - 1 - trustedHops] || "unknown";
}

function trustedProxyHops(): number {
  const hops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
  return Number.isInteger(hops) && hops >= 0 ? hops : 0;
}
