// Shopify's own servers, stood in for at the HTTP edge: undici's MockAgent becomes the
// dispatcher behind Node's fetch, so the app's real Shopify library makes its real calls and
// gets Shopify's documented response shapes back. Local traffic still goes through.
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";

export const JSON_REPLY = { headers: { "content-type": "application/json; charset=utf-8" } };
export const API_VERSION = "2025-10";

export type ShopProfileReply = { name: string; contactEmail: string | null; currencyCode: string; ianaTimezone: string };

export type ShopifyEdge = { agent: MockAgent; restore(): Promise<void> };

export function standInForShopify(): ShopifyEdge {
  const previous: Dispatcher = getGlobalDispatcher();
  const agent = new MockAgent();
  agent.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  setGlobalDispatcher(agent);
  return {
    agent,
    async restore() {
      setGlobalDispatcher(previous);
      await agent.close();
    },
  };
}

/** The cost block Shopify appends to every Admin GraphQL answer. */
function costExtension() {
  return { cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 } } };
}

export type InstallReplies = {
  shop: string;
  scopes: string;
  profile: ShopProfileReply;
  accessToken?: string;
  /** Called with each request body, for tests that check what the app sent. */
  onExchange?: (body: Record<string, unknown>) => void;
  onQuery?: (body: { query: string; variables?: unknown }) => void;
  /** Keep answering after the first install (the demo reinstalls on every page load it proxies). */
  persist?: boolean;
};

/** Answers the token exchange and the shop-profile query an install makes. */
export function replyToInstall(edge: ShopifyEdge, replies: InstallReplies): void {
  const origin = edge.agent.get(`https://${replies.shop}`);
  origin
    .intercept({ path: "/admin/oauth/access_token", method: "POST" })
    .reply(
      200,
      (options) => {
        replies.onExchange?.(JSON.parse(String(options.body)));
        return { access_token: replies.accessToken ?? "shpat_stand_in", scope: replies.scopes };
      },
      JSON_REPLY,
    )
    // The layout's and the page's loaders authenticate in parallel: each may exchange.
    .persist();
  const query = origin.intercept({ path: `/admin/api/${API_VERSION}/graphql.json`, method: "POST" }).reply(
    200,
    (options) => {
      replies.onQuery?.(JSON.parse(String(options.body)));
      return { data: { shop: replies.profile }, extensions: costExtension() };
    },
    JSON_REPLY,
  );
  if (replies.persist) query.persist();
}
