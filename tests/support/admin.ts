// Requests into the embedded admin the way App Bridge makes them: with a session token
// (an HS256 JWT signed with the app secret) for a shop whose offline session is stored.
import { getJwt } from "@shopify/shopify-api/test-helpers";
import db from "~/db.server";
import { ACCESS_SCOPES } from "~/modules/shopify-admin/scopes";
import type { RunningApp } from "./app";

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

export const ADMIN_SCOPES = ACCESS_SCOPES.join(",");

/** Stores the offline session Shopify's token exchange would have produced at install. */
export async function installSession(shop: string): Promise<void> {
  const id = `offline_${shop}`;
  const data = { shop, state: "installed", isOnline: false, scope: ADMIN_SCOPES, accessToken: "shpat_test_token" };
  await db.session.upsert({ where: { id }, create: { id, ...data }, update: data });
}

export async function sessionToken(shop: string): Promise<string> {
  const store = shop.replace(/\.myshopify\.com$/, "");
  return (await getJwt(store, process.env.SHOPIFY_API_KEY!, process.env.SHOPIFY_API_SECRET!)).token;
}

export async function adminFetch(app: RunningApp, shop: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    ...init,
    redirect: "manual",
    headers: { "User-Agent": BROWSER, Authorization: `Bearer ${await sessionToken(shop)}`, ...init.headers },
  });
}
