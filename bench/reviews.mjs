// `npm run bench -- --only reviews`: the storefront's review list through the app proxy with
// 1,000,000 reviews across 10,000 products (seeded straight into a fresh SQLite database).
// The real built server (`build/server/main.js`, web only) answers signed proxy requests for a random
// product's first page, a few at a time, as a storefront's visitors would; it prints p50/p90/p99
// latency, throughput and the transferred size. A benchmark, not a test: it never fails on its figures.
//   --reviews <n>      reviews to seed (default 1000000)
//   --products <n>     products they are spread over (default 10000)
//   --requests <n>     measured requests (default 3000, after 300 to warm up)
//   --concurrency <n>  requests in flight (default 8)
//   --profile <dir>    write a V8 CPU profile of the server into <dir>
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { Pool } from "undici";
import { freshDatabase, integerOption, root, runScratch, step } from "./support.mjs";

const AIM_P99_MS = 50;
const SHOP = "bench-reviews.myshopify.com";
const { values: options } = parseArgs({
  options: {
    reviews: { type: "string" },
    products: { type: "string" },
    requests: { type: "string" },
    concurrency: { type: "string" },
    profile: { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
});
const reviews = integerOption(options, "reviews", 1, 1_000_000);
const products = integerOption(options, "products", 1, 10_000);
const requests = integerOption(options, "requests", 1, 3000);
const concurrency = integerOption(options, "concurrency", 1, 8);

const { tempDir, children } = runScratch("aftercare-bench-reviews-");
const databaseFile = join(tempDir, "reviews.sqlite");
const secret = randomBytes(24).toString("hex");
const env = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: `file:${databaseFile}`,
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_APP_URL: "https://aftercare.bench",
  SHOPIFY_LOG_LEVEL: "error",
  RUN_WORKER: "0",
};

if (!options["no-build"]) {
  const { buildIfStale } = await import("../scripts/build-if-stale.mjs");
  step("app build", () => (buildIfStale() ? "rebuilt from the current sources" : "up to date"));
}
console.log(
  `\nReviews benchmark: ${reviews.toLocaleString("en")} reviews across ${products.toLocaleString("en")} products, ${concurrency} requests in flight.`,
);
freshDatabase(env, databaseFile);

/** Prisma's SQLite DateTime text, as the app itself writes it. */
const sqlTime = (date) => date.toISOString().replace("Z", "+00:00");
const productId = (i) => String(7_000_000_000_000 + i);
const WORDS = "bright smooth balanced fruity chocolate fresh roast grind cup morning bag aroma sweet clean body finish notes lovely daily".split(" ");

step("seeded", () => {
  const db = new Database(databaseFile);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insert = db.prepare(
    `INSERT INTO "Review" (id, shop, productId, productTitle, rating, title, body, authorName, verified, source, status, createdAt, publishedAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'email', ?, ?, ?, ?)`,
  );
  // Each product's published reviews by stars, as the app keeps them beside the reviews (no photos here).
  const insertStats = db.prepare(
    `INSERT INTO "ProductReviewStats" (shop, productId, stars1, stars2, stars3, stars4, stars5, withPhotos) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const stars = new Map();
  const start = Date.parse("2026-11-20T00:00:00Z");
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const product = i % products;
      const created = sqlTime(new Date(start - i * 60_000));
      const words = Array.from({ length: 30 }, (_, k) => WORDS[(i * 7 + k * 13) % WORDS.length]).join(" ");
      // 90 % published, the rest waiting or hidden: the list must skip them.
      const status = i % 10 === 9 ? (i % 20 === 19 ? "hidden" : "pending") : "published";
      const rating = 1 + ((i * 31) % 5);
      insert.run(
        randomUUID(),
        SHOP,
        productId(product),
        `Product ${product}`,
        rating,
        i % 3 ? `Review ${i}` : null,
        `${words}.`,
        `Reviewer ${i % 977}`,
        i % 2,
        status,
        created,
        status === "published" ? created : null,
        created,
      );
      if (status !== "published") continue;
      if (!stars.has(product)) stars.set(product, [0, 0, 0, 0, 0]);
      stars.get(product)[rating - 1]++;
    }
  });
  for (let from = 0; from < reviews; from += 50_000) batch(from, Math.min(reviews, from + 50_000));
  db.transaction(() => {
    for (const [product, counts] of stars) insertStats.run(SHOP, productId(product), ...counts);
  })();
  db.close();
  return `${reviews.toLocaleString("en")} reviews`;
});

/** The query string Shopify's app proxy forwards, signed as Shopify signs it. */
function signedPath(product) {
  const query = new URLSearchParams({
    product_id: productId(product),
    shop: SHOP,
    logged_in_customer_id: "",
    path_prefix: "/apps/aftercare",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const message = [...query.keys()]
    .sort()
    .map((key) => `${key}=${query.getAll(key).join(",")}`)
    .join("");
  query.set("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return `/proxy/reviews?${query}`;
}

const port = 40_000 + Math.floor(Math.random() * 10_000);
const profile = options.profile ? ["--cpu-prof", `--cpu-prof-dir=${options.profile}`] : [];
const server = spawn(process.execPath, [...profile, "build/server/main.js"], {
  cwd: root,
  env: { ...env, PORT: String(port) },
  stdio: ["ignore", "ignore", "inherit"],
});
children.add(server);
const serverExited = new Promise((resolve) => server.once("exit", resolve));
const origin = `http://127.0.0.1:${port}`;
// Any answer at all means it listens.
const answers = () =>
  fetch(origin).then(
    async (response) => {
      await response.body?.cancel();
      return true;
    },
    () => false,
  );
for (let tries = 0; !(await answers()); tries++) {
  if (tries > 300) throw new Error("the server did not start within 30 s");
  await sleep(100);
}

const pool = new Pool(origin, { connections: concurrency });
async function run(count) {
  const latencies = [];
  let bytes = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const product = Math.floor(Math.random() * products);
        const t0 = performance.now();
        const { statusCode, body } = await pool.request({ path: signedPath(product), method: "GET", headers: { "accept-encoding": "identity" } });
        const payload = Buffer.from(await body.arrayBuffer());
        latencies.push(performance.now() - t0);
        if (statusCode !== 200) failed++;
        bytes += payload.length;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { seconds: (performance.now() - started) / 1000, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies.at(-1), bytes, failed };
}

/**
 * CPU time the server process has used, in ms (Linux: /proc/<pid>/stat, utime + stime in
 * clock ticks of 10 ms); null elsewhere. Beside the latencies because other work on the
 * machine stretches those, not this.
 */
function serverCpuMs() {
  try {
    const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

await run(300);
const cpuBefore = serverCpuMs();
const result = await run(requests);
const cpuAfter = serverCpuMs();
// What a page weighs compressed, as a CDN or the browser's Accept-Encoding would carry it.
const gzipped = gzipSync(Buffer.from(await (await fetch(`${origin}${signedPath(1)}`)).arrayBuffer())).length;
await pool.close();
server.kill("SIGTERM");
// A profile is written as the server exits; past 5 s it is killed (unref'd: no wait when it exits at once).
if ((await Promise.race([serverExited, sleep(5_000, "timeout", { ref: false })])) === "timeout") server.kill("SIGKILL");

console.log(
  `\napp proxy review list, first page of a random product: ${requests} requests in ${result.seconds.toFixed(2)} s = ${(requests / result.seconds).toFixed(0)} req/s`,
);
console.log(`  latency ms: p50 ${result.p50.toFixed(1)}  p90 ${result.p90.toFixed(1)}  p99 ${result.p99.toFixed(1)}  max ${result.max.toFixed(1)}`);
console.log(`  size: ${(result.bytes / requests / 1024).toFixed(1)} KB per page as sent, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
if (cpuBefore !== null && cpuAfter !== null) console.log(`  server CPU: ${((cpuAfter - cpuBefore) / requests).toFixed(2)} ms per request`);
if (result.failed > 0) console.log(`  !!! ${result.failed} requests did NOT get 200: these figures are not valid !!!`);
console.log(`Aim: p99 under ${AIM_P99_MS} ms on SQLite: ${result.p99 < AIM_P99_MS ? "met" : "NOT met"} (${result.p99.toFixed(1)} ms)`);
