// The only door to the Admin GraphQL API. Callers pass the `graphql` function that
// @shopify/shopify-app-remix gives them (authenticate.admin, unauthenticated.admin, afterAuth).
import type { ShopProfile } from "~/modules/shops";
import { SHOP_PROFILE_QUERY, type ShopProfileData } from "./documents";

export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export class AdminApiError extends Error {}

async function run<T>(graphql: AdminGraphql, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await graphql(query, variables ? { variables } : undefined);
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new AdminApiError(body.errors.map((e) => e.message).join("; "));
  if (!body.data) throw new AdminApiError("Admin API answered without data");
  return body.data;
}

export async function fetchShopProfile(graphql: AdminGraphql): Promise<ShopProfile> {
  const { shop } = await run<ShopProfileData>(graphql, SHOP_PROFILE_QUERY);
  return { name: shop.name, contactEmail: shop.contactEmail, currency: shop.currencyCode, timezone: shop.ianaTimezone };
}
