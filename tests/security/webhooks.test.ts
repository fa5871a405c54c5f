// Oversized and flooding webhook bodies against the built server as `npm start` runs it (its own
// process, so its memory is measured alone), and against the Remix routes `shopify app dev` serves.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { sendWebhook, uniqueShop } from "../support/app";
import { orderPayload, toShopifyJson } from "../support/payloads";

const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), "aftercare-webhook-limits-"));
const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${join(dir, "app.sqlite")}`, NODE_ENV: "production", PORT: "0", RUN_WORKER: "0" };
const setup = spawnSync(process.execPath, ["scripts/setup-db.mjs", "--migrate-only"], { env, encoding: "utf8" });
if (setup.status !== 0) throw new Error(setup.stderr);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: ChildProcess | undefined;
afterEach(async () => {
  server?.kill("SIGTERM");
  if (server?.exitCode === null) await new Promise((done) => server!.once("exit", done));
  server = undefined;
});

/** A fresh production server process (build/server/main.js), warmed by one real delivery; its port. */
async function startServer(): Promise<number> {
  const child = spawn(process.execPath, ["build/server/main.js"], { env, stdio: ["ignore", "pipe", "inherit"] });
  server = child;
  const port = await new Promise<number>((done, fail) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const found = /listening on http:\/\/localhost:(\d+)/.exec(chunk.toString())?.[1];
      if (found) done(Number(found));
    });
    child.once("exit", (code) => fail(new Error(`build/server/main.js exited with ${code}`)));
  });
  const warm = await sendWebhook({ url: `http://127.0.0.1:${port}` }, "orders/paid", toShopifyJson(orderPayload()), { shop: uniqueShop("warm") });
  expect(warm.status).toBe(200);
  return port;
}

/**
 * Sends one over-cap chunked body first, so what the refusal path costs the first time (code
 * loaded, buffers pooled) is not counted as holding a body, then starts the server's peak
 * memory afresh; returns its memory then.
 */
async function steadyMemory(port: number) {
  expect(await post(port, unsignedHeaders(), Buffer.alloc(5 * MB, 32), true)).toMatchObject({ status: 413 });
  return memoryFromNow();
}

/** Starts the server's peak memory afresh (Linux: 5 in /proc/<pid>/clear_refs resets VmHWM), so a peak reached while starting up is not counted; its memory then. */
function memoryFromNow() {
  writeFileSync(`/proc/${server!.pid}/clear_refs`, "5");
  return memory();
}

/** The server's resident memory now, and the most it ever held (kB from /proc, in bytes). */
function memory(): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${server!.pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** The headers Shopify sends, with a signature that does not match any body. */
function unsignedHeaders(extra: Record<string, string | number> = {}) {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": "orders/paid",
    "X-Shopify-Hmac-Sha256": Buffer.alloc(32).toString("base64"),
    "X-Shopify-Shop-Domain": uniqueShop("flood"),
    "X-Shopify-API-Version": "2025-10",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    ...extra,
  };
}

type Outcome = { status: number; retryAfter?: string; body: string; ms: number };

/**
 * Posts `body` (a Buffer written in 64 kB slices, the same memory for every request) and stops
 * sending once the answer is in, as a client does. Fails if the connection breaks before an answer.
 */
function post(port: number, headers: Record<string, string | number>, body: Buffer | null, chunked = false): Promise<Outcome> {
  const started = performance.now();
  return new Promise((done, fail) => {
    let answered = false;
    const req = request(
      {
        agent: false,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/webhooks/orders/paid",
        headers: { ...headers, ...(chunked ? { "Transfer-Encoding": "chunked" } : {}) },
      },
      (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () => {
          req.destroy();
          done({ status: res.statusCode!, retryAfter: res.headers["retry-after"], body: Buffer.concat(parts).toString(), ms: performance.now() - started });
        });
      },
    );
    req.on("error", (error) => {
      if (!answered) fail(error);
    });
    let offset = 0;
    const write = () => {
      while (body && offset < body.length && !answered && !req.destroyed) {
        const slice = body.subarray(offset, offset + 64 * 1024);
        offset += slice.length;
        if (!req.write(slice)) return void req.once("drain", write);
      }
      if (!answered && !req.destroyed && (!body || offset >= body.length)) req.end();
    };
    write();
  });
}

