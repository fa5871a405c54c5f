// The Admin API as the app itself, outside a request (the worker, storefront reads): the shop's
// offline session, as the web's OAuth stored it, and Shopify's own GraphQL client. Works as
// @shopify/shopify-app-remix's `unauthenticated.admin(shop).admin.graphql` does, without loading
// Remix: GraphQL errors, THROTTLED and HTTP errors throw the library's errors.
import "@shopify/shopify-api/adapters/web-api";
import { shopifyApi, type Shopify } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import db from "~/db.server";
import { env } from "~/env.server";
import type { AdminGraphql } from "./index";
import { API_VERSION, LOG_SEVERITIES } from "./settings";

let client: { api: Shopify; sessions: PrismaSessionStorage<typeof db> } | undefined;

/** Built on first use, not at import: the session storage starts polling for its table. */
function offlineClient() {
  if (client) return client;
  const { SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL, SHOPIFY_LOG_LEVEL, SHOP_CUSTOM_DOMAIN } = env();
  const api = shopifyApi({
    apiKey: SHOPIFY_API_KEY,
    apiSecretKey: SHOPIFY_API_SECRET,
    apiVersion: API_VERSION,
    hostName: new URL(SHOPIFY_APP_URL).host,
    isEmbeddedApp: true,
    logger: { level: LOG_SEVERITIES[SHOPIFY_LOG_LEVEL] },
    _logDisabledFutureFlags: false,
    ...(SHOP_CUSTOM_DOMAIN ? { customShopDomains: [SHOP_CUSTOM_DOMAIN] } : {}),
  });
  client = { api, sessions: new PrismaSessionStorage(db) };
  return client;
}

/** The Admin GraphQL API of `shop` through its offline session; throws when the shop has none. */
export async function offlineGraphql(shop: string): Promise<AdminGraphql> {
  const { api, sessions } = offlineClient();
  const session = await sessions.loadSession(api.session.getOfflineId(shop));
  if (!session) throw new Error(`Could not find a session for shop ${shop} when creating unauthenticated admin context`);
  const graphql = new api.clients.Graphql({ session });
  return async (query, options) => new Response(JSON.stringify(await graphql.request(query, { variables: options?.variables, retries: 0 })));
}
