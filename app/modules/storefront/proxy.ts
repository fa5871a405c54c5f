// Requests Shopify forwards through the app proxy (https://<shop>/apps/aftercare/...): signed
// by Shopify with the app's secret over the query's other parameters, sorted, each "key=value"
// with repeated keys' values joined by commas, concatenated with no separator; hex HMAC-SHA256.
// A signature older than 90 seconds is refused, so a captured URL cannot be replayed later.
import { createHmac, timingSafeEqual } from "node:crypto";

const TOLERANCE_S = 90;
const SINGLE = ["shop", "signature", "timestamp", "hmac"];

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
  if (!secret || SINGLE.some((key) => query.getAll(key).length > 1)) return null;
  const signature = query.get("signature") ?? "";
  const shop = query.get("shop") ?? "";
  const timestamp = Number(query.get("timestamp"));
  if (!/^[0-9a-f]{64}$/.test(signature) || !/^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/.test(shop)) return null;
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_S) return null;
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

/** The shopper's address: Shopify's proxy puts it first in X-Forwarded-For. */
export const shopperAddress = (forwardedFor: string | null) => forwardedFor?.split(",")[0]?.trim() || "unknown";
