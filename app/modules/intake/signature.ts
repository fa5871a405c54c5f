// Shopify signs each webhook with the base64 HMAC-SHA256 of the raw body, keyed by the app's
// client secret (shopify.dev/docs/apps/build/webhooks/verify-deliveries).
import { createHmac, timingSafeEqual } from "node:crypto";

export function isSignedByShopify(rawBody: Buffer | string, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const received = Buffer.from(signature, "base64");
  // A signature of the wrong length is simply wrong; timingSafeEqual would throw on it.
  return received.length === expected.length && timingSafeEqual(received, expected);
}
