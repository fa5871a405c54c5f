// https://<shop>/apps/aftercare/r/CODE: the referral link a customer shares. Through Shopify's
// app proxy (signature checked), it sends the friend on to Shopify's /discount/CODE, which puts
// the code on their cart and lands them on the home page. The redirect is relative, so it stays
// on the shop's own domain; an unknown code lands on the home page with nothing applied.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProxyRequest } from "~/edge/proxy";
import { referralLanding } from "~/modules/referrals";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const proxy = requireProxyRequest(request);
  const location = await referralLanding(proxy.shop, params.code ?? "");
  return new Response(null, { status: 302, headers: { Location: location, "Cache-Control": "no-store" } });
};
