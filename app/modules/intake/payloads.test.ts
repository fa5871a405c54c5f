import { describe, expect, it } from "vitest";
import { PayloadError, readPrivacyRequest, shopifyId, toMinorUnits } from "./payloads";

describe("toMinorUnits", () => {
  it("converts decimal strings exactly, by the currency's own exponent", () => {
    expect(toMinorUnits("89.99", "USD")).toBe(8999);
    expect(toMinorUnits("0.1", "EUR")).toBe(10);
    expect(toMinorUnits("1200", "JPY")).toBe(1200);
    expect(toMinorUnits("12.345", "KWD")).toBe(12345);
    expect(toMinorUnits("-5.00", "USD")).toBe(-500);
    expect(toMinorUnits(0.29, "USD")).toBe(29);
  });

  it("rejects what is not an amount", () => {
    expect(() => toMinorUnits("ten", "USD")).toThrow(PayloadError);
  });
});

describe("shopifyId", () => {
  it("accepts safe numbers and exact decimal strings only", () => {
    expect(shopifyId(123456)).toBe("123456");
    expect(shopifyId("820982911946154508")).toBe("820982911946154508");
    expect(shopifyId(1.5)).toBeNull();
    expect(shopifyId(2 ** 60)).toBeNull();
    expect(shopifyId("gid://shopify/Order/1")).toBeNull();
    expect(shopifyId(null)).toBeNull();
  });
});

describe("readPrivacyRequest", () => {
  it("reads Shopify's documented compliance payloads", () => {
    expect(
      readPrivacyRequest({
        shop_id: 954889,
        shop_domain: "x.myshopify.com",
        customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
        orders_to_redact: [299938, 280263],
      }),
    ).toEqual({ customerId: "191167", email: "john@example.com", phone: "555-625-1199", orderIds: ["299938", "280263"], requestId: null });
  });

  it("refuses a request that names nobody", () => {
    expect(() => readPrivacyRequest({ shop_id: 1, customer: {} })).toThrow(PayloadError);
  });
});
