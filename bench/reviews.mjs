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
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { measureAndPrint, proxyServerEnv, signedProxyPath, sqlTime, startWebServer } from "./proxy-load.mjs";
import { freshDatabase, integerOption, runScratch, step } from "./support.mjs";

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
const { env, secret } = proxyServerEnv(databaseFile);

if (!options["no-build"]) {
  const { buildIfStale } = await import("../scripts/build-if-stale.mjs");
  step("app build", () => (buildIfStale() ? "rebuilt from the current sources" : "up to date"));
}
console.log(
  `\nReviews benchmark: ${reviews.toLocaleString("en")} reviews across ${products.toLocaleString("en")} products, ${concurrency} requests in flight.`,
);
freshDatabase(env, databaseFile);

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

const server = await startWebServer(env, children, options.profile);
await measureAndPrint(server, {
  label: "app proxy review list, first page of a random product",
  requests,
  concurrency,
  pathFor: () => signedProxyPath(secret, SHOP, "reviews", { product_id: productId(Math.floor(Math.random() * products)) }),
  samplePath: signedProxyPath(secret, SHOP, "reviews", { product_id: productId(1) }),
  aimP99Ms: AIM_P99_MS,
});
await server.stop();
