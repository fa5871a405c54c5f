// The storefront widgets' JSON through the app proxy: cached briefly by browsers and shared
// caches, with an ETag of the body so an unchanged page costs a 304 and no bytes. A plain
// reply (status, headers, body) so that the production server (server/http.ts) can send it straight from node:http.
import { createHash } from "node:crypto";

export type CachedReply = { status: 200 | 304; headers: Record<string, string>; body: string | null };

/** `data` as JSON with caching headers; a 304 when the caller's If-None-Match already names it. */
export function cachedJson(data: unknown, ifNoneMatch: string | null): CachedReply {
  const body = JSON.stringify(data);
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "public, max-age=60, stale-while-revalidate=600",
    ETag: `"${createHash("sha1").update(body).digest("base64url")}"`,
    "X-Content-Type-Options": "nosniff",
  };
  return ifNoneMatch === headers.ETag ? { status: 304, headers, body: null } : { status: 200, headers, body };
}

/** A reply as a Fetch Response (for Remix routes). */
export const asResponse = (reply: { status: number; headers: Record<string, string>; body: string | null }) =>
  new Response(reply.body, { status: reply.status, headers: reply.headers });
