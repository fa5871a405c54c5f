// The Shopify stand-in checks what the app sends before answering: a request Shopify would
// refuse is answered with Shopify's errors, never handed to the test's answer, and makes
// restore() throw so the test that sent it fails. THROTTLED comes back as Shopify sends it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { METAFIELDS_SET_MUTATION, PRODUCT_CARDS_QUERY } from "~/modules/shopify-admin/documents";
import { uniqueShop } from "./support/app";
import { answerAdminGraphql, API_VERSION, costExtension, standInForShopify, throttled, type GraphqlRequest, type ShopifyEdge } from "./support/shopify-edge";

let edge: ShopifyEdge;
let shop: string;
let answered: GraphqlRequest[];
beforeEach(() => {
  edge = standInForShopify();
  shop = uniqueShop("stand-in");
  answered = [];
  answerAdminGraphql(edge, shop, (body) => {
    answered.push(body);
    return /metafieldsSet/.test(body.query) ? { data: { metafieldsSet: { metafields: [], userErrors: [] } }, extensions: costExtension() } : throttled(50);
  });
});
afterEach(async () => {
  edge.refused.length = 0; // what each test refused on purpose, checked in the test
  await edge.restore();
});

async function post(query: string, variables: object) {
  const response = await fetch(`https://${shop}/admin/api/${API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_test" },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    data?: object;
    errors?: { message: string; extensions?: { code?: string } }[];
    extensions?: { cost: { requestedQueryCost: number; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } };
  };
}

const rating = (n: number) => ({
  ownerId: `gid://shopify/Product/${n}`,
  namespace: "reviews",
  key: "rating",
  type: "rating",
  value: JSON.stringify({ value: "4.50", scale_min: "1.0", scale_max: "5.0" }),
});

describe("the Shopify stand-in", () => {
  it("answers a request that is valid against the published schema", async () => {
    const reply = await post(METAFIELDS_SET_MUTATION, { metafields: Array.from({ length: 25 }, (_, i) => rating(i + 1)) });
    expect(reply.errors).toBeUndefined();
    expect(answered).toHaveLength(1);
    expect(edge.refused).toEqual([]);
  });

  it("refuses a variable its declared type does not allow, and restore() then throws", async () => {
    const reply = await post(PRODUCT_CARDS_QUERY, { ids: [true] });
    expect(reply.errors?.[0]?.extensions?.code).toBe("INVALID_VARIABLE");
    expect(reply.errors?.map((e) => e.message).join("\n")).toMatch(/\$ids/);
    expect(answered).toEqual([]);
    expect(edge.refused).toHaveLength(1);
    const refused = [...edge.refused];
    await expect(edge.restore()).rejects.toThrow(/Shopify would have refused 1 Admin GraphQL request/);
    edge = standInForShopify(); // for afterEach
    expect(refused[0]).toContain(shop);
  });

  it("refuses a field the schema does not have", async () => {
    const reply = await post("query { shop { name timezoneOfTheMoon } }", {});
    expect(reply.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(answered).toEqual([]);
    expect(edge.refused).toHaveLength(1);
  });

  it("refuses 26 metafields in one metafieldsSet, as Shopify's limit of 25 does", async () => {
    const reply = await post(METAFIELDS_SET_MUTATION, { metafields: Array.from({ length: 26 }, (_, i) => rating(i + 1)) });
    expect(reply.errors).toEqual([
      { message: "The input array size of 26 is greater than the maximum allowed of 25.", extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } },
    ]);
    expect(answered).toEqual([]);
    expect(edge.refused).toHaveLength(1);
  });

  it("refuses a metafield value that does not match its type", async () => {
    const outOfScale = { ...rating(1), value: JSON.stringify({ value: "6", scale_min: "1.0", scale_max: "5.0" }) };
    const count = { ownerId: "gid://shopify/Product/1", namespace: "reviews", key: "rating_count", type: "number_integer", value: "2.5" };
    const reply = await post(METAFIELDS_SET_MUTATION, { metafields: [outOfScale, count] });
    expect(reply.errors?.map((e) => e.message)).toEqual([
      expect.stringMatching(/^metafields\[0\] \(reviews\.rating\): a rating's value lies within its scale/),
      expect.stringMatching(/^metafields\[1\] \(reviews\.rating_count\): an integer is whole digits/),
    ]);
    expect(answered).toEqual([]);
    expect(edge.refused).toHaveLength(1);
  });

  it("answers THROTTLED as Shopify does: the error code and a cost block with too little available", async () => {
    const reply = await post(PRODUCT_CARDS_QUERY, { ids: ["gid://shopify/Product/1"] });
    expect(reply.data).toBeUndefined();
    expect(reply.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    const { requestedQueryCost, throttleStatus } = reply.extensions!.cost;
    expect(throttleStatus.currentlyAvailable).toBeLessThan(requestedQueryCost);
    expect(throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
  });
});
