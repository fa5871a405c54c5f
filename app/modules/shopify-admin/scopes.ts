/**
 * What the whole product asks the merchant for: orders and customers (follow-ups, loyalty),
 * fulfillments (delivery timing), products and their metafields (review stars), discounts
 * and store credit (rewards), the app proxy (storefront widgets). Must equal [access_scopes] in shopify.app.toml (a test holds
 * them together).
 */
export const ACCESS_SCOPES = [
  "read_customers",
  "write_customers",
  "read_orders",
  "read_fulfillments",
  "read_products",
  "write_products",
  "write_discounts",
  "read_store_credit_account_transactions",
  "write_store_credit_account_transactions",
  "write_app_proxy",
];
