/**
 * Parses a Shopify webhook body. Shopify ids exceed 2^53, so plain JSON.parse would round
 * them; every integer literal that is not a safe JS integer becomes its exact decimal string.
 * Text no database column can hold (a lone surrogate such as \ud800, or \u0000, which
 * PostgreSQL refuses) becomes U+FFFD: otherwise the delivery would fail on every attempt.
 */
export function parseShopifyJson(text: string): unknown {
  return JSON.parse(normalize(text));
}

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const LOWER_U = 117;
const REPLACEMENT = "\\ufffd";

/** The code unit of the \uXXXX escape at `at` (the backslash), or -1 when there is none. */
function escapedUnit(text: string, at: number): number {
  if (text.charCodeAt(at) !== BACKSLASH || text.charCodeAt(at + 1) !== LOWER_U) return -1;
  const hex = text.slice(at + 2, at + 6);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : -1;
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

function isNumberChar(code: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (code >= 48 && code <= 57) || code === 46 || code === 101 || code === 69 || code === 43 || code === MINUS;
}

function normalize(text: string): string {
  let out = "";
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i++;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === BACKSLASH) {
          const unit = escapedUnit(text, i);
          if (isHigh(unit) && isLow(escapedUnit(text, i + 6))) i += 12;
          else if (unit === 0 || isHigh(unit) || isLow(unit)) {
            out += text.slice(copiedUpTo, i) + REPLACEMENT;
            i += 6;
            copiedUpTo = i;
          } else i += 2;
        } else if (c === QUOTE) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (code === MINUS || (code >= 48 && code <= 57)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      // 16+ characters is the shortest literal that can exceed Number.MAX_SAFE_INTEGER.
      if (i - start >= 16) {
        const literal = text.slice(start, i);
        if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
          out += text.slice(copiedUpTo, start) + '"' + literal + '"';
          copiedUpTo = i;
        }
      }
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}
