// `npm run bench`: four benchmarks, intake, then dispatch, the storefront loyalty JSON and the
// storefront review list (bench/dispatch.mjs, bench/loyalty.mjs and bench/reviews.mjs, see their headers).
// Intake: webhook throughput and latency. Sends signed orders/paid deliveries (Shopify's
// sample) over keep-alive HTTP to three servers, each on its own fresh SQLite database:
//   shipped   the app as `npm start` runs it: the web server with its worker beside it;
//   web-only  the same with RUN_WORKER=0 (a scale-out web replica), then `npm run worker --
//             --once` applies what it stored, alone, which gives the worker's own rate;
//   bare      bench/bare-server.mjs, a node:http server that only checks the HMAC.
// They take turns, --rounds times, and the medians are quoted. Every answer must be a 200 with
// the expected body, and after each app round the benchmark waits until every delivery is
// applied and counts the rows: a lost delivery or a wrong answer is printed, never averaged.
// A benchmark, not a test: it prints its figures and never fails because of them.
//   --only <part>      intake, dispatch, loyalty or reviews: run that part alone (default: all four)
//   --requests <n>     intake: measured deliveries per server and round (default 5000)
//   --rounds <n>       intake: turns of the three servers, at least 3 (default 3)
//   --concurrency <n>  concurrent keep-alive connections, at least 50 (default 64)
//   --warmup <n>       deliveries sent first and not measured (default 200)
//   --messages <n>     dispatch: due messages to send (default 3000)
//   --customers <n>    dispatch: customers they go to (default 90% of --messages)
//   --connections <n>  dispatch: SMTP pool size of both senders (default 5, nodemailer's)
//   --entries <n>      loyalty: ledger entries to seed (default 1000000)
//   --members <n>      loyalty: customers they are spread over (default 1000)
//   --reviews <n>      reviews: reviews to seed (default 1000000)
//   --products <n>     reviews: products they are spread over (default 10000)
//   --no-build         run build/ as it is (default: rebuild it when the sources are newer)
//   --profile <dir>    write a V8 CPU profile of each server / sender process into <dir>
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
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
const AIM_WORKER_PER_SECOND = 1000;
/** How long the worker may take to catch up after a burst before the benchmark calls deliveries lost. */
const CATCH_UP_TIMEOUT_MS = 300_000;

const { values: options } = parseArgs({
  options: {
    requests: { type: "string", default: "5000" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "64" },
    warmup: { type: "string", default: "200" },
    only: { type: "string" },
    messages: { type: "string" },
    customers: { type: "string" },
    connections: { type: "string" },
    reviews: { type: "string" },
    products: { type: "string" },
    entries: { type: "string" },
    members: { type: "string" },
    "no-build": { type: "boolean", default: false },
    profile: { type: "string" },
  },
});

const requests = integerOption(options, "requests", 1);
// One round can be lucky or unlucky on a shared machine: the median of several is quoted.
const rounds = integerOption(options, "rounds", 3);
// Shopify delivers in bursts from many workers; below ~50 connections the intake's write
// contention would not show.
const concurrency = integerOption(options, "concurrency", 50);
const warmup = integerOption(options, "warmup", 0);
if (options.only !== undefined && !["intake", "dispatch", "loyalty", "reviews"].includes(options.only)) {
  console.error(`--only must be intake, dispatch, loyalty or reviews (got ${options.only})`);
  process.exit(1);
}

const { tempDir, children } = runScratch("aftercare-bench-");
/** Migrated once; each app round starts from a copy of it. */
const emptyDatabase = join(tempDir, "empty.sqlite");
const secret = randomBytes(24).toString("hex");
const env = {
  ...process.env,
  SHOPIFY_API_KEY: "bench-api-key",
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_APP_URL: "https://bench.test",
  NODE_ENV: "production",
  SHOPIFY_LOG_LEVEL: "error",
};

// ---- deliveries ----------------------------------------------------------------------------

