import { describe, expect, it } from "vitest";
import { parseShopifyJson } from "./json";

describe("parseShopifyJson", () => {
  it("keeps ids above 2^53 exact as decimal strings and leaves safe numbers alone", () => {
    const parsed = parseShopifyJson('{"id":820982911946154508,"n":-9007199254740993,"qty":2,"price":89.99,"small":9007199254740991}') as Record<
      string,
      unknown
    >;
    expect(parsed).toEqual({ id: "820982911946154508", n: "-9007199254740993", qty: 2, price: 89.99, small: 9007199254740991 });
  });

  it("never touches digits inside strings, including escaped quotes", () => {
    const text = '{"note":"ref \\"820982911946154508\\", 820982911946154508","ids":[820982911946154508,1]}';
    expect(parseShopifyJson(text)).toEqual({ note: 'ref "820982911946154508", 820982911946154508', ids: ["820982911946154508", 1] });
  });

  it("leaves long floats and exponents as numbers", () => {
    expect(parseShopifyJson("[1234567890123456.5, 1e300]")).toEqual([1234567890123456.5, 1e300]);
  });

  it("throws on malformed JSON", () => {
    expect(() => parseShopifyJson('{"id": 1,')).toThrow(SyntaxError);
  });
});

describe("parseShopifyJson, text no column can hold", () => {
  it("replaces lone surrogates and NUL with U+FFFD and keeps well-formed pairs", () => {
    const text = String.raw`{"a":"Ada\ud800","b":"\udc00x","c":"\ud83d\ude00","d":"nul\u0000","e":"\\ud800","f":"\ud800\ud800\udc00"}`;
    expect(parseShopifyJson(text)).toEqual({ a: "Ada\ufffd", b: "\ufffdx", c: "😀", d: "nul\ufffd", e: "\\ud800", f: "\ufffd𐀀" });
  });

  it("still quotes unsafe integers after a replacement", () => {
    expect(parseShopifyJson(String.raw`{"n":"\ud800","id":820982911946154508}`)).toEqual({ n: "\ufffd", id: "820982911946154508" });
  });
});
