export * from "../../dev/payloads";
