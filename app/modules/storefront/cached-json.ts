// The storefront widgets' JSON through the app proxy: cached briefly by browsers and shared
// caches, with an ETag of the body so an unchanged page costs a 304 and no bytes.
import { createHash } from "node:crypto";

export const STOREFRONT_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600";

/** `data` as JSON with caching headers; a 304 when the caller's If-None-Match already names it. */
export function cachedJsonResponse(data: unknown, ifNoneMatch: string | null): Response {
  const body = JSON.stringify(data);
  const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": STOREFRONT_CACHE_CONTROL,
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
  };
  if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
