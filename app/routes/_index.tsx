import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

// Shopify opens the app with ?shop=...; anyone else is sent to the App Store listing flow.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response("Aftercare is a Shopify app: install it from the Shopify App Store and open it from your store admin.", {
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
};
