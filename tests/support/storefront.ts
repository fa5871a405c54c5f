export * from "../../dev/storefront";
