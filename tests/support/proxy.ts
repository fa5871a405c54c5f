// Requests as Shopify's app proxy forwards them: the storefront's own query (repeats kept, in
// order), then what Shopify adds (shop, logged_in_customer_id, path_prefix, timestamp on the
// app's clock) and the signature over all of it.
import { request as httpRequest } from "node:http";
import { now } from "~/modules/clock";
import { proxySignature } from "~/edge/proxy";

export type ProxyOptions = { customerId?: string; secret?: string; timestamp?: number };

export function signedQuery(shop: string, pairs: [string, string][] = [], options: ProxyOptions = {}): URLSearchParams {
  const query = new URLSearchParams(pairs);
  query.append("shop", shop);
  query.append("logged_in_customer_id", options.customerId ?? "");
  query.append("path_prefix", "/apps/aftercare");
  query.append("timestamp", String(options.timestamp ?? Math.floor(now().getTime() / 1000)));
  query.append("signature", proxySignature(query, options.secret ?? process.env.SHOPIFY_API_SECRET!));
  return query;
}

export const proxyUrl = (
  appUrl: string,
  path: "reviews" | "questions" | "loyalty" | "loyalty/redeem" | "loyalty/birthday" | "referral" | `r/${string}`,
  shop: string,
  pairs: [string, string][] = [],
  options: ProxyOptions = {},
) => `${appUrl}/proxy/${path}?${signedQuery(shop, pairs, options)}`;

export type RawReply = { status: number | null; body: string; sentBytes: number; error: string | null };

/**
 * Posts a body chunk by chunk over plain node:http (chunked unless `headers` give a length) and
 * stops sending as soon as the server answers: what a hostile client would see, and how much of
 * its body was read before the answer. `chunks` is pulled lazily, so a huge body is never built.
 */
export function streamPost(url: string, headers: Record<string, string>, chunks: Iterable<Buffer>): Promise<RawReply> {
  return new Promise((resolve) => {
    let sentBytes = 0;
    let answered = false;
    const request = httpRequest(url, { method: "POST", headers });
    const finish = (reply: RawReply) => {
      if (answered) return;
      answered = true;
      resolve(reply);
    };
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => (body += text));
      response.on("end", () => finish({ status: response.statusCode ?? null, body, sentBytes, error: null }));
      response.on("error", (error) => finish({ status: response.statusCode ?? null, body, sentBytes, error: error.message }));
    });
    request.on("error", (error) => finish({ status: null, body: "", sentBytes, error: error.message }));
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      while (!answered && !request.destroyed) {
        const next = iterator.next();
        if (next.done) return void request.end();
        sentBytes += next.value.length;
        if (!request.write(next.value)) return void request.once("drain", pump);
      }
    };
    pump();
  });
}