describe("the production server (build/server/main.js) against oversized bodies", () => {
  it("answers 400 to missing headers and 413 to a declared 50 MB body at once, without reading it", async () => {
    const port = await startServer();
    // Only the headers are sent: an answer can come only from the headers.
    const missing = await post(port, { "Content-Length": 50 * MB, "X-Shopify-Topic": "orders/paid" }, null);
    expect(missing.status).toBe(400);
    // Measured from after that first answer: the server's first request warms what every request uses.
    const before = memoryFromNow();
    const declared = await new Promise<{ head: string; ms: number }>((done, fail) => {
      const started = performance.now();
      let ms = 0;
      const socket = connect(port, "127.0.0.1", () => {
        const head = Object.entries(unsignedHeaders({ "Content-Length": 50 * MB })).map(([k, v]) => `${k}: ${v}`);
        socket.write(`POST /webhooks/orders/paid HTTP/1.1\r\nHost: x\r\n${head.join("\r\n")}\r\n\r\n`);
      });
      let text = "";
      socket.on("data", (part) => {
        ms ||= performance.now() - started;
        text += part.toString();
      });
      socket.on("end", () => done({ head: text, ms }));
      socket.on("error", fail);
    });
    expect(declared.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(declared.head).toMatch(/Connection: close/i);
    expect(declared.head).toMatch(/Payload too large$/);
    expect(declared.ms).toBeLessThan(500);
    // And a client that does send its 50 MB gets the answer intact, long before it could have been read.
    const sent = await post(port, unsignedHeaders({ "Content-Length": 50 * MB }), Buffer.alloc(50 * MB, 32));
    expect(sent).toMatchObject({ status: 413, body: "Payload too large" });
    expect(sent.ms).toBeLessThan(1000);
    expect(memory().peak - before.rss).toBeLessThan(20 * MB);
  });

  it("answers 413 cleanly to a chunked 40 MB body, having held no more than the cap", async () => {
    const port = await startServer();
    const before = await steadyMemory(port);
    const outcome = await post(port, unsignedHeaders(), Buffer.alloc(40 * MB, 32), true);
    expect(outcome).toMatchObject({ status: 413, body: "Payload too large" });
    // Holding the body would take 40 MB; the 4 MB cap plus garbage not yet collected stays well under half of it.
    expect(memory().peak - before.rss).toBeLessThan(20 * MB);
  });

  it("keeps its memory bounded under 200 concurrent 10 MB bodies, and under 200 concurrent 3 MB ones (503, Retry-After)", async () => {
    const port = await startServer();
    const before = memoryFromNow();
    const big = Buffer.alloc(10 * MB, 32);
    const large = await Promise.all(Array.from({ length: 200 }, () => post(port, unsignedHeaders({ "Content-Length": big.length }), big)));
    expect(large.map((o) => o.status)).toEqual(Array(200).fill(413));
    // Sockets, parsers and the refused bytes thrown away while lingering: tens of MB, not 2000.
    expect(memory().peak - before.rss).toBeLessThan(150 * MB);

    // Below the cap, each body is held until it is checked; 64 MiB in all. Uploads that stall
    // holding 3 MB each use it up, and the next is turned away before it is read.
    const stalled = Array.from({ length: 22 }, () => {
      const req = request({
        agent: false,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/webhooks/orders/paid",
        headers: unsignedHeaders({ "Content-Length": 3 * MB }),
      });
      req.on("error", () => {});
      req.write(Buffer.alloc(MB, 32));
      return req;
    });
    await new Promise((done) => setTimeout(done, 500));
    const busy = await post(port, unsignedHeaders({ "Content-Length": 3 * MB }), Buffer.alloc(3 * MB, 32));
    expect(busy).toMatchObject({ status: 503, retryAfter: "5" });
    for (const req of stalled) req.destroy();
    await new Promise((done) => setTimeout(done, 500));

    const under = Buffer.alloc(3 * MB, 32);
    const flood = await Promise.all(Array.from({ length: 200 }, () => post(port, unsignedHeaders({ "Content-Length": under.length }), under)));
    expect(flood.filter((o) => o.status !== 401 && o.status !== 503)).toEqual([]);
    expect(memory().peak - before.rss).toBeLessThan(300 * MB); // of 600 MB sent
    // The budget is given back: a real delivery still goes through.
    const after = await sendWebhook({ url: `http://127.0.0.1:${port}` }, "orders/paid", toShopifyJson(orderPayload()), { shop: uniqueShop("after") });
    expect(after.status).toBe(200);
  }, 60_000);
});

describe("the Remix webhook routes (what `shopify app dev` serves) against oversized bodies", () => {
  it("refuses by headers and declared size before reading, and caps a chunked body", async () => {
    const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
    const handle = createRequestHandler(build, "production");
    let pulled = 0;
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 1;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      });
    const post = (headers: Record<string, string>, body: ReadableStream<Uint8Array>) =>
      handle(new Request("http://remix.test/webhooks/orders/paid", { method: "POST", headers, body, duplex: "half" } as RequestInit));
    const headers = Object.fromEntries(Object.entries(unsignedHeaders()).map(([k, v]) => [k, String(v)]));

    const missing = await post({ "X-Shopify-Topic": "orders/paid" }, endless());
    expect(missing.status).toBe(400);
    const wrongTopic = await post({ ...headers, "X-Shopify-Topic": "shop/redact" }, endless());
    expect(wrongTopic.status).toBe(400);
    const declared = await post({ ...headers, "Content-Length": String(50 * MB) }, endless());
    expect(declared.status).toBe(413);
    // Remix itself may look at the first chunk; nothing more is taken.
    expect(pulled).toBeLessThanOrEqual(3 * 2);

    pulled = 0;
    const chunked = await post(headers, endless());
    expect(chunked.status).toBe(413);
    expect(pulled * 64 * 1024).toBeLessThan(5 * MB);
  });
});
