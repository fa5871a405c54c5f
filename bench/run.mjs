// `npm run bench`: three benchmarks, intake, then dispatch and the storefront review list
// (bench/dispatch.mjs and bench/reviews.mjs, see their headers).
// Intake: webhook throughput and latency. Sends signed orders/paid deliveries
// over keep-alive HTTP to the real built server on a fresh SQLite database, then the same
// deliveries to bench/bare-server.mjs (HMAC check only), and prints the two side by side.
// The web server runs without its worker (RUN_WORKER=0, as a scale-out web replica does), so
// the figures are what the web tier answers; the worker then applies the stored deliveries
// (`build/server/worker.js --once`) and its rate is printed too.
// A benchmark, not a test: it prints its figures and never fails because of them.
//   --only <part>      intake, dispatch or reviews: run that part alone (default: all three)
//   --requests <n>     intake: measured deliveries per server (default 5000)
//   --concurrency <n>  concurrent keep-alive connections, at least 50 (default 64)
//   --warmup <n>       deliveries sent first and not measured (default 200)
//   --messages <n>     dispatch: due messages to send (default 3000)
//   --customers <n>    dispatch: customers they go to (default 90% of --messages)
//   --connections <n>  dispatch: SMTP pool size of both senders (default 5, nodemailer's)
//   --reviews <n>      reviews: reviews to seed (default 1000000)
//   --products <n>     reviews: products they are spread over (default 10000)
//   --no-build         run build/ as it is (default: rebuild it when the sources are newer)
//   --profile <dir>    write a V8 CPU profile of each server / sender process into <dir>
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { Pool } from "undici";
import { freshDatabase, integerOption, root, runScratch, step } from "./support.mjs";
const SHOPS = 20;
const CUSTOMERS = 1000;
const AIM_SHARE_OF_BARE = 0.5;
const AIM_P99_MS = 100;

const { values: options } = parseArgs({
  options: {
    requests: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "64" },
    warmup: { type: "string", default: "200" },
    only: { type: "string" },
    messages: { type: "string" },
    customers: { type: "string" },
    connections: { type: "string" },
    reviews: { type: "string" },
    products: { type: "string" },
    "no-build": { type: "boolean", default: false },
    profile: { type: "string" },
  },
});

const requests = integerOption(options, "requests", 1);
// Shopify delivers in bursts from many workers; below ~50 connections the intake's write
// contention would not show.
const concurrency = integerOption(options, "concurrency", 50);
const warmup = integerOption(options, "warmup", 0);
if (options.only !== undefined && !["intake", "dispatch", "reviews"].includes(options.only)) {
  console.error(`--only must be intake, dispatch or reviews (got ${options.only})`);
  process.exit(1);
}

const { tempDir, children } = runScratch("aftercare-bench-");
const databaseFile = join(tempDir, "bench.sqlite");
const secret = randomBytes(24).toString("hex");
const env = {
  ...process.env,
  DATABASE_URL: `file:${databaseFile}`,
  SHOPIFY_API_KEY: "bench-api-key",
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_APP_URL: "https://bench.test",
  NODE_ENV: "production",
  RUN_WORKER: "0",
  SHOPIFY_LOG_LEVEL: "error",
};

// ---- deliveries ----------------------------------------------------------------------------

const fixture = readFileSync(join(root, "dev/shopify/samples/orders_paid.json"), "utf8");
// Shopify ids exceed 2^53: quote them before parsing so they stay exact, and write them back
// as bare JSON numbers, as Shopify sends them (the same trick as dev/payloads.ts).
const template = JSON.parse(fixture.replace(/([:[,]\s*)(\d{16,20})(?=\s*[,\]}])/g, '$1"$2"'));
const toShopifyJson = (payload) => JSON.stringify(payload).replace(/"(\d{16,20})"/g, "$1");

/** An 18-digit id, above 2^53 like Shopify's; the leading digit keeps each kind apart. */
const shopifyId = (kind, n) => `${kind}${String(n).padStart(17, "0")}`;

/** Delivery number i: a new order of one of CUSTOMERS customers, each belonging to one of SHOPS shops. */
function delivery(i, now) {
  // 7919 is coprime with CUSTOMERS, so consecutive orders cycle through every customer.
  const customerIndex = (i * 7919) % CUSTOMERS;
  const shop = `bench-shop-${String(customerIndex % SHOPS).padStart(2, "0")}.myshopify.com`;
  const orderId = shopifyId(8, i);
  const customerId = shopifyId(7, customerIndex);
  const email = `customer-${customerIndex}@example.com`;
  const number = 1001 + i;
  const order = {
    ...template,
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${number}`,
    number: number - 1000,
    order_number: number,
    created_at: now,
    processed_at: now,
    updated_at: now,
    email,
    contact_email: email,
    customer: {
      ...template.customer,
      id: customerId,
      email,
      admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
      default_address: { ...template.customer.default_address, customer_id: customerId },
    },
    line_items: template.line_items.map((item, j) => {
      const id = shopifyId(5, i * template.line_items.length + j);
      return { ...item, id, admin_graphql_api_id: `gid://shopify/LineItem/${id}` };
    }),
  };
  const body = Buffer.from(toShopifyJson(order));
  // The headers Shopify sends, as dev/webhooks.ts sendWebhook does.
  const headers = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": "orders/paid",
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": "2025-10",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Triggered-At": now,
  };
  return { body, headers };
}

