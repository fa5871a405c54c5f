// Shopify signs each webhook with the base64 HMAC-SHA256 of the raw body, keyed by the app's
// client secret (shopify.dev/docs/apps/build/webhooks/verify-deliveries).
import { createHmac, timingSafeEqual } from "node:crypto";

/** Hashes the body chunk by chunk as it arrives, so checking it needs no second pass. */
export function shopifySignature(secret: string) {
  const hmac = createHmac("sha256", secret);
  return {
    update(chunk: Uint8Array): void {
      hmac.update(chunk);
    },
    /** Call once, after the last chunk. */
    matches(signature: string): boolean {
      const expected = hmac.digest();
      const received = Buffer.from(signature, "base64");
      // A signature of the wrong length is simply wrong; timingSafeEqual would throw on it.
      return received.length === expected.length && timingSafeEqual(received, expected);
    },
  };
}
