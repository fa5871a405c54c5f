// Webhook deliveries as Shopify makes them, from its documented sample payloads (shopify/samples).
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { now } from "~/modules/clock";

const sampleFile = (name: string) => new URL(`./shopify/samples/${name}.json`, import.meta.url);

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(sampleFile(name), "utf8"));
}

/** Raw fixture text: Shopify's ids above 2^53 survive only in the text. */
export function fixtureText(name: string): string {
  return readFileSync(sampleFile(name), "utf8");
}

export type WebhookOptions = {
  shop: string;
  webhookId?: string;
  secret?: string;
  eventId?: string;
  triggeredAt?: string;
  apiVersion?: string;
  /** Where it is posted (default /webhooks/<topic>). */
  path?: string;
  /** Headers to change, after the ones Shopify sends; undefined leaves one out. */
  headers?: Record<string, string | undefined>;
};

/** Sends a delivery the way Shopify does: raw JSON body, base64 HMAC-SHA256 of it, X-Shopify-* headers. */
export async function sendWebhook(app: { url: string }, topic: string, body: string | object, options: WebhookOptions): Promise<Response> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const secret = options.secret ?? process.env.SHOPIFY_API_SECRET!;
  const headers: Record<string, string | undefined> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(raw, "utf8").digest("base64"),
    "X-Shopify-Shop-Domain": options.shop,
    "X-Shopify-API-Version": options.apiVersion ?? "2025-10",
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
    // The app's clock, which tests move: Shopify triggers a delivery just before sending it.
    "X-Shopify-Triggered-At": options.triggeredAt ?? now().toISOString(),
    ...options.headers,
  };
  const sent = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return fetch(`${app.url}${options.path ?? `/webhooks/${topic}`}`, { method: "POST", headers: sent, body: raw });
}
