// What the web's Shopify app (app/shopify.server.ts) and the offline client (./offline.ts) both
// configure, here so the worker reads them without loading the web's Remix app library.
import { ApiVersion, LogSeverity } from "@shopify/shopify-api";
import type { Env } from "~/env.server";

/** Must equal [webhooks] api_version in shopify.app.toml (a test holds them together). */
export const API_VERSION = ApiVersion.October25;

export const LOG_SEVERITIES: Record<Env["SHOPIFY_LOG_LEVEL"], LogSeverity> = {
  error: LogSeverity.Error,
  warning: LogSeverity.Warning,
  info: LogSeverity.Info,
  debug: LogSeverity.Debug,
};
