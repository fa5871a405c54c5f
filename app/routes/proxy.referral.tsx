// https://<shop>/apps/aftercare/referral through Shopify's app proxy, for the referral block and
// headless storefronts: the signed-in customer's code (recorded on the first ask while the
// program is live), their link, and how many friends earned them a reward. A guest gets the
// program with no code. Only requests Shopify signed are answered; never cached.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProxyRequest } from "~/edge/proxy";
import { now } from "~/modules/clock";
import { storefrontReferral } from "~/modules/referrals";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = requireProxyRequest(request);
  return Response.json(await storefrontReferral(proxy.shop, proxy.customerId, now()), { headers: { "Cache-Control": "private, no-store" } });
};