const fixture = readFileSync(join(root, "dev/shopify/samples/orders_paid.json"), "utf8");
// Shopify ids exceed 2^53: quote them before parsing so they stay exact, and write them back
// as bare JSON numbers, as Shopify sends them (the same trick as dev/payloads.ts).
const template = JSON.parse(fixture.replace(/([:[,]\s*)(\d{16,20})(?=\s*[,\]}])/g, '$1"$2"'));
// Shopify's sample is a cancelled, voided order, which the follow-ups pass over; a paid order that
// stands is what a store's day is made of, and the worker schedules its thank-you.
Object.assign(template, { cancelled_at: null, cancel_reason: null, financial_status: "paid" });
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

/** With --profile, every node process of the group writes its CPU profile (bench/cpu-profile.mjs). */
const profiling = (serverEnv) =>
  options.profile
    ? { ...serverEnv, BENCH_PROFILE_DIR: options.profile, NODE_OPTIONS: `${serverEnv.NODE_OPTIONS ?? ""} --import=${join(root, "bench/cpu-profile.mjs")}` }
    : serverEnv;

/**
 * Runs a command as a process group of its own (npm, its shell, the server and the worker it
 * forks), so stopping it stops them all, and so does the benchmark ending any way it ends.
 */
function startGroup(command, args, groupEnv) {
  const child = spawn(command, args, { cwd: root, env: profiling(groupEnv), detached: true, stdio: ["ignore", "ignore", "inherit"] });
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const handle = { kill: signalGroup };
  children.add(handle);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    child,
    /** Stops the group and waits until every process of it is gone (npm exits before the server it started). */
    async stop() {
      signalGroup("SIGTERM");
      // Writing a CPU profile on exit takes a while.
      const deadline = Date.now() + (options.profile ? 60_000 : 5_000);
      while (groupAlive() && Date.now() < deadline) await sleep(50);
      signalGroup("SIGKILL");
      await exited;
      children.delete(handle);
    },
  };
}

/**
 * The three servers. The app starts through package.json's scripts, as a host runs it, so the
 * benchmark follows whatever `npm start` becomes.
 */
const SERVERS = {
  shipped: { label: "shipped (npm start: web + worker)", command: "npm", args: ["run", "--silent", "start"], app: true, extraEnv: {} },
  webOnly: { label: "web only (npm start, RUN_WORKER=0)", command: "npm", args: ["run", "--silent", "start"], app: true, extraEnv: { RUN_WORKER: "0" } },
  bare: { label: "bare node:http (HMAC check only)", command: process.execPath, args: ["bench/bare-server.mjs"], app: false, extraEnv: {} },
};

async function startServer(server, databaseFile) {
  const port = await freePort();
  const group = startGroup(server.command, server.args, { ...env, ...server.extraEnv, DATABASE_URL: `file:${databaseFile}`, PORT: String(port) });
  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (group.child.exitCode !== null || group.child.signalCode !== null) throw new Error(`${server.label} exited before it listened`);
    if (Date.now() > deadline) throw new Error(`${server.label} did not listen on port ${port} within 30 s`);
    await sleep(100);
  }
  return { origin: `http://127.0.0.1:${port}`, stop: group.stop };
}

// ---- load ----------------------------------------------------------------------------------

/** Both servers answer an accepted delivery 200 with an empty body; anything else is a failure. */
const EXPECTED_BODY = "";

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
        else if (text !== EXPECTED_BODY) failure = { kind: "HTTP 200 with an unexpected body", sample: text };
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
  return { seconds, throughput: batch.length / seconds, p50: percentile(0.5), p99: percentile(0.99), max: latencies[latencies.length - 1], failures };
}

const sum = (failures) => [...failures.values()].reduce((total, { count }) => total + count, 0);
const ms = (value) => value.toFixed(1);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

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

function readDatabase(databaseFile, read) {
  const db = new Database(databaseFile, { readonly: true, timeout: 10_000 });
  try {
    return read((sql) => db.prepare(sql).pluck().get());
  } finally {
    db.close();
  }
}

const pendingDeliveries = (databaseFile) => readDatabase(databaseFile, (count) => count(`SELECT COUNT(*) FROM "WebhookDelivery" WHERE outcome = 'pending'`));

