// App Bridge's `shopify` global exists inside Shopify admin. Outside it (the offline demo, a
// page opened directly) useAppBridge() throws; these pages then fall back to banners and say
// what needs the admin, instead of failing to render.
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";

export type ShopifyGlobal = ReturnType<typeof useAppBridge>;

/** The `shopify` global once the page has hydrated and it exists; null before that and outside the admin. */
export function useOptionalAppBridge(): ShopifyGlobal | null {
  let shopify: ShopifyGlobal | null;
  try {
    shopify = useAppBridge();
  } catch {
    shopify = null;
  }
  // On the server useAppBridge() returns a stand-in; null until mounted keeps the server's and the browser's first render equal.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? shopify : null;
}
