/**
 * Parses a Shopify webhook body. Shopify ids exceed 2^53, so plain JSON.parse would round
 * them; every integer literal that is not a safe JS integer becomes its exact decimal string.
 */
export function parseShopifyJson(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;

function isNumberChar(code: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (code >= 48 && code <= 57) || code === 46 || code === 101 || code === 69 || code === 43 || code === MINUS;
}

function quoteUnsafeIntegers(text: string): string {
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
        if (c === BACKSLASH) i += 2;
        else if (c === QUOTE) { i++; break; }
        else i++;
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
