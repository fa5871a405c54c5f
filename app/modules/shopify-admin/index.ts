// The only door to the Admin GraphQL API. Callers pass the `graphql` function that
// @shopify/shopify-app-remix gives them (authenticate.admin, unauthenticated.admin, afterAuth).
import type { ShopProfile } from "~/modules/shops";
import {
  PRODUCT_CARDS_QUERY,
  PRODUCT_SEARCH_QUERY,
  SHOP_PROFILE_QUERY,
  type ProductCardNode,
  type ProductCardsData,
  type ProductSearchData,
  type ShopProfileData,
} from "./documents";

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

/** A product as an email shows it; `buyable` = active, on the Online Store, and in stock. */
export type ProductCard = {
  productId: string;
  title: string;
  url: string | null;
  imageUrl: string | null;
  imageAlt: string;
  price: { amount: string; currencyCode: string };
  productType: string;
  vendor: string;
  buyable: boolean;
};

const PRODUCT_GID = "gid://shopify/Product/";
export const productGid = (id: string) => `${PRODUCT_GID}${id}`;

function toCard(node: ProductCardNode): ProductCard {
  const image = node.featuredMedia?.preview?.image ?? null;
  const inStock = !node.tracksInventory || (node.totalInventory ?? 0) > 0;
  return {
    productId: node.id.replace(PRODUCT_GID, ""),
    title: node.title,
    url: node.onlineStoreUrl,
    imageUrl: image?.url ?? null,
    imageAlt: image?.altText ?? node.title,
    price: node.priceRangeV2.minVariantPrice,
    productType: node.productType,
    vendor: node.vendor,
    buyable: node.status === "ACTIVE" && Boolean(node.onlineStoreUrl) && inStock,
  };
}

/** The products with these (numeric) ids that still exist, in the order asked. */
export async function fetchProductCards(graphql: AdminGraphql, productIds: string[]): Promise<ProductCard[]> {
  if (productIds.length === 0) return [];
  const { nodes } = await run<ProductCardsData>(graphql, PRODUCT_CARDS_QUERY, { ids: productIds.map(productGid) });
  return nodes.filter((node): node is ProductCardNode => Boolean(node?.id)).map(toCard);
}

/** Quotes a value for Shopify's search syntax (a product type or vendor may hold spaces or quotes). */
export const searchValue = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/** Products matching a Shopify search query, best stocked first. */
export async function searchProducts(graphql: AdminGraphql, query: string, first: number): Promise<ProductCard[]> {
  const { products } = await run<ProductSearchData>(graphql, PRODUCT_SEARCH_QUERY, { query, first });
  return products.nodes.map(toCard);
}
