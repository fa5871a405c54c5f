// Shopify's own servers, stood in for at the HTTP edge: undici's MockAgent becomes the
// dispatcher behind Node's fetch, so the app's real Shopify library makes its real calls and
// gets Shopify's documented response shapes back. Local traffic still goes through. Every
// Admin GraphQL request is checked first (requests.ts); one Shopify would refuse is answered
// with Shopify's errors, logged, and makes restore() throw, so the test that sent it fails.
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { API_VERSION, checkAdminRequest, costExtension, RefusedRequest, type GraphqlRequest } from "./requests";

export { API_VERSION, costExtension, throttled, type GraphqlRequest } from "./requests";

export const JSON_REPLY = {
  headers: { "content-type": "application/json; charset=utf-8" },
};

export type ShopProfileReply = {
  name: string;
  contactEmail: string | null;
  currencyCode: string;
  ianaTimezone: string;
  /** Shopify always answers it (the address on the shop's account); "US" unless a test says otherwise. */
  billingAddress?: { countryCodeV2: string };
};

export type ShopifyEdge = {
  agent: MockAgent;
  /** The Admin GraphQL requests Shopify would have refused, with why. */
  refused: string[];
  /** Puts the real dispatcher back; throws if any request was refused. */
  restore(): Promise<void>;
};

export function standInForShopify(): ShopifyEdge {
  const previous: Dispatcher = getGlobalDispatcher();
  const agent = new MockAgent();
  agent.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  setGlobalDispatcher(agent);
  const refused: string[] = [];
  return {
    agent,
    refused,
    async restore() {
      setGlobalDispatcher(previous);
      await agent.close();
      if (refused.length > 0) throw new Error(`Shopify would have refused ${refused.length} Admin GraphQL request(s):\n${refused.join("\n\n")}`);
    },
  };
}

/** An answer with another HTTP status than 200 (429, 503), in the shape undici's reply callback takes. */
export type HttpReply = { statusCode: number; data: object | string; responseOptions?: { headers: Record<string, string> } };

/**
 * Answers the Admin GraphQL calls of `shop` (every one, or only the next with `once`) with
 * what `handle` returns for the request body: a GraphQL response (HTTP 200) or an HttpReply.
 * A request Shopify would refuse never reaches `handle`.
 */
export function answerAdminGraphql(edge: ShopifyEdge, shop: string, handle: (body: GraphqlRequest) => object, options: { once?: boolean } = {}): void {
  const interceptor = edge.agent
    .get(`https://${shop}`)
    .intercept({ path: `/admin/api/${API_VERSION}/graphql.json`, method: "POST" })
    .reply((request) => {
      let body: GraphqlRequest;
      try {
        body = checkAdminRequest(String(request.body));
      } catch (error) {
        if (!(error instanceof RefusedRequest)) throw error;
        const refusal = `${shop}: ${error.message}\nin: ${String(request.body).slice(0, 600)}`;
        console.error(`Shopify stand-in refused an Admin GraphQL request from ${refusal}`);
        edge.refused.push(refusal);
        return { statusCode: 200, data: { errors: error.errors }, responseOptions: JSON_REPLY };
      }
      const answer = handle(body);
      return "statusCode" in answer ? (answer as HttpReply) : { statusCode: 200, data: answer, responseOptions: JSON_REPLY };
    });
  if (!options.once) interceptor.persist();
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
        return {
          access_token: replies.accessToken ?? "shpat_stand_in",
          scope: replies.scopes,
        };
      },
      JSON_REPLY,
    )
    // The layout's and the page's loaders authenticate in parallel: each may exchange.
    .persist();
  answerAdminGraphql(
    edge,
    replies.shop,
    (body) => {
      replies.onQuery?.(body);
      return { data: { shop: { billingAddress: { countryCodeV2: "US" }, ...replies.profile } }, extensions: costExtension() };
    },
    { once: !replies.persist },
  );
}

/** A product as the Admin API's `Product` type answers the app's ProductCard fragment. */
export type StandInProduct = {
  id: string; // numeric, as in line items
  title: string;
  handle: string;
  productType: string;
  vendor: string;
  price: string;
  currencyCode?: string;
  status?: "ACTIVE" | "ARCHIVED" | "DRAFT";
  totalInventory?: number;
  published?: boolean;
};

function productNode(shop: string, product: StandInProduct) {
  return {
    id: `gid://shopify/Product/${product.id}`,
    title: product.title,
    handle: product.handle,
    onlineStoreUrl: product.published === false ? null : `https://${shop.replace(".myshopify.com", ".example")}/products/${product.handle}`,
    status: product.status ?? "ACTIVE",
    totalInventory: product.totalInventory ?? 25,
    tracksInventory: true,
    productType: product.productType,
    vendor: product.vendor,
    featuredMedia: {
      preview: {
        image: {
          url: `https://cdn.shopify.com/s/files/1/0000/0001/files/${product.handle}_240x240.jpg`,
          altText: product.title,
        },
      },
    },
    priceRangeV2: {
      minVariantPrice: {
        amount: product.price,
        currencyCode: product.currencyCode ?? "USD",
      },
    },
  };
}

