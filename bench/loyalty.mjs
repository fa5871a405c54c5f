// `npm run bench -- --only loyalty`: the storefront's loyalty JSON through the app proxy for a
// signed-in customer with 1,000 ledger entries, among 1,000,000 (seeded straight into a fresh
// SQLite database: 1,000 customers of one shop with a live program). The real built server (web
// only) answers signed requests for a random customer, a few at a time; it prints p50/p90/p99
// latency, throughput and the size. A benchmark, not a test: it never fails on its figures.
//   --entries <n>      ledger entries to seed (default 1000000)
//   --members <n>      customers they are spread over (default 1000)
//   --requests <n>     measured requests (default 3000, after a tenth of that to warm up)
//   --concurrency <n>  requests in flight (default 8)
//   --profile <dir>    write a V8 CPU profile of the server into <dir>
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { measureAndPrint, proxyServerEnv, signedProxyPath, sqlTime, startWebServer } from "./proxy-load.mjs";
import { freshDatabase, integerOption, runScratch, step } from "./support.mjs";

const AIM_P99_MS = 50;
const SHOP = "bench-loyalty.myshopify.com";
const { values: options } = parseArgs({
  options: {
    entries: { type: "string" },
    members: { type: "string" },
    requests: { type: "string" },
    concurrency: { type: "string" },
    profile: { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
});
const entries = integerOption(options, "entries", 1, 1_000_000);
const customers = integerOption(options, "members", 1, 1_000);
const requests = integerOption(options, "requests", 1, 3000);
const concurrency = integerOption(options, "concurrency", 1, 8);

const { tempDir, children } = runScratch("aftercare-bench-loyalty-");
const databaseFile = join(tempDir, "loyalty.sqlite");
const { env, secret } = proxyServerEnv(databaseFile);

if (!options["no-build"]) {
  const { buildIfStale } = await import("../scripts/build-if-stale.mjs");
  step("app build", () => (buildIfStale() ? "rebuilt from the current sources" : "up to date"));
}
console.log(
  `\nLoyalty benchmark: ${entries.toLocaleString("en")} ledger entries across ${customers.toLocaleString("en")} customers, ${concurrency} requests in flight.`,
);
freshDatabase(env, databaseFile);

const customerId = (i) => String(7_100_000_000_000 + i);

step("seeded", () => {
  const db = new Database(databaseFile);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = new Date("2026-11-20T00:00:00Z");
  db.prepare(
    `INSERT INTO "Shop" (shop, name, currency, timezone, settings, installedAt, createdAt, updatedAt) VALUES (?, 'Bench Roasters', 'USD', 'UTC', ?, ?, ?, ?)`,
  ).run(SHOP, JSON.stringify({ loyalty: { status: "live" } }), sqlTime(now), sqlTime(now), sqlTime(now));
  const insertCustomer = db.prepare(`INSERT INTO "Customer" (shop, id, email, firstName, createdAt, updatedAt) VALUES (?, ?, ?, 'Bench', ?, ?)`);
  const insertEntry = db.prepare(
    `INSERT INTO "LoyaltyEntry" (id, shop, sourceKey, customerId, kind, pendingDelta, balanceDelta, orderId, reason, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAccount = db.prepare(`INSERT INTO "LoyaltyAccount" (shop, customerId, balance, pending, updatedAt) VALUES (?, ?, ?, ?, ?)`);
  const sums = new Map();
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const customer = i % customers;
      const orderId = String(8_100_000_000_000 + Math.floor(i / 2));
      // Each order earns, then is approved: the history a long-standing member has.
      const approve = i % 2 === 1;
      const points = 20 + (Math.floor(i / 2) % 80);
      const at = sqlTime(new Date(now.getTime() - (entries - i) * 60_000));
      insertEntry.run(
        randomUUID(),
        SHOP,
        `order:${orderId}:${approve ? "approve" : "earn"}`,
        customerId(customer),
        approve ? "approve" : "earn",
        approve ? -points : points,
        approve ? points : 0,
        orderId,
        `Order #${1000 + Math.floor(i / 2)}`,
        at,
      );
      const sum = sums.get(customer) ?? { balance: 0, pending: 0 };
      sum.balance += approve ? points : 0;
      sum.pending += approve ? -points : points;
      sums.set(customer, sum);
    }
  });
  for (let from = 0; from < entries; from += 50_000) batch(from, Math.min(entries, from + 50_000));
  db.transaction(() => {
    for (let c = 0; c < customers; c++) {
      insertCustomer.run(SHOP, customerId(c), `bench-${c}@example.com`, sqlTime(now), sqlTime(now));
      const sum = sums.get(c) ?? { balance: 0, pending: 0 };
      insertAccount.run(SHOP, customerId(c), sum.balance, sum.pending, sqlTime(now));
    }
  })();
  db.close();
  return `${entries.toLocaleString("en")} entries`;
});

const server = await startWebServer(env, children, options.profile);
await measureAndPrint(server, {
  label: "app proxy loyalty JSON of a random signed-in customer",
  requests,
  concurrency,
  pathFor: () => signedProxyPath(secret, SHOP, "loyalty", {}, customerId(Math.floor(Math.random() * customers))),
  samplePath: signedProxyPath(secret, SHOP, "loyalty", {}, customerId(1)),
  aimP99Ms: AIM_P99_MS,
});
await server.stop();
