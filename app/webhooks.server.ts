// Receiving a webhook: verify it the way Shopify documents (required X-Shopify-* headers,
// HMAC of the raw body: 401 when wrong), check the body is JSON, store it, answer. The
// production server (server.mjs) calls receiveWebhook straight from node:http, skipping the
// Remix router, because this is the app's hottest path; the webhooks.*.tsx routes call it
// through handleWebhook, which is what `shopify app dev` serves. Applying the delivery is the
// worker's job (modules/intake applyPendingDeliveries).
import { now } from "~/modules/clock";
import { acceptDelivery, isSignedByShopify } from "~/modules/intake";
import { API_SECRET, isShopDomain } from "~/shopify.server";

export type WebhookReply = { status: number; body: string };

const REQUIRED = ["x-shopify-topic", "x-shopify-hmac-sha256", "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-api-version"];

export async function receiveWebhook(header: (name: string) => string | null | undefined, rawBody: Buffer | string): Promise<WebhookReply> {
  const missing = REQUIRED.filter((name) => !header(name));
  if (missing.length > 0) return { status: 400, body: `Missing headers: ${missing.join(", ")}` };
  if (!isSignedByShopify(rawBody, header("x-shopify-hmac-sha256")!, API_SECRET)) {
    return { status: 401, body: "Unauthorized" };
  }
  const shop = header("x-shopify-shop-domain")!;
  if (!isShopDomain(shop)) return { status: 400, body: "Not a shop domain" };
  const body = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8");
  try {
    JSON.parse(body);
  } catch {
    return { status: 400, body: "Body is not JSON" };
  }
  await acceptDelivery(
    {
      shop,
      topic: header("x-shopify-topic")!,
      webhookId: header("x-shopify-webhook-id")!,
      eventId: header("x-shopify-event-id"),
      triggeredAt: header("x-shopify-triggered-at"),
      body,
    },
    now(),
  );
  return { status: 200, body: "" };
}

/** The Remix route's adapter: a webhooks.*.tsx action is `handleWebhook(request)`. */
export async function handleWebhook(request: Request): Promise<Response> {
  const rawBody = Buffer.from(await request.arrayBuffer());
  const reply = await receiveWebhook((name) => request.headers.get(name), rawBody);
  return new Response(reply.body || null, { status: reply.status });
}