/** Waits until the worker has applied every stored delivery; returns when that was, or null on timeout. */
async function caughtUp(databaseFile) {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  while (pendingDeliveries(databaseFile) > 0) {
    if (Date.now() > deadline) return null;
    await sleep(100);
  }
  return Date.now();
}

/** The worker's own rate: first to last appliedAt, as recorded in the rows it applied. */
function workerRate(databaseFile) {
  const { count, first, last } = readDatabase(databaseFile, (count) => ({
    count: count(`SELECT COUNT(*) FROM "WebhookDelivery" WHERE appliedAt IS NOT NULL`),
    first: count(`SELECT MIN(appliedAt) FROM "WebhookDelivery"`),
    last: count(`SELECT MAX(appliedAt) FROM "WebhookDelivery"`),
  }));
  return count / Math.max(0.001, (new Date(last).getTime() - new Date(first).getTime()) / 1000);
}

/** Counts what the app stored and applied: every 200 must mean a delivery applied and its order written. */
function verifyDatabase(databaseFile, sent) {
  const checks = readDatabase(databaseFile, (count) => [
    ["WebhookDelivery (processed)", count(`SELECT COUNT(*) FROM "WebhookDelivery" WHERE outcome = 'processed'`), sent],
    ["Order", count(`SELECT COUNT(*) FROM "Order"`), sent],
    ["LineItem", count(`SELECT COUNT(*) FROM "LineItem"`), sent * template.line_items.length],
    ["Customer", count(`SELECT COUNT(*) FROM "Customer"`), Math.min(sent, CUSTOMERS)],
  ]);
  const wrong = checks.filter(([, actual, expected]) => actual !== expected);
  for (const [table, actual, expected] of wrong) console.log(`  !!! ${table}: ${actual} rows, expected ${expected}: deliveries were lost !!!`);
  return wrong.length === 0;
}

