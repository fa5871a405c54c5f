// Serves the real built app (build/server) on a free port, in this test process, so tests
// send real HTTP requests through the same server `npm start` runs.
import type { AddressInfo } from "node:net";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { now } from "~/modules/clock";
import { createAppServer } from "../../server/http";

export type RunningApp = { url: string; close(): Promise<void> };

export async function startApp(): Promise<RunningApp> {
  const server = await createAppServer({ buildDir: fileURLToPath(new URL("../../build", import.meta.url)) });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/shopify/${name}.json`, import.meta.url), "utf8"));
}

/** Raw fixture text: Shopify's ids above 2^53 survive only in the text. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/shopify/${name}.json`, import.meta.url), "utf8");
}

export function uniqueShop(label = "shop"): string {
  return `${label}-${randomUUID().slice(0, 8)}.myshopify.com`;
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

/** Sends a delivery, then does what the worker would: applies the shop's pending deliveries. */
export async function deliver(app: RunningApp, topic: string, body: string | object, options: WebhookOptions): Promise<Response> {
  const response = await sendWebhook(app, topic, body, options);
  await applyIntake(options.shop);
  return response;
}

/** Applies every pending delivery of `shop`, as the worker does; scoped so parallel test files never take each other's. */
export async function applyIntake(shop: string): Promise<void> {
  await import("~/jobs/compose"); // registers the reactions and customer data owners, as the worker does
  const { applyPendingDeliveries } = await import("~/modules/intake");
  while ((await applyPendingDeliveries({ shop })) > 0);
}

/** Sends a delivery the way Shopify does: raw JSON body, base64 HMAC-SHA256 of it, X-Shopify-* headers. */
export async function sendWebhook(
  app: RunningApp,
  topic: string,
  body: string | object,
  options: WebhookOptions,
): Promise<Response> {
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
