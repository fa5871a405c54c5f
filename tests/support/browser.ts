// Real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for page
// tests. Shopify's CDN is unreachable offline: its requests are answered at the network edge.
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// Headless Chromium announces itself as a bot, and Shopify's library answers bots with 410.
export const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";
export const SCREENSHOT_DIR = new URL("../screenshots/", import.meta.url).pathname;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: FLAGS });
}

export type PageProblems = { errors: string[] };

/**
 * A page at the given viewport that records script errors. cdn.shopify.com (App Bridge, the
 * Inter font) is answered empty, as if the admin had already provided it.
 */
export async function openPage(browser: Browser, width: number, height: number, headers: Record<string, string> = {}) {
  const context = await browser.newContext({ viewport: { width, height }, userAgent: BROWSER_USER_AGENT, extraHTTPHeaders: headers });
  await context.route("https://cdn.shopify.com/**", (route) =>
    route.fulfill({ status: 200, contentType: route.request().resourceType() === "script" ? "text/javascript" : "text/css", body: "" }),
  );
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on("pageerror", (error) => problems.errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.errors.push(message.text());
  });
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
