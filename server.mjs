// Production server: node:http in front of the Remix request handler, plus the built
// client assets. Lean on purpose: the two hot paths pay for every layer, so POST /webhooks/*
// goes straight to the app's openWebhook (app/webhooks.server.ts) and GET /proxy/reviews
// (the storefront's review list) to answerReviewsRequest (app/reviews-proxy.server.ts), without
// the Remix router. Unless RUN_WORKER=0, it also runs the worker (worker.mjs) beside itself.
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";

const root = fileURLToPath(new URL(".", import.meta.url));
const clientDir = join(root, "build", "client");
const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

function serveStatic(req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  let path;
  try {
    path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  } catch {
    // A malformed escape (/assets/%E0%A4%A) names no file: the client's mistake, not ours.
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("Bad Request");
    return true;
  }
  if (!path.startsWith("/assets/") && path !== "/favicon.ico") return false;
  const file = join(clientDir, path);
  if (!file.startsWith(clientDir)) return false;
  let stat;
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
async function receiveWebhook(open, req, res) {
  const delivery = open(req.url, (name) => req.headers[name]);
  if ("status" in delivery) return refuseUpload(req, res, delivery);
  const refusal = await new Promise((resolve) => {
    const stop = (result) => {
      req.off("data", onData).off("end", onEnd).off("close", onClose);
      resolve(result);
    };
    const onData = (chunk) => {
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
function refuseUpload(req, res, { status, headers, body }) {
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
const isReviewsRequest = (req) => req.method === "GET" && (req.url === "/proxy/reviews" || req.url.startsWith("/proxy/reviews?"));

async function answerReviews(answer, req, res) {
  sendReply(res, await answer(new URL(req.url, "http://localhost"), req.headers["if-none-match"] ?? null));
}

/** A reply the app computed outside Remix: { status, headers, body } (body null: none). */
function sendReply(res, { status, headers, body }) {
  res.writeHead(status, body === null ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body ?? undefined);
}

function toRequest(req, origin) {
  const controller = new AbortController();
  abortOnClientClose(req, controller);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url, origin), {
    method: req.method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: createReadableStreamFromReadable(req), duplex: "half" } : {}),
  });
}

function abortOnClientClose(req, controller) {
  req.once("close", () => {
    if (!req.complete) controller.abort();
  });
}

async function sendResponse(res, response) {
  const headers = {};
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

/**
 * Builds the HTTP server around a Remix build. `wrapRequest` lets the offline demo stand in
 * for Shopify admin (it adds the session token App Bridge would add); production passes none.
 */
export async function createAppServer({ build, wrapRequest } = {}) {
  const serverBuild = build ?? (await import(pathToFileURL(join(root, "build", "server", "index.js")).href));
  const handle = createRequestHandler(serverBuild, process.env.NODE_ENV ?? "production");
  const { openWebhook, answerReviewsRequest } = serverBuild.entry.module;
  return createServer(async (req, res) => {
    try {
      if (req.method === "POST" && req.url.startsWith("/webhooks/")) return await receiveWebhook(openWebhook, req, res);
      if (isReviewsRequest(req)) return await answerReviews(answerReviewsRequest, req, res);
      if (serveStatic(req, res)) return;
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

/** One machine: the worker as a child process, restarted if it dies. */
function startWorker() {
  let child;
  let stopping = false;
  const spawnWorker = () => {
    child = fork(join(root, "worker.mjs"), [], { stdio: "inherit" });
    child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`worker exited (${signal ?? code}); restarting in 1 s`);
      setTimeout(spawnWorker, 1000).unref();
    });
  };
  spawnWorker();
  return {
    stop() {
      stopping = true;
      child.kill("SIGTERM");
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 3000);
  const server = await createAppServer();
  server.keepAliveTimeout = 65_000;
  server.listen(port, () => console.log(`Aftercare listening on http://localhost:${server.address().port}`));
  const worker = process.env.RUN_WORKER === "0" ? null : startWorker();
  const stop = () => {
    worker?.stop();
    server.close(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