/** A discount code the stand-in holds, as discountCodeBasicCreate made it. */
export type HeldDiscount = { id: string; code: string; /** empty: for everyone */ customers: string[]; endsAt: string | null; freeShipping?: boolean };
type DiscountInput = { discount: { code: string; endsAt?: string; context: { customers?: { add: string[] }; all?: "ALL" } } };

/**
 * discountCodeBasicCreate (TAKEN for a code already held) and codeDiscountNodeByCode
 * (case-insensitive) answered as Shopify documents them, over the discounts `held`; null for
 * any other call.
 */
export function answerDiscountCalls(held: HeldDiscount[], body: GraphqlRequest): object | null {
  const create = /mutation CreateCodeDiscount/.test(body.query)
    ? { field: "discountCodeBasicCreate", input: "basicCodeDiscount", freeShipping: false }
    : /mutation CreateFreeShippingDiscount/.test(body.query)
      ? { field: "discountCodeFreeShippingCreate", input: "freeShippingCodeDiscount", freeShipping: true }
      : null;
  if (create) {
    const { discount } = body.variables as DiscountInput;
    if (held.some((d) => d.code.toLowerCase() === discount.code.toLowerCase())) {
      const taken = { field: [create.input, "code"], code: "TAKEN", message: "Code must be unique. Please try a different code." };
      return { data: { [create.field]: { codeDiscountNode: null, userErrors: [taken] } }, extensions: costExtension() };
    }
    const id = `gid://shopify/DiscountCodeNode/${1057371200 + held.length}`;
    held.push({
      id,
      code: discount.code,
      customers: discount.context.customers?.add ?? [],
      endsAt: discount.endsAt ?? null,
      freeShipping: create.freeShipping,
    });
    return { data: { [create.field]: { codeDiscountNode: { id }, userErrors: [] } }, extensions: costExtension() };
  }
  if (/query DiscountByCode/.test(body.query)) {
    const code = String(body.variables.code).toLowerCase();
    const found = held.find((d) => d.code.toLowerCase() === code);
    const context = found?.customers.length ? { customers: found.customers.map((id) => ({ id })) } : { all: "ALL" };
    const node = found ? { id: found.id, codeDiscount: { endsAt: found.endsAt, context } } : null;
    return { data: { codeDiscountNodeByCode: node }, extensions: costExtension() };
  }
  return null;
}

/** Product metafields as the stand-in holds them after the app's metafieldsSet calls: "gid|namespace.key" -> value. */
export type StoredMetafields = Map<string, string>;

/**
 * Answers the app's product queries from `catalogue`, keeps the metafields it writes
 * (metafieldsSet / metafieldsDelete, answered as documented) in the returned map, and the
 * discount codes it creates in `discounts`.
 */
export function replyToProductQueries(
  edge: ShopifyEdge,
  shop: string,
  catalogue: StandInProduct[],
  onQuery?: (body: GraphqlRequest) => void,
  discounts: HeldDiscount[] = [],
): StoredMetafields {
  const metafields: StoredMetafields = new Map();
  answerAdminGraphql(edge, shop, (body) => {
    onQuery?.(body);
    const discountReply = answerDiscountCalls(discounts, body);
    if (discountReply) return discountReply;
    type Input = { ownerId: string; namespace: string; key: string; value?: string };
    const inputs = (body.variables.metafields ?? []) as Input[];
    if (/metafieldsSet/.test(body.query)) {
      for (const m of inputs) metafields.set(`${m.ownerId}|${m.namespace}.${m.key}`, m.value!);
      const written = inputs.map(({ key, namespace, ownerId }) => ({ key, namespace, owner: { id: ownerId } }));
      return { data: { metafieldsSet: { metafields: written, userErrors: [] } }, extensions: costExtension() };
    }
    if (/metafieldsDelete/.test(body.query)) {
      for (const m of inputs) metafields.delete(`${m.ownerId}|${m.namespace}.${m.key}`);
      return { data: { metafieldsDelete: { deletedMetafields: inputs, userErrors: [] } }, extensions: costExtension() };
    }
    if (/query ProductCards/.test(body.query)) {
      const ids = body.variables.ids as string[];
      const nodes = ids.map((gid) => catalogue.find((p) => `gid://shopify/Product/${p.id}` === gid) ?? null);
      return {
        data: { nodes: nodes.map((p) => (p ? productNode(shop, p) : null)) },
        extensions: costExtension(),
      };
    }
    const search = String(body.variables.query);
    const wanted = [...search.matchAll(/(product_type|vendor):"((?:[^"\\]|\\.)*)"/g)].map(([, field, value]) => ({
      field: field === "product_type" ? ("productType" as const) : ("vendor" as const),
      value: value!.replace(/\\(.)/g, "$1").toLowerCase(),
    }));
    const found = catalogue.filter(
      (p) =>
        wanted.some((term) => p[term.field].toLowerCase() === term.value) &&
        (!/status:active/.test(search) || (p.status ?? "ACTIVE") === "ACTIVE") &&
        (!/inventory_total:>0/.test(search) || (p.totalInventory ?? 25) > 0),
    );
    return {
      data: {
        products: {
          nodes: found.slice(0, Number(body.variables.first)).map((p) => productNode(shop, p)),
        },
      },
      extensions: costExtension(),
    };
  });
  return metafields;
}
