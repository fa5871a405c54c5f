// A stand-in for a shop's storefront: renders the theme extension's own block Liquid for a
// product into a page (with the Liquid filters Shopify provides that the blocks use: t, json,
// escape, arithmetic), serves the extension's assets, and forwards /apps/aftercare/* to the
// app's /proxy/* with the parameters and signature Shopify's app proxy adds.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Liquid, Tag, type Context, type Emitter, type Liquid as Engine, type TagToken, type TopLevelToken } from "liquidjs";
import { now } from "~/modules/clock";
import { proxySignature } from "~/edge/proxy";

const EXTENSION = new URL("../extensions/aftercare-theme/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, EXTENSION), "utf8");

/** Shopify's `t` filter: a key from the locale file, {{ name }} interpolation, one/other plurals. */
function translate(locale: Record<string, unknown>) {
  return (key: string, ...args: unknown[]) => {
    const values: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (Array.isArray(arg)) values[String(arg[0])] = arg[1];
    }
    let entry = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], locale);
    if (entry && typeof entry === "object") entry = (entry as Record<string, string>)[Number(values.count) === 1 ? "one" : "other"];
    return String(entry ?? key).replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ""));
  };
}

function themeEngine(): Engine {
  const engine = new Liquid({ outputEscape: undefined });
  engine.registerFilter("t", { handler: translate(JSON.parse(read("locales/en.default.json"))), raw: false });
  // Shopify's json filter escapes the characters that could end a <script> or start markup.
  engine.registerFilter("json", (value: unknown) => JSON.stringify(value ?? null).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`));
  // {% schema %} is the theme editor's, never output.
  engine.registerTag(
    "schema",
    class extends Tag {
      constructor(token: TagToken, remain: TopLevelToken[], liquid: Engine) {
        super(token, remain, liquid);
        while (remain.length > 0) {
          const next = remain.shift()!;
          if (next.getText().includes("endschema")) break;
        }
      }
      render(_ctx: Context, _emitter: Emitter): void {}
    },
  );
  return engine;
}

export type StorefrontProduct = {
  id: string;
  title: string;
  handle: string;
  rating: number | null;
  ratingCount: number;
  /** aftercare.recent_reviews, as the app writes it. */
  recent?: object[];
};

/** The logged-in customer as Liquid's `customer` object has them; none for a guest. */
export type StorefrontCustomer = { id: string; first_name: string; last_name: string; email: string };

export async function renderBlock(
  block: string,
  product: StorefrontProduct,
  settings: Record<string, unknown>,
  customer?: StorefrontCustomer,
): Promise<string> {
  const metafields = {
    reviews: {
      rating: product.rating === null ? undefined : { value: { rating: product.rating, scale_min: 1, scale_max: 5 } },
      rating_count: { value: product.ratingCount },
    },
    aftercare: { recent_reviews: product.recent ? { value: product.recent } : undefined },
  };
  return themeEngine().parseAndRender(read(`blocks/${block}.liquid`), {
    product: { id: product.id, title: product.title, url: `/products/${product.handle}`, metafields },
    block: { id: `${block}-1`, settings },
    customer,
    shop: { name: "Larch & Ember Coffee" },
    routes: { account_login_url: "/account/login", account_register_url: "/account/register" },
    request: { origin: "https://larch-and-ember.example" },
  });
}

export type Storefront = { url: string; close(): Promise<void> };

/** Serves `page` at /products/<handle>, the extension's assets, and the app proxy to `appUrl`. */
export async function startStorefront(options: {
  shop: string;
  appUrl: string;
  page: string;
  secret: string;
  handle: string;
  customerId?: string;
}): Promise<Storefront> {
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://storefront.test");
    if (url.pathname === `/products/${options.handle}`) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(options.page);
    } else if (url.pathname.startsWith("/assets/")) {
      const name = url.pathname.slice("/assets/".length);
      const type = name.endsWith(".js") ? "text/javascript" : "text/css";
      response.writeHead(200, { "content-type": type }).end(read(`assets/${name}`));
    } else if (url.pathname.startsWith("/apps/aftercare/")) {
      // What Shopify's app proxy does: forward the method and body to the app's proxy URL with
      // its signed parameters, the logged-in customer and the shopper's address; cookies stay behind.
      const query = new URLSearchParams(url.search);
      query.set("shop", options.shop);
      query.set("logged_in_customer_id", options.customerId ?? "");
      query.set("path_prefix", "/apps/aftercare");
      query.set("timestamp", String(Math.floor(now().getTime() / 1000))); // Shopify's time is the app's clock
      query.set("signature", proxySignature(query, options.secret));
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers: Record<string, string> = { "X-Forwarded-For": request.socket.remoteAddress ?? "", "X-Forwarded-Host": "storefront.test" };
      for (const name of ["content-type", "accept"]) if (request.headers[name]) headers[name] = String(request.headers[name]);
      const forwarded = await fetch(`${options.appUrl}/proxy/${url.pathname.slice("/apps/aftercare/".length)}?${query}`, {
        method: request.method,
        headers,
        body: request.method === "GET" || request.method === "HEAD" ? undefined : Buffer.concat(chunks),
        redirect: "manual",
      });
      // A redirect (the referral link's) goes back to the shopper as it came: relative, on the shop's own domain.
      const location = forwarded.headers.get("location");
      response
        .writeHead(forwarded.status, { "content-type": forwarded.headers.get("content-type") ?? "text/plain", ...(location ? { location } : {}) })
        .end(Buffer.from(await forwarded.arrayBuffer()));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A theme's product page around the rendered blocks, loading the blocks' assets as Shopify does (deferred). */
export function productPage(title: string, blocks: string[], assets: { css: string[]; js: string[] }, head: string[] = []): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;color:#222} main{max-width:760px;margin:0 auto;padding:24px 16px} .product-photo{aspect-ratio:4/3;background:#e9e2d8;border-radius:8px}</style>
${assets.css.map((name) => `<link rel="stylesheet" href="/assets/${name}">`).join("\n")}
${assets.js.map((name) => `<script src="/assets/${name}" defer></script>`).join("\n")}
${head.join("\n")}
</head><body><main>
<div class="product-photo"></div>
<h1>${title}</h1>
<p>$19.50</p>
${blocks.join("\n")}
</main></body></html>`;
}
