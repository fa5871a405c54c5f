// Serves the real built app (build/server) on a free port, in this test process, so tests
// send real HTTP requests through the same server `npm start` runs.
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createAppServer } from "../../server/http";
import { sendWebhook, type WebhookOptions } from "../../dev/webhooks";

export { fixture, fixtureText, sendWebhook, type WebhookOptions } from "../../dev/webhooks";

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

export function uniqueShop(label = "shop"): string {
  return `${label}-${randomUUID().slice(0, 8)}.myshopify.com`;
}

/** Sends a delivery, then does what the worker would: applies the shop's pending deliveries. */
export async function deliver(app: RunningApp, topic: string, body: string | object, options: WebhookOptions): Promise<Response> {
  const response = await sendWebhook(app, topic, body, options);
  await applyIntake(options.shop);
  return response;
}

/** Applies every pending delivery of `shop`, as the worker does; scoped so parallel test files never take each other's. */
export async function applyIntake(shop: string): Promise<void> {
  const { CAPABILITIES } = await import("~/modules/capabilities");
  const { applyPendingDeliveries } = await import("~/modules/intake");
  while ((await applyPendingDeliveries(CAPABILITIES, { shop })) > 0);
}