function deliveries(from, count) {
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, k) => delivery(from + k, now));
}

// ---- servers -------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const accepts = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/** Runs a server script as its own process, so it gets a CPU and event loop apart from the client. */
async function startServer(label, script) {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.profile ? ["--cpu-prof", `--cpu-prof-dir=${options.profile}`] : []), script], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${label} exited before it listened`);
    if (Date.now() > deadline) throw new Error(`${label} did not listen on port ${port} within 30 s`);
    await sleep(100);
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      // Unref'd, so a server that exits at once does not hold the benchmark open for 5 s.
      if ((await Promise.race([exited, sleep(5_000, "timeout", { ref: false })])) === "timeout") child.kill("SIGKILL");
      await exited;
      children.delete(child);
    },
  };
}

// ---- load ----------------------------------------------------------------------------------

/** Sends every delivery, `concurrency` at a time (one in flight per connection); times each one. */
async function send(pool, batch) {
  const latencies = new Float64Array(batch.length);
  const failures = new Map();
  let next = 0;
  async function connectionLoop() {
    while (next < batch.length) {
      const i = next++;
      const { body, headers } = batch[i];
      const started = process.hrtime.bigint();
      let failure = null;
      try {
        const response = await pool.request({ path: "/webhooks/orders/paid", method: "POST", headers, body });
        const text = await response.body.text();
        if (response.statusCode !== 200) failure = { kind: `HTTP ${response.statusCode}`, sample: text };
      } catch (error) {
        failure = { kind: error.code ?? error.name, sample: error.message };
      }
      latencies[i] = Number(process.hrtime.bigint() - started) / 1e6;
      if (failure) {
        const seen = failures.get(failure.kind) ?? { count: 0, sample: failure.sample.slice(0, 200) };
        seen.count += 1;
        failures.set(failure.kind, seen);
      }
    }
  }
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, connectionLoop));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  latencies.sort();
  const percentile = (q) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  return {
    seconds,
    throughput: batch.length / seconds,
    p50: percentile(0.5),
    p90: percentile(0.9),
    p99: percentile(0.99),
    max: latencies[latencies.length - 1],
    failures,
  };
}

/** Warm-up then measured load against one server, over one pool so the connections are already open. */
async function measure(label, script, warm, measured) {
  const server = await startServer(label, script);
  const pool = new Pool(server.origin, { connections: concurrency, pipelining: 1 });
  try {
    const warmResult = await send(pool, warm);
    const result = await send(pool, measured);
    const failed = sum(warmResult.failures) + sum(result.failures);
    console.log(
      `\n${label}: ${measured.length} deliveries in ${result.seconds.toFixed(2)} s = ${result.throughput.toFixed(0)} req/s` +
        `\n  latency ms: p50 ${ms(result.p50)}  p90 ${ms(result.p90)}  p99 ${ms(result.p99)}  max ${ms(result.max)}`,
    );
    if (failed > 0) {
      console.log(`  !!! ${failed} deliveries did NOT get 200: these figures are not valid !!!`);
      for (const [kind, { count, sample }] of mergeFailures(warmResult.failures, result.failures)) {
        console.log(`  !!! ${kind} × ${count}, e.g. ${JSON.stringify(sample)}`);
      }
    }
    return { ...result, failed };
  } finally {
    await pool.close();
    await server.stop();
  }
}

const sum = (failures) => [...failures.values()].reduce((total, { count }) => total + count, 0);
const ms = (value) => value.toFixed(1);

function mergeFailures(...maps) {
  const merged = new Map();
  for (const map of maps) {
    for (const [kind, { count, sample }] of map) {
      const seen = merged.get(kind) ?? { count: 0, sample };
      seen.count += count;
      merged.set(kind, seen);
    }
  }
  return merged;
}

/** The worker's own rate: first to last appliedAt, as recorded in the rows it applied. */
function appliedTimes() {
  const db = new Database(databaseFile, { readonly: true });
  const row = db.prepare(`SELECT COUNT(*) AS count, MIN(appliedAt) AS first, MAX(appliedAt) AS last FROM "WebhookDelivery" WHERE appliedAt IS NOT NULL`).get();
  db.close();
  return { count: row.count, seconds: Math.max(0.001, (Date.parse(row.last) - Date.parse(row.first)) / 1000) };
}

/** Counts what the app stored: a 200 must mean the delivery and its order were really written. */
function verifyDatabase(sent) {
  const db = new Database(databaseFile, { readonly: true });
  const count = (sql) => db.prepare(sql).pluck().get();
  const checks = [
    ["WebhookDelivery (processed)", count(`SELECT COUNT(*) FROM "WebhookDelivery" WHERE outcome = 'processed'`), sent],
    ["Order", count(`SELECT COUNT(*) FROM "Order"`), sent],
    ["LineItem", count(`SELECT COUNT(*) FROM "LineItem"`), sent * template.line_items.length],
    ["Customer", count(`SELECT COUNT(*) FROM "Customer"`), Math.min(sent, CUSTOMERS)],
  ];
  db.close();
  console.log(`  rows stored for ${sent} deliveries (warm-up included):`);
  for (const [table, actual, expected] of checks) {
    console.log(`    ${table.padEnd(28)} ${String(actual).padStart(6)}  ${actual === expected ? "ok" : `!!! MISMATCH, expected ${expected} !!!`}`);
  }
}

// ---- run -----------------------------------------------------------------------------------

if (!options["no-build"]) {
  const { buildIfStale } = await import("../scripts/build-if-stale.mjs");
  step("app build", () => (buildIfStale() ? "rebuilt from the current sources" : "up to date"));
}
const runs = (part) => options.only === undefined || options.only === part;
if (runs("intake")) await intakeBenchmark();
if (runs("dispatch")) {
  // Its own process: its own database, sink and children, cleaned up by itself.
  const passOn = ["messages", "customers", "connections", "profile"].flatMap((name) => (options[name] === undefined ? [] : [`--${name}`, options[name]]));
  const dispatch = spawnSync(process.execPath, ["bench/dispatch.mjs", "--no-build", ...passOn], { cwd: root, stdio: "inherit" });
  if (dispatch.status !== 0) process.exitCode = dispatch.status ?? 1;
}
if (runs("reviews")) {
  const passOn = ["reviews", "products", "profile"].flatMap((name) => (options[name] === undefined ? [] : [`--${name}`, options[name]]));
  const reviews = spawnSync(process.execPath, ["bench/reviews.mjs", "--no-build", ...passOn], { cwd: root, stdio: "inherit" });
  if (reviews.status !== 0) process.exitCode = reviews.status ?? 1;
}

async function intakeBenchmark() {
  console.log(
    `Intake benchmark: ${requests} signed orders/paid deliveries (+${warmup} warm-up), ${concurrency} keep-alive connections, ` +
      `${SHOPS} shops, ${CUSTOMERS} customers; node ${process.version}, ${availableParallelism()} CPUs shared by client and server.`,
  );
  freshDatabase(env, databaseFile);
  const warm = deliveries(requests, warmup);
  const measured = deliveries(0, requests);
  console.log(`✓ ${warm.length + measured.length} deliveries built and signed (${(measured[0].body.length / 1024).toFixed(1)} KB each)`);

  const app = await measure("app (built server, SQLite)", "build/server/main.js", warm, measured);
  const applying = spawnSync(process.execPath, ["build/server/worker.js", "--once"], { cwd: root, env, encoding: "utf8" });
  if (applying.status !== 0) {
    console.error(applying.stdout, applying.stderr);
    process.exit(1);
  }
  const applied = appliedTimes();
  console.log(
    `  worker (build/server/worker.js --once, one process): applied ${applied.count} stored deliveries in ${applied.seconds.toFixed(2)} s = ` +
      `${(applied.count / applied.seconds).toFixed(0)} deliveries/s`,
  );
  verifyDatabase(warm.length + measured.length);
  const bare = await measure("bare node:http (HMAC check only)", "bench/bare-server.mjs", warm, measured);

  const share = app.throughput / bare.throughput;
  const row = (label, r) =>
    `${label.padEnd(12)}${r.throughput.toFixed(0).padStart(10)}${ms(r.p50).padStart(10)}${ms(r.p99).padStart(10)}`;
  console.log(`\n${"".padEnd(12)}${"req/s".padStart(10)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}`);
  console.log(row("app", app));
  console.log(row("bare", bare));
  console.log(`app / bare throughput: ${(share * 100).toFixed(1)} %`);
  const verdict = (met) => (met ? "met" : "NOT met");
  console.log(
    `Aims: keeps ≥ ${AIM_SHARE_OF_BARE * 100}% of bare throughput: ${verdict(share >= AIM_SHARE_OF_BARE)} (${(share * 100).toFixed(1)} %); ` +
      `p99 < ${AIM_P99_MS} ms: ${verdict(app.p99 < AIM_P99_MS)} (${ms(app.p99)} ms)`,
  );
  if (app.failed + bare.failed > 0) console.log("!!! Some deliveries failed (see above): the figures are not valid !!!");
}
