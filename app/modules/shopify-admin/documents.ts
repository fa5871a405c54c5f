// Every GraphQL document the app sends to the Admin API. The test suite validates each one
// against Shopify's published schema for the API version in shopify.app.toml.

export const SHOP_PROFILE_QUERY = /* GraphQL */ `
  query ShopProfile {
    shop {
      name
      contactEmail
      currencyCode
      ianaTimezone
    }
  }
`;

export type ShopProfileData = {
  shop: { name: string; contactEmail: string | null; currencyCode: string; ianaTimezone: string };
};
