// GET https://<shop>/apps/aftercare/reviews through Shopify's app proxy: see
// app/reviews-proxy.server.ts (server.mjs answers it without the router in production).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { answerReviewsRequest } from "~/reviews-proxy.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const reply = await answerReviewsRequest(new URL(request.url), request.headers.get("If-None-Match"));
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
};
