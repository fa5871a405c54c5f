// The app proxy's door (https://<shop>/apps/aftercare/...): Shopify signs what it forwards with
// the app's secret over the query's other parameters, sorted, each "key=value" with repeated
// keys' values joined by commas, concatenated with no separator; hex HMAC-SHA256. A signature
// older than 90 seconds is refused, so a captured URL cannot be replayed later. Because repeated
// values are joined before signing, a key the shopper repeats in the URL beside the one Shopify
// adds (`logged_in_customer_id=7&logged_in_customer_id=` + Shopify's `…=501`) is signed too: so
// no key may repeat. None of our endpoints takes a list.
import { createHmac, timingSafeEqual } from "node:crypto";
import { now } from "~/modules/clock";
import { env } from "~/env.server";

const TOLERANCE_S = 90;
/** Shopify's customer id as the proxy adds it: digits, or empty for a guest. */
const CUSTOMER_ID = /^(\d{1,20})?$/;

export type ProxyContext = { shop: string; customerId: string | null; pathPrefix: string | null };
export type ProxyRefusal = { status: 401; headers: Record<string, string>; body: string };

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
function verifyProxyRequest(url: URL, secret: string, at: Date): ProxyContext | null {
  const query = url.searchParams;
  if (!secret || new Set(query.keys()).size !== [...query.keys()].length) return null;
  const signature = query.get("signature") ?? "";
  const shop = query.get("shop") ?? "";
  const timestamp = Number(query.get("timestamp"));
  if (!/^[0-9a-f]{64}$/.test(signature) || !/^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/.test(shop)) return null;
  if (!Number.isInteger(timestamp) || Math.abs(at.getTime() / 1000 - timestamp) > TOLERANCE_S) return null;
  if (!CUSTOMER_ID.test(query.get("logged_in_customer_id") ?? "")) return null;
  const expected = Buffer.from(proxySignature(query, secret), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return null;
  return { shop, customerId: query.get("logged_in_customer_id") || null, pathPrefix: query.get("path_prefix") };
}

const UNSIGNED: ProxyRefusal = {
  status: 401,
  headers: { "Content-Type": "application/json; charset=utf-8" },
  body: JSON.stringify({ error: "not a signed app proxy request" }),
};

/** For the production server's fast path, outside Remix: the request's context, or the reply refusing it. */
export function checkProxyRequest(url: URL): ProxyContext | ProxyRefusal {
  return verifyProxyRequest(url, env().SHOPIFY_API_SECRET, now()) ?? UNSIGNED;
}

/** For proxy.* routes: the request's context; anything Shopify did not sign is answered 401 here. */
export function requireProxyRequest(request: Request): ProxyContext {
  const checked = checkProxyRequest(new URL(request.url));
  if ("status" in checked) throw new Response(checked.body, { status: checked.status, headers: checked.headers });
  return checked;
}

/**
 * A form on a page served through the proxy carries this token, so that a page elsewhere cannot
 * post it for a signed-in shopper (whose store cookies would make the proxy sign it): it is
 * bound to the shop and the customer, and only our page knows it.
 */
export function proxyFormToken(shop: string, customerId: string): string {
  return createHmac("sha256", env().SHOPIFY_API_SECRET).update(`proxy-form|${shop}|${customerId}`).digest("base64url");
}

export function isProxyFormToken(token: unknown, shop: string, customerId: string): boolean {
  if (typeof token !== "string") return false;
  const expected = Buffer.from(proxyFormToken(shop, customerId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