/** One server, one round: warm-up, then the measured burst; for the app, then until every delivery is applied. */
async function measure(key, round, warm, measured) {
  const server = SERVERS[key];
  const databaseFile = join(tempDir, `${key}-${round}.sqlite`);
  if (server.app) copyFileSync(emptyDatabase, databaseFile);
  const running = await startServer(server, databaseFile);
  const pool = new Pool(running.origin, { connections: concurrency, pipelining: 1 });
  let result;
  try {
    const warmResult = await send(pool, warm);
    result = await send(pool, measured);
    result.failures = mergeFailures(warmResult.failures, result.failures);
  } finally {
    await pool.close();
  }
  const burstEnded = Date.now();
  let line = `  ${server.label.padEnd(36)} ${result.throughput.toFixed(0).padStart(6)} req/s  p50 ${ms(result.p50).padStart(6)}  p99 ${ms(result.p99).padStart(6)}  max ${ms(result.max).padStart(7)} ms`;
  if (key === "shipped") {
    const at = await caughtUp(databaseFile);
    result.catchUpSeconds = at === null ? null : (at - burstEnded) / 1000;
    line +=
      at === null
        ? `; NOT caught up ${CATCH_UP_TIMEOUT_MS / 1000} s after the burst`
        : `; worker caught up ${result.catchUpSeconds.toFixed(1)} s after the burst`;
  }
  await running.stop();
  if (key === "webOnly") {
    const applying = spawnSync("npm", ["run", "--silent", "worker", "--", "--once"], {
      cwd: root,
      env: profiling({ ...env, DATABASE_URL: `file:${databaseFile}` }),
      encoding: "utf8",
    });
    if (applying.status !== 0) {
      console.error(applying.stdout, applying.stderr);
      process.exit(1);
    }
    result.workerRate = workerRate(databaseFile);
    line += `; then the worker alone: ${result.workerRate.toFixed(0)} deliveries/s`;
  }
  console.log(line);
  result.failed = sum(result.failures);
  for (const [kind, { count, sample }] of result.failures) console.log(`  !!! ${kind} × ${count}, e.g. ${JSON.stringify(sample)}: not throughput !!!`);
  if (server.app) result.lost = !verifyDatabase(databaseFile, warm.length + measured.length);
  return result;
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
if (runs("loyalty")) {
  const passOn = ["entries", "members", "profile"].flatMap((name) => (options[name] === undefined ? [] : [`--${name}`, options[name]]));
  const loyalty = spawnSync(process.execPath, ["bench/loyalty.mjs", "--no-build", ...passOn], { cwd: root, stdio: "inherit" });
  if (loyalty.status !== 0) process.exitCode = loyalty.status ?? 1;
}
if (runs("reviews")) {
  const passOn = ["reviews", "products", "profile"].flatMap((name) => (options[name] === undefined ? [] : [`--${name}`, options[name]]));
  const reviews = spawnSync(process.execPath, ["bench/reviews.mjs", "--no-build", ...passOn], { cwd: root, stdio: "inherit" });
  if (reviews.status !== 0) process.exitCode = reviews.status ?? 1;
}

async function intakeBenchmark() {
  console.log(
    `Intake benchmark: ${requests} signed orders/paid deliveries (+${warmup} warm-up) per server and round, ${rounds} rounds, ` +
      `${concurrency} keep-alive connections, ${SHOPS} shops, ${CUSTOMERS} customers; node ${process.version}, ` +
      `${availableParallelism()} CPUs shared by client, servers and worker; load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(" ")} at the start.`,
  );
  freshDatabase({ ...env, DATABASE_URL: `file:${emptyDatabase}` }, emptyDatabase);
  const results = { shipped: [], webOnly: [], bare: [] };
  for (let round = 1; round <= rounds; round++) {
    // New ids each round: every round's database starts empty anyway, but Shopify never resends an id.
    const warm = deliveries((round - 1) * (requests + warmup) + requests, warmup);
    const measured = deliveries((round - 1) * (requests + warmup), requests);
    console.log(`Round ${round} of ${rounds}:`);
    for (const key of Object.keys(results)) results[key].push(await measure(key, round, warm, measured));
  }

  const row = (key) => {
    const all = results[key];
    return (
      `${SERVERS[key].label.padEnd(36)}${median(all.map((r) => r.throughput))
        .toFixed(0)
        .padStart(8)}` + `${ms(median(all.map((r) => r.p50))).padStart(9)}${ms(median(all.map((r) => r.p99))).padStart(9)}`
    );
  };
  console.log(`\nMedians of ${rounds} rounds${"".padEnd(20)}${"req/s".padStart(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}`);
  for (const key of Object.keys(results)) console.log(row(key));

  const share = median(results.shipped.map((r, i) => r.throughput / results.bare[i].throughput));
  const webShare = median(results.webOnly.map((r, i) => r.throughput / results.bare[i].throughput));
  const p99 = median(results.shipped.map((r) => r.p99));
  const workerPerSecond = median(results.webOnly.map((r) => r.workerRate));
  const catchUps = results.shipped.map((r) => (r.catchUpSeconds === null ? "never" : `${r.catchUpSeconds.toFixed(1)} s`));
  const verdict = (met) => (met ? "met" : "NOT met");
  console.log(`shipped / bare throughput (median of the rounds' ratios): ${(share * 100).toFixed(1)} %  (web only / bare: ${(webShare * 100).toFixed(1)} %)`);
  console.log(
    `Aims: shipped keeps ≥ ${AIM_SHARE_OF_BARE * 100} % of bare: ${verdict(share >= AIM_SHARE_OF_BARE)} (${(share * 100).toFixed(1)} %); ` +
      `shipped p99 < ${AIM_P99_MS} ms: ${verdict(p99 < AIM_P99_MS)} (${ms(p99)} ms); ` +
      `one worker ≥ ${AIM_WORKER_PER_SECOND.toLocaleString("en")} deliveries/s: ${verdict(workerPerSecond >= AIM_WORKER_PER_SECOND)} (${workerPerSecond.toFixed(0)}/s)`,
  );
  console.log(`The shipped worker caught up after each burst in: ${catchUps.join(", ")}`);
  const all = Object.values(results).flat();
  if (all.some((r) => r.failed > 0)) console.log("!!! Some deliveries were not answered 200 (see above): those figures are not valid !!!");
  if (all.some((r) => r.lost)) console.log("!!! Some deliveries were not applied (see above): those figures are not valid !!!");
}
