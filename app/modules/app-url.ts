// The app's public base URL (SHOPIFY_APP_URL, no trailing slash): links in emails and photo URLs.
import { env } from "~/env.server";

export const appUrl = () => env().SHOPIFY_APP_URL.replace(/\/$/, "");
