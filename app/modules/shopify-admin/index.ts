// The only door to the Admin GraphQL API. Callers pass a `graphql` function: in a request the
// one @shopify/shopify-app-remix gives them (authenticate.admin, afterAuth), outside one
// offlineGraphql(shop) from ./offline.
import { GraphqlQueryError, HttpThrottlingError } from "@shopify/shopify-api";
import type { ShopProfile } from "~/modules/shops";
import {
  CODE_DISCOUNT_CREATE_MUTATION,
  FREE_SHIPPING_CODE_CREATE_MUTATION,
  DISCOUNT_BY_CODE_QUERY,
  METAFIELDS_DELETE_MUTATION,
  METAFIELDS_SET_MUTATION,
  PRODUCT_CARDS_QUERY,
  PRODUCT_SEARCH_QUERY,
  SHOP_PROFILE_QUERY,
  STORE_CREDIT_CREDIT_MUTATION,
  type CodeDiscountCreateData,
  type FreeShippingCodeCreateData,
  type DiscountByCodeData,
  type MetafieldsDeleteData,
  type MetafieldsSetData,
  type ProductCardNode,
  type ProductCardsData,
  type ProductSearchData,
  type ShopProfileData,
  type StoreCreditCreditData,
} from "./documents";

export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export class AdminApiError extends Error {}

/**
 * Whether a call that threw may still have been carried out by Shopify. Not when Shopify
 * answered and refused the whole request (THROTTLED and other GraphQL errors, HTTP 429): then
 * nothing ran. Any other failure (a timeout, a dropped connection, a 5xx) lost the answer, not
 * necessarily the call.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  return !(error instanceof AdminApiError || error instanceof GraphqlQueryError || error instanceof HttpThrottlingError);
}

async function run<T>(graphql: AdminGraphql, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await graphql(query, variables ? { variables } : undefined);
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new AdminApiError(body.errors.map((e) => e.message).join("; "));
  if (!body.data) throw new AdminApiError("Admin API answered without data");
  return body.data;
}

export async function fetchShopProfile(graphql: AdminGraphql): Promise<ShopProfile> {
  const { shop } = await run<ShopProfileData>(graphql, SHOP_PROFILE_QUERY);
  return {
    name: shop.name,
    contactEmail: shop.contactEmail,
    currency: shop.currencyCode,
    timezone: shop.ianaTimezone,
    country: shop.billingAddress?.countryCodeV2 ?? null,
  };
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

/**
 * A product's review aggregate as Shopify's standard product metafields hold it, and its most
 * recent reviews for the structured data (JSON-LD) themes print in the page's HTML.
 */
export type ProductRating = {
  productId: string;
  average: number;
  count: number;
  recent: { author: string; rating: number; title: string | null; body: string; date: string }[];
};
/** The metafields of one product's rating, in the order metafieldsSet receives them. */
const RATING_KEYS = [
  { namespace: "reviews", key: "rating" },
  { namespace: "reviews", key: "rating_count" },
  { namespace: "aftercare", key: "recent_reviews" },
] as const;
export const RATINGS_PER_CALL = Math.floor(25 / RATING_KEYS.length); // metafieldsSet takes at most 25

/**
 * Writes reviews.rating and reviews.rating_count (the standard definitions themes and Shopify
 * read) and aftercare.recent_reviews (JSON, for the structured-data embed). Atomic: with
 * userErrors nothing was written; each error names the product it is about.
 */
export async function setProductRatings(graphql: AdminGraphql, ratings: ProductRating[]): Promise<{ productId: string | null; message: string }[]> {
  const metafields = ratings.flatMap((r) => {
    const ownerId = productGid(r.productId);
    return [
      { ownerId, ...RATING_KEYS[0], type: "rating", value: JSON.stringify({ value: r.average.toFixed(2), scale_min: "1.0", scale_max: "5.0" }) },
      { ownerId, ...RATING_KEYS[1], type: "number_integer", value: String(r.count) },
      { ownerId, ...RATING_KEYS[2], type: "json", value: JSON.stringify(r.recent) },
    ];
  });
  const { metafieldsSet } = await run<MetafieldsSetData>(graphql, METAFIELDS_SET_MUTATION, { metafields });
  return metafieldsSet.userErrors.map((error) => ({
    productId: error.elementIndex != null ? (ratings[Math.floor(error.elementIndex / RATING_KEYS.length)]?.productId ?? null) : null,
    message: error.message,
  }));
}

/** Removes a product's rating metafields, so a product without published reviews shows no stars at all. */
export async function deleteProductRatings(graphql: AdminGraphql, productIds: string[]): Promise<string[]> {
  const metafields = productIds.flatMap((id) => RATING_KEYS.map((key) => ({ ownerId: productGid(id), ...key })));
  const { metafieldsDelete } = await run<MetafieldsDeleteData>(graphql, METAFIELDS_DELETE_MUTATION, { metafields });
  return metafieldsDelete.userErrors.map((error) => error.message);
}

