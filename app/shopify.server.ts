// The one place Shopify is configured. Webhook subscriptions live in shopify.app.toml
// (app-specific subscriptions); this file sets the API version (shared with the worker's
// offline client, modules/shopify-admin), scopes and storage.
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import db from "./db.server";
import { env } from "./env.server";
import { now } from "./modules/clock";
import { fetchShopProfile } from "./modules/shopify-admin";
import { ACCESS_SCOPES } from "./modules/shopify-admin/scopes";
import { API_VERSION, LOG_SEVERITIES } from "./modules/shopify-admin/settings";
import { recordInstall } from "./modules/shops";

/** The client secret: it signs session tokens, OAuth and every webhook. */
export const API_SECRET = env().SHOPIFY_API_SECRET;
const { SHOPIFY_API_KEY, SCOPES, SHOPIFY_APP_URL, SHOPIFY_LOG_LEVEL, SHOP_CUSTOM_DOMAIN } = env();

const shopify = shopifyApp({
  apiKey: SHOPIFY_API_KEY,
  apiSecretKey: API_SECRET,
  apiVersion: API_VERSION,
  scopes: SCOPES ? SCOPES.split(",") : ACCESS_SCOPES,
  appUrl: SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db),
  distribution: AppDistribution.AppStore,
  logger: { level: LOG_SEVERITIES[SHOPIFY_LOG_LEVEL] },
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await recordInstall(session.shop, await fetchShopProfile(admin.graphql), now());
    },
  },
  ...(SHOP_CUSTOM_DOMAIN ? { customShopDomains: [SHOP_CUSTOM_DOMAIN] } : {}),
});

/** A shop's myshopify domain (or SHOP_CUSTOM_DOMAIN, for Shopify-internal testing). */
export function isShopDomain(value: string): boolean {
  if (/^[a-zA-Z0-9][a-zA-Z0-9-_]*\.myshopify\.com$/.test(value)) return true;
  return Boolean(SHOP_CUSTOM_DOMAIN) && new RegExp(SHOP_CUSTOM_DOMAIN!).test(value);
}

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
