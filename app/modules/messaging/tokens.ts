// Signed links in emails: whoever holds the link may do that one thing (unsubscribe, answer
// a check-in or survey, review a product, choose when to be reminded, answer a shopper's
// question) without logging in, and nobody can forge or alter one. The payload is readable
// (base64url JSON); the HMAC keeps it honest.
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "~/env.server";

export type LinkPurpose = "unsubscribe" | "checkin" | "nps" | "review" | "reorder" | "answer" | "conversation";
export type LinkClaims = { shop: string; message: string; purpose: LinkPurpose; expires: number };

const secret = () => `aftercare-links:${env().SHOPIFY_API_SECRET}`;

const mac = (payload: string) => createHmac("sha256", secret()).update(payload).digest("base64url");

export function signLink(claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify([claims.shop, claims.message, claims.purpose, claims.expires])).toString("base64url");
  return `${payload}.${mac(payload)}`;
}

/** The claims of a genuine, unexpired token for `purpose`; null for anything else. */
export function verifyLink(token: string, purpose: LinkPurpose, now: Date): LinkClaims | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(payload));
  const received = Buffer.from(signature);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) return null;
  try {
    const [shop, message, claimedPurpose, expires] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
    if (typeof shop !== "string" || typeof message !== "string" || typeof expires !== "number") return null;
    if (claimedPurpose !== purpose || expires < now.getTime()) return null;
    return { shop, message, purpose, expires };
  } catch {
    return null;
  }
}
