// `npm start` as a deployment runs it: the built server (build/server/main.js) on a fresh database
// with its worker beside it, and the Remix webhook route that `shopify app dev` serves instead of
// the server's fast path.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWebhook, uniqueShop } from "./support/app";
import { newId, orderPayload, toShopifyJson } from "./support/payloads";

const dir = mkdtempSync(join(tmpdir(), "aftercare-start-"));
const file = join(dir, "app.sqlite");
const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${file}`, NODE_ENV: "production", PORT: "0" };
let server: ChildProcess;
let url: string;

beforeAll(async () => {
  const setup = spawnSync(process.execPath, ["scripts/setup-db.mjs", "--migrate-only"], { env, encoding: "utf8" });
  expect(setup.status, setup.stderr).toBe(0);
  server = spawn(process.execPath, ["build/server/main.js"], { env, stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise<string>((resolve, reject) => {
    server.stdout!.on("data", (chunk: Buffer) => {
      const port = /listening on http:\/\/localhost:(\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    server.once("exit", (code) => reject(new Error(`build/server/main.js exited with ${code}`)));
  });
}, 60_000);

afterAll(async () => {
  server?.kill("SIGTERM");
  await new Promise((resolve) => server?.once("exit", resolve));
  rmSync(dir, { recursive: true, force: true });
});

function deliveryRow(shop: string, webhookId: string) {
  const sqlite = new Database(file, { readonly: true });
  try {
    return sqlite.prepare(`SELECT outcome, payload FROM "WebhookDelivery" WHERE shop = ? AND webhookId = ?`).get(shop, webhookId) as
      { outcome: string; payload: string | null } | undefined;
  } finally {
    sqlite.close();
  }
}

describe("npm start", () => {
  it("stores a signed delivery before answering, and its worker applies it", async () => {
    const shop = uniqueShop("start");
    const webhookId = newId();
    const response = await sendWebhook({ url }, "orders/paid", toShopifyJson(orderPayload()), { shop, webhookId });
    expect(response.status).toBe(200);
    expect(deliveryRow(shop, webhookId)).toBeDefined();
    let row = deliveryRow(shop, webhookId);
    for (let i = 0; i < 100 && row?.outcome === "pending"; i++) {
      await sleep(100);
      row = deliveryRow(shop, webhookId);
    }
    expect(row).toEqual({ outcome: "processed", payload: null });
  });
});

describe("the Remix webhook routes (what `shopify app dev` serves)", () => {
  it("verify, store and refuse exactly like the production fast path", async () => {
    // Built by `npm test` before the suite runs (so not a static import the type-check would resolve).
    const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
    const handle = createRequestHandler(build, "production");
    const { default: db } = await import("~/db.server");
    const viaRemix = { url: "http://remix.test", close: async () => undefined };
    const shop = uniqueShop("remix");
    const original = globalThis.fetch;
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => handle(new Request(input, init))) as typeof fetch;
    try {
      const webhookId = newId();
      const accepted = await sendWebhook(viaRemix, "orders/create", toShopifyJson(orderPayload()), { shop, webhookId });
      expect(accepted.status).toBe(200);
      const forged = await sendWebhook(viaRemix, "orders/create", toShopifyJson(orderPayload()), { shop, secret: "forged" });
      expect(forged.status).toBe(401);
      const notJson = await sendWebhook(viaRemix, "orders/create", "{", { shop });
      expect(notJson.status).toBe(400);
    } finally {
      globalThis.fetch = original;
    }
    expect(await db.webhookDelivery.findMany({ where: { shop }, select: { outcome: true } })).toEqual([{ outcome: "pending" }]);
  });
});
