// Receiving a webhook: every check that the headers allow comes before a byte of the body is
// read (required X-Shopify-* headers, topic = path, shop domain, Triggered-At within Shopify's
// retry span, declared size, the memory budget), then the body is hashed as it arrives and
// capped, then the HMAC (401 when wrong), JSON, and for compliance topics the body's shop;
// only then is it stored and answered. The production server (server/http.ts) feeds it straight
// from node:http, skipping the Remix router, because this is the app's hottest path; the
// webhooks.$.tsx route feeds it through handleWebhook, which is what `shopify app dev` serves.
// Applying the delivery is the worker's job (modules/intake applyPendingDeliveries).
import { now } from "~/modules/clock";
import { acceptDelivery, foreignShopReason, shopifySignature } from "~/modules/intake";
import { API_SECRET, isShopDomain } from "~/shopify.server";

export type WebhookReply = { status: number; body: string; headers?: Record<string, string> };

/** A delivery whose headers passed: the transport writes its body in, chunk by chunk. */
export type WebhookBody = {
  /** A reply means stop reading and answer it: the body is too large, or the server holds too much. */
  write(chunk: Uint8Array): WebhookReply | null;
  /** After the last chunk: verify, store, answer. */
  end(): Promise<WebhookReply>;
  /** Gives back the bytes held, when the transport stops early (the client went away). */
  release(): void;
};

type Header = (name: string) => string | null | undefined;

/**
 * Shopify's largest bodies are orders: at most 500 line items on most shops, about 1 KB each in
 * its samples (more with tax and discount lines), repeated in an order's fulfillments and
 * refunds: 2-3 MB at the very worst. A real delivery refused for size is refused on every retry,
 * so the cap keeps room above that; the memory is guarded by the budget below, not by the cap.
 */
export const MAX_WEBHOOK_BYTES = 4 * 1024 * 1024;
/** Webhook bytes this process holds at once, all requests together; beyond it 503, and Shopify retries. */
const BYTES_IN_FLIGHT = 64 * 1024 * 1024;
const RETRY_AFTER_SECONDS = "5";
/**
 * Shopify retries a failed delivery 8 times over about 4 hours, each time with its first
 * Triggered-At; 6 hours leaves 2 for queueing and clock skew. Anything older is a replay.
 */
const MAX_AGE_MS = 6 * 60 * 60 * 1000;
/** Shopify's clock and ours agree within seconds: minutes ahead is a forgery. */
const MAX_AHEAD_MS = 5 * 60 * 1000;

// Shopify always sends Triggered-At. It is required (the library treats it as optional) because
// it is not signed: if a missing one were let through, a replay would simply leave it out.
const REQUIRED = [
  "x-shopify-topic",
  "x-shopify-hmac-sha256",
  "x-shopify-shop-domain",
  "x-shopify-webhook-id",
  "x-shopify-api-version",
  "x-shopify-triggered-at",
];

const TOO_LARGE: WebhookReply = { status: 413, body: "Payload too large" };
const BUSY: WebhookReply = { status: 503, body: "Busy, retry later", headers: { "Retry-After": RETRY_AFTER_SECONDS } };

let bytesHeld = 0;

/** What the headers alone refuse, or null. The body is signed; the headers, topic included, are not. */
function refuseHeaders(path: string, header: Header, at: Date): WebhookReply | null {
  const missing = REQUIRED.filter((name) => !header(name));
  if (missing.length > 0) return { status: 400, body: `Missing headers: ${missing.join(", ")}` };
  if (path.split("?")[0] !== `/webhooks/${header("x-shopify-topic")}`) return { status: 400, body: "X-Shopify-Topic is not the topic of this address" };
  if (!isShopDomain(header("x-shopify-shop-domain")!)) return { status: 400, body: "Not a shop domain" };
  const triggeredAt = Date.parse(header("x-shopify-triggered-at")!);
  if (Number.isNaN(triggeredAt)) return { status: 400, body: "X-Shopify-Triggered-At is not a time" };
  if (triggeredAt < at.getTime() - MAX_AGE_MS) return { status: 400, body: "Triggered too long ago: older than Shopify's retries" };
  if (triggeredAt > at.getTime() + MAX_AHEAD_MS) return { status: 400, body: "Triggered in the future" };
  return null;
}

/** Opens a delivery to `path` (the request's path): a reply at once, or the body to write into. */
export function openWebhook(path: string, header: Header): WebhookReply | WebhookBody {
  const refusal = refuseHeaders(path, header, now());
  if (refusal) return refusal;
  const declared = Number(header("content-length") ?? 0) || 0;
  if (declared > MAX_WEBHOOK_BYTES) return TOO_LARGE;

  let held = 0;
  const hold = (bytes: number) => {
    if (bytes <= held) return true;
    if (bytesHeld + bytes - held > BYTES_IN_FLIGHT) return false;
    bytesHeld += bytes - held;
    held = bytes;
    return true;
  };
  let chunks: Uint8Array[] = [];
  const release = () => {
    bytesHeld -= held;
    held = 0;
    chunks = [];
  };
  // A declared length is held whole at once, so a burst is refused before it is read.
  if (!hold(declared)) return BUSY;

  let received = 0;
  const signature = shopifySignature(API_SECRET);
  return {
    write(chunk) {
      received += chunk.byteLength;
      const refusal = received > MAX_WEBHOOK_BYTES ? TOO_LARGE : hold(received) ? null : BUSY;
      if (refusal) {
        release();
        return refusal;
      }
      signature.update(chunk);
      chunks.push(chunk);
      return null;
    },
    async end() {
      try {
        if (!signature.matches(header("x-shopify-hmac-sha256")!)) return { status: 401, body: "Unauthorized" };
        const body = Buffer.concat(chunks).toString("utf8");
        let payload: unknown;
        try {
          payload = JSON.parse(body);
        } catch {
          return { status: 400, body: "Body is not JSON" };
        }
        const shop = header("x-shopify-shop-domain")!;
        const topic = header("x-shopify-topic")!;
        const foreign = foreignShopReason(topic, shop, payload);
        if (foreign) return { status: 400, body: foreign };
        await acceptDelivery(
          {
            shop,
            topic,
            webhookId: header("x-shopify-webhook-id")!,
            eventId: header("x-shopify-event-id"),
            triggeredAt: header("x-shopify-triggered-at"),
            body,
          },
          now(),
        );
        return { status: 200, body: "" };
      } finally {
        release();
      }
    },
    release,
  };
}

/** The Remix route's adapter (what `shopify app dev` serves): the webhooks.$.tsx action is `handleWebhook(request)`. */
export async function handleWebhook(request: Request): Promise<Response> {
  const reply = await receive(request);
  return new Response(reply.body || null, { status: reply.status, headers: reply.headers });
}

async function receive(request: Request): Promise<WebhookReply> {
  const delivery = openWebhook(new URL(request.url).pathname, (name) => request.headers.get(name));
  if ("status" in delivery) return delivery;
  const reader = request.body?.getReader();
  try {
    for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
      const refusal = delivery.write(read.value);
      if (refusal) {
        void reader!.cancel().catch(() => {});
        return refusal;
      }
    }
  } catch (error) {
    delivery.release();
    throw error;
  }
  return delivery.end();
}
