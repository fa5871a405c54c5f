// The app's public base URL (SHOPIFY_APP_URL, no trailing slash): links in emails and photo URLs.
export const appUrl = () => (process.env.SHOPIFY_APP_URL ?? "").replace(/\/$/, "");
