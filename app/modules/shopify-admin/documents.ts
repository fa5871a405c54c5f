// Every GraphQL document the app sends to the Admin API. The test suite validates each one
// against Shopify's published schema for the API version in shopify.app.toml.

export const SHOP_PROFILE_QUERY = /* GraphQL */ `
  query ShopProfile {
    shop {
      name
      contactEmail
      currencyCode
      ianaTimezone
      billingAddress {
        countryCodeV2
      }
    }
  }
`;

export type ShopProfileData = {
  shop: { name: string; contactEmail: string | null; currencyCode: string; ianaTimezone: string; billingAddress?: { countryCodeV2: string | null } | null };
};

/** What an email needs to show a product: link, picture, price, and whether it can be bought now. */
const PRODUCT_CARD_FIELDS = /* GraphQL */ `
  fragment ProductCard on Product {
    id
    title
    handle
    onlineStoreUrl
    status
    totalInventory
    tracksInventory
    productType
    vendor
    featuredMedia {
      preview {
        image {
          url(transform: { maxWidth: 240, maxHeight: 240 })
          altText
        }
      }
    }
    priceRangeV2 {
      minVariantPrice {
        amount
        currencyCode
      }
    }
  }
`;

export const PRODUCT_CARDS_QUERY = /* GraphQL */ `
  query ProductCards($ids: [ID!]!) {
    nodes(ids: $ids) {
      ...ProductCard
    }
  }
  ${PRODUCT_CARD_FIELDS}
`;

export const PRODUCT_SEARCH_QUERY = /* GraphQL */ `
  query ProductSearch($query: String!, $first: Int!) {
    products(first: $first, query: $query, sortKey: INVENTORY_TOTAL, reverse: true) {
      nodes {
        ...ProductCard
      }
    }
  }
  ${PRODUCT_CARD_FIELDS}
`;

export type ProductCardNode = {
  id: string;
  title: string;
  handle: string;
  onlineStoreUrl: string | null;
  status: "ACTIVE" | "ARCHIVED" | "DRAFT" | "UNLISTED";
  totalInventory: number | null;
  tracksInventory: boolean;
  productType: string;
  vendor: string;
  featuredMedia: { preview: { image: { url: string; altText: string | null } | null } | null } | null;
  priceRangeV2: { minVariantPrice: { amount: string; currencyCode: string } };
};
export type ProductCardsData = { nodes: (ProductCardNode | null)[] };
export type ProductSearchData = { products: { nodes: ProductCardNode[] } };

/** Writes product review aggregates (at most 25 metafields per call, atomically). */
export const METAFIELDS_SET_MUTATION = /* GraphQL */ `
  mutation SetProductRatings($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
        namespace
        owner {
          ... on Product {
            id
          }
        }
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

/** Removes aggregates of products left without published reviews (no stars rather than 0 stars). */
export const METAFIELDS_DELETE_MUTATION = /* GraphQL */ `
  mutation DeleteProductRatings($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        key
        namespace
        ownerId
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export type MetafieldsSetData = {
  metafieldsSet: { userErrors: { field: string[] | null; message: string; code: string | null; elementIndex: number | null }[] };
};
export type MetafieldsDeleteData = { metafieldsDelete: { userErrors: { field: string[] | null; message: string }[] } };

/** A discount code: one customer's one-use reward, or a referral code anyone may use once. */
export const CODE_DISCOUNT_CREATE_MUTATION = /* GraphQL */ `
  mutation CreateCodeDiscount($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

/** A one-use free-shipping code for one customer: a loyalty reward. */
export const FREE_SHIPPING_CODE_CREATE_MUTATION = /* GraphQL */ `
  mutation CreateFreeShippingDiscount($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

/** Who a discount code is for: some customers, or everyone. */
const DISCOUNT_CONTEXT_FIELDS = `
          endsAt
          context {
            ... on DiscountCustomers {
              customers {
                id
              }
            }
            ... on DiscountBuyerSelectionAll {
              all
            }
          }`;

/** A discount code looked up by its code: whether the one a worker asked for before a crash exists. */
export const DISCOUNT_BY_CODE_QUERY = /* GraphQL */ `
  query DiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {${DISCOUNT_CONTEXT_FIELDS}
        }
        ... on DiscountCodeFreeShipping {${DISCOUNT_CONTEXT_FIELDS}
        }
      }
    }
  }
`;

type CreatedDiscount = { codeDiscountNode: { id: string } | null; userErrors: { field: string[] | null; code: string | null; message: string }[] };
export type CodeDiscountCreateData = { discountCodeBasicCreate: CreatedDiscount };
export type FreeShippingCodeCreateData = { discountCodeFreeShippingCreate: CreatedDiscount };
export type DiscountByCodeData = {
  codeDiscountNodeByCode: { id: string; codeDiscount: { endsAt?: string | null; context?: { customers?: { id: string }[]; all?: "ALL" } } } | null;
};

/** Credits a customer's store credit account (created by Shopify on the first credit in a currency). */
export const STORE_CREDIT_CREDIT_MUTATION = /* GraphQL */ `
  mutation CreditStoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        id
        expiresAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

export type StoreCreditCreditData = {
  storeCreditAccountCredit: {
    storeCreditAccountTransaction: { id: string; expiresAt: string | null } | null;
    userErrors: { field: string[] | null; code: string | null; message: string }[];
  };
};