export const customerGid = (id: string) => `gid://shopify/Customer/${id}`;

/** A discount code: one customer's, usable once (a reward), or anyone's, once each (a referral code). */
export type CodeDiscount = {
  code: string;
  title: string;
  /** Numeric, as the webhooks carry it; null: any customer may use it, once each. */
  customerId: string | null;
  startsAt: Date;
  /** null: never ends. */
  endsAt: Date | null;
  /** A fraction of the order (0.1 = 10 %), an amount in the shop's currency as a decimal ("5.00"), or free shipping. */
  value: { percentage: number } | { amount: string } | { freeShipping: true };
};
export type CodeDiscountResult = { kind: "created"; id: string } | { kind: "taken" } | { kind: "refused"; message: string };

/** Creates the code (discountCodeBasicCreate); "taken" when another discount already has it. */
export async function createCodeDiscount(graphql: AdminGraphql, discount: CodeDiscount): Promise<CodeDiscountResult> {
  const { value } = discount;
  const common = {
    title: discount.title,
    code: discount.code,
    startsAt: discount.startsAt.toISOString(),
    ...(discount.endsAt ? { endsAt: discount.endsAt.toISOString() } : {}),
    context: discount.customerId ? { customers: { add: [customerGid(discount.customerId)] } } : { all: "ALL" },
    appliesOncePerCustomer: true,
    ...(discount.customerId ? { usageLimit: 1 } : {}),
  };
  const result =
    "freeShipping" in value
      ? (await run<FreeShippingCodeCreateData>(graphql, FREE_SHIPPING_CODE_CREATE_MUTATION, { discount: { ...common, destination: { all: true } } }))
          .discountCodeFreeShippingCreate
      : (
          await run<CodeDiscountCreateData>(graphql, CODE_DISCOUNT_CREATE_MUTATION, {
            discount: {
              ...common,
              customerGets: {
                value: "percentage" in value ? { percentage: value.percentage } : { discountAmount: { amount: value.amount, appliesOnEachItem: false } },
                items: { all: true },
              },
            },
          })
        ).discountCodeBasicCreate;
  if (result.codeDiscountNode && result.userErrors.length === 0) return { kind: "created", id: result.codeDiscountNode.id };
  if (result.userErrors.some((error) => error.code === "TAKEN")) return { kind: "taken" };
  return { kind: "refused", message: result.userErrors.map((error) => error.message).join("; ") || "Shopify created no discount" };
}

/**
 * The discount that has this code, and whether it is the one we would have made: for this
 * customer alone, or (customerId null) for everyone; null when no discount has it.
 */
export async function findDiscountByCode(
  graphql: AdminGraphql,
  code: string,
  customerId: string | null,
): Promise<{ id: string; endsAt: Date | null; ours: boolean } | null> {
  const { codeDiscountNodeByCode: node } = await run<DiscountByCodeData>(graphql, DISCOUNT_BY_CODE_QUERY, { code });
  if (!node) return null;
  const context = node.codeDiscount.context ?? {};
  const customers = context.customers ?? [];
  return {
    id: node.id,
    endsAt: node.codeDiscount.endsAt ? new Date(node.codeDiscount.endsAt) : null,
    ours: customerId ? customers.length === 1 && customers[0]!.id === customerGid(customerId) : context.all === "ALL",
  };
}

/** Money as the Admin API takes it: a decimal amount and its currency. */
export type Money = { amount: string; currencyCode: string };
export type StoreCreditResult = { kind: "credited"; id: string; expiresAt: Date | null } | { kind: "refused"; message: string };

/**
 * Adds store credit to a customer's account in that currency (storeCreditAccountCredit; Shopify
 * opens the account on the first credit). Not idempotent: every call that runs credits again.
 */
export async function creditStoreCredit(
  graphql: AdminGraphql,
  credit: { customerId: string; amount: Money; expiresAt: Date | null },
): Promise<StoreCreditResult> {
  const { storeCreditAccountCredit: result } = await run<StoreCreditCreditData>(graphql, STORE_CREDIT_CREDIT_MUTATION, {
    id: customerGid(credit.customerId),
    creditInput: { creditAmount: credit.amount, ...(credit.expiresAt ? { expiresAt: credit.expiresAt.toISOString() } : {}) },
  });
  const transaction = result.storeCreditAccountTransaction;
  if (transaction && result.userErrors.length === 0)
    return { kind: "credited", id: transaction.id, expiresAt: transaction.expiresAt ? new Date(transaction.expiresAt) : null };
  return { kind: "refused", message: result.userErrors.map((error) => error.message).join("; ") || "Shopify credited nothing" };
}
