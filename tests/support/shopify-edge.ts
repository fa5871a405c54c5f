export * from "../../dev/shopify/admin";
