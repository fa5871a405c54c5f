// A review photo by its unguessable id. Its bytes never change, but the photo can be erased
// (the review hidden for good, customers/redact): so caches keep it only for five minutes and
// then ask again, a 304 while it lives (its id is its ETag), a 404 once it is gone.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findReviewPhoto } from "~/modules/reviews";

const CACHE = "public, max-age=300, must-revalidate";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const photo = params.id && /^[0-9a-f-]{36}$/.test(params.id) ? await findReviewPhoto(params.id) : null;
  if (!photo) return new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
  const etag = `"${params.id}"`;
  const headers = { ETag: etag, "Cache-Control": CACHE, "X-Content-Type-Options": "nosniff" };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(photo.bytes, { headers: { ...headers, "Content-Type": photo.mimeType } });
};
