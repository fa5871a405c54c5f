// The door of the pages emails link to: a signed token (messaging/tokens) for one purpose, then
// what it names. Whatever fails, forged, expired, for another purpose or naming nothing any
// more, the shopper sees the same 404, so a link tells nothing about why it does not work.
import { now } from "~/modules/clock";
import { verifyLink, type LinkClaims, type LinkPurpose } from "~/modules/messaging/tokens";

const NOT_VALID = "This link has expired or is not valid.";

/**
 * What a genuine, unexpired link for one of `purposes` names, as `find` looks it up from its
 * claims; anything else is answered 404 here.
 */
export async function requireSignedLink<T>(token: string | undefined, purposes: LinkPurpose[], find: (claims: LinkClaims) => Promise<T | null>): Promise<T> {
  const at = now();
  const claims = token ? purposes.reduce<LinkClaims | null>((found, purpose) => found ?? verifyLink(token, purpose, at), null) : null;
  const found = claims ? await find(claims) : null;
  if (!found) throw new Response(NOT_VALID, { status: 404 });
  return found;
}
