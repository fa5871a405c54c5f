// The production HTTP server: node:http in front of the Remix request handler, plus the built
// client assets. Lean on purpose: the two hot paths pay for every layer, so POST /webhooks/*
// goes straight to the app's openWebhook (app/edge/webhooks.ts) and GET /proxy/reviews (the
// storefront's review list) to answerReviewsRequest (app/reviews-proxy.server.ts), without the
// Remix router. Both come from the Remix build's entry, so one copy of the app runs per process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createReadStream, statSync, type Stats } from "node:fs";
import { extname, join, normalize } from "node:path";
import { pathToFileURL } from "node:url";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type { openWebhook, WebhookReply } from "~/edge/webhooks";
import type { answerReviewsRequest } from "~/reviews-proxy.server";
import { env } from "~/env.server";

type Reply = { status: number; headers?: Record<string, string>; body: string | null };
/** What app/entry.server.tsx hands the server beside Remix's document handler. */
type AppEntry = { openWebhook: typeof openWebhook; answerReviewsRequest: typeof answerReviewsRequest };

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

function serveStatic(clientDir: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  let path: string;
  try {
    path = normalize(decodeURIComponent(new URL(req.url!, "http://x").pathname));
  } catch {
    // A malformed escape (/assets/%E0%A4%A) names no file: the client's mistake, not ours.
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("Bad Request");
    return true;
  }
  if (!path.startsWith("/assets/") && path !== "/favicon.ico") return false;
  const file = join(clientDir, path);
  if (!file.startsWith(clientDir)) return false;
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch {
    return false;
  }
  if (!stat.isFile()) return false;
  res.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Length": stat.size,
    // Vite fingerprints everything under /assets.
    "Cache-Control": path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
  });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
  return true;
}

/** How long a refused upload may go on being sent (and thrown away) before the connection is cut. */
const LINGER_MS = 2000;

/**
 * Transport only: the app's openWebhook decides (headers, size, memory budget, HMAC, storing);
 * this feeds it the body as it arrives, never more than it accepts, and sends its reply.
 */
async function receiveWebhook(open: AppEntry["openWebhook"], req: IncomingMessage, res: ServerResponse) {
  const delivery = open(req.url!, (name) => req.headers[name] as string | undefined);
  if ("status" in delivery) return refuseUpload(req, res, delivery);
  const refusal = await new Promise<WebhookReply | null | false>((resolve) => {
    const stop = (result: WebhookReply | null | false) => {
      req.off("data", onData).off("end", onEnd).off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      const reply = delivery.write(chunk);
      if (reply) stop(reply);
    };
    const onEnd = () => stop(null);
    const onClose = () => {
      delivery.release();
      stop(false);
    };
    req.on("data", onData).once("end", onEnd).once("close", onClose);
  });
  if (refusal === false) return; // the client went away mid-body: nobody to answer
  if (refusal) return refuseUpload(req, res, refusal);
  const reply = await delivery.end();
  sendReply(res, { ...reply, headers: { ...reply.headers, "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * Answers at once, but closes only once the client has stopped sending (or after LINGER_MS),
 * throwing the rest of its body away unread: closing a socket that still receives resets the
 * connection, and the reset can wipe the answer before the client reads it.
 */
function refuseUpload(req: IncomingMessage, res: ServerResponse, { status, headers, body }: WebhookReply) {
  res.writeHead(status, { ...headers, "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body), Connection: "close" });
  res.write(body);
  const close = () => {
    clearTimeout(timer);
    req.off("end", close).off("close", close);
    res.end();
  };
  const timer = setTimeout(close, LINGER_MS);
  if (req.readableEnded) return close();
  req.once("end", close).once("close", close).resume();
}

/** The storefront review list: only GET (other methods on the path are the Remix route's). */
const isReviewsRequest = (req: IncomingMessage) => req.method === "GET" && (req.url === "/proxy/reviews" || req.url!.startsWith("/proxy/reviews?"));

async function answerReviews(answer: AppEntry["answerReviewsRequest"], req: IncomingMessage, res: ServerResponse) {
  sendReply(res, await answer(new URL(req.url!, "http://localhost"), req.headers["if-none-match"] ?? null));
}

/** A reply the app computed outside Remix (body null: none). */
function sendReply(res: ServerResponse, { status, headers, body }: Reply) {
  res.writeHead(status, body === null ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body ?? undefined);
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const controller = new AbortController();
  abortOnClientClose(req, controller);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url!, origin), {
    method: req.method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: createReadableStreamFromReadable(req), duplex: "half" } : {}),
  } as RequestInit);
}

function abortOnClientClose(req: IncomingMessage, controller: AbortController) {
  req.once("close", () => {
    if (!req.complete) controller.abort();
  });
}

async function sendResponse(res: ServerResponse, response: Response) {
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of response.headers) {
    if (key === "set-cookie") continue;
    headers[key] = value;
  }
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, response.statusText, headers);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export type AppServerOptions = {
  /** The build directory (`build/`): its server/index.js is the Remix build, its client/ the assets. */
  buildDir: string;
  /** Lets the offline demo stand in for Shopify admin (it adds the session token App Bridge would add); production passes none. */
  wrapRequest?: (request: Request) => Promise<Request>;
};

/** Builds the HTTP server around the Remix build in `buildDir`. */
export async function createAppServer({ buildDir, wrapRequest }: AppServerOptions): Promise<Server> {
  const clientDir = join(buildDir, "client");
  const serverBuild = (await import(pathToFileURL(join(buildDir, "server", "index.js")).href)) as ServerBuild;
  const handle = createRequestHandler(serverBuild, env().NODE_ENV);
  const { openWebhook, answerReviewsRequest } = serverBuild.entry.module as unknown as AppEntry;
  return createServer(async (req, res) => {
    try {
      if (req.method === "POST" && req.url!.startsWith("/webhooks/")) return await receiveWebhook(openWebhook, req, res);
      if (isReviewsRequest(req)) return await answerReviews(answerReviewsRequest, req, res);
      if (serveStatic(clientDir, req, res)) return;
      const origin = `http://${req.headers.host ?? "localhost"}`;
      let request = toRequest(req, origin);
      if (wrapRequest) request = await wrapRequest(request);
      await sendResponse(res, await handle(request));
    } catch (error) {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("Internal Server Error");
    }
  });
}
