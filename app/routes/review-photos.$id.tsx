// A review photo by its unguessable id. Re-encoded once on upload, never changed: cached for a
// year by browsers and CDNs.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findReviewPhoto } from "~/modules/reviews";

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const photo = params.id && /^[0-9a-f-]{36}$/.test(params.id) ? await findReviewPhoto(params.id) : null;
  if (!photo) return new Response("Not found", { status: 404 });
  return new Response(photo.bytes, {
    headers: {
      "Content-Type": photo.mimeType,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
