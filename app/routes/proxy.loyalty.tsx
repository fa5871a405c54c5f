// https://<shop>/apps/aftercare/loyalty through Shopify's app proxy, for the loyalty widget and
// headless storefronts: the program, the signed-in customer's points and history (null for a
// guest: the program to join) and the rewards. Only requests Shopify signed are answered, and
// `logged_in_customer_id` from the signed query is the only identity. Never cached: it is one
// customer's balance.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProxyRequest } from "~/edge/proxy";
import { now } from "~/modules/clock";
import { storefrontLoyalty } from "~/modules/loyalty";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = requireProxyRequest(request);
  return Response.json(await storefrontLoyalty(proxy.shop, proxy.customerId, now()), { headers: { "Cache-Control": "private, no-store" } });
};
