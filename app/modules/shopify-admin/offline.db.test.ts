// The Admin API outside a request, on SQLite and PostgreSQL: the offline session the web's
// install stored, Shopify's API client, and Shopify's answers as the rest of the app expects
// them (data in a Response; GraphQL errors thrown as the library's errors), stood in for at the
// HTTP edge.
import { randomUUID } from "node:crypto";
import { GraphqlQueryError } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installSession } from "../../../tests/support/admin";
import { answerAdminGraphql, standInForShopify, throttled, type ShopifyEdge } from "../../../tests/support/shopify-edge";
import { fetchShopProfile, mayHaveBeenApplied } from "./index";
import { offlineGraphql } from "./offline";
import { API_VERSION } from "./settings";

const PROFILE = {
  name: "Larch & Ember",
  contactEmail: "hello@larch.example",
  currencyCode: "EUR",
  ianaTimezone: "Europe/Berlin",
  billingAddress: { countryCodeV2: "DE" },
};
const newShop = () => `offline-${randomUUID().slice(0, 8)}.myshopify.com`;

let edge: ShopifyEdge;
beforeAll(() => {
  edge = standInForShopify();
});
afterAll(async () => {
  await edge?.restore();
});

describe("offlineGraphql", () => {
  it("calls the shop's Admin API, at the app's API version, with the access token of its offline session", async () => {
    const shop = newShop();
    await installSession(shop);
    const tokens: unknown[] = [];
    edge.agent
      .get(`https://${shop}`)
      .intercept({ path: `/admin/api/${API_VERSION}/graphql.json`, method: "POST" })
      .reply((request) => {
        tokens.push(new Headers(request.headers as Record<string, string>).get("x-shopify-access-token"));
        return { statusCode: 200, data: { data: { shop: PROFILE } }, responseOptions: { headers: { "content-type": "application/json" } } };
      });

    expect(await fetchShopProfile(await offlineGraphql(shop))).toEqual({
      name: PROFILE.name,
      contactEmail: PROFILE.contactEmail,
      currency: "EUR",
      timezone: "Europe/Berlin",
      country: "DE",
    });
    expect(tokens).toEqual(["shpat_test_token"]);
  });

  it("throws Shopify's THROTTLED answer as the library's error: nothing ran, worth another try", async () => {
    const shop = newShop();
    await installSession(shop);
    answerAdminGraphql(edge, shop, () => throttled(), { once: true });

    const error = await fetchShopProfile(await offlineGraphql(shop)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GraphqlQueryError);
    expect(mayHaveBeenApplied(error)).toBe(false);
  });

  it("refuses a shop without an offline session (never installed, or uninstalled)", async () => {
    const shop = newShop();
    await expect(offlineGraphql(shop)).rejects.toThrow(`Could not find a session for shop ${shop}`);
  });
});
