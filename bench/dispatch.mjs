// `npm run bench` (the dispatch part; alone: `node bench/dispatch.mjs` or `npm run bench -- --only dispatch`):
// how fast the worker sends follow-ups. A fresh SQLite database is seeded with one shop and
// thousands of due messages (thank-you, delivery check-in, review request, NPS, and re-order
// reminders, which are marketing: one order each, some customers with two). One customer in
// 20 declined email marketing and one in 20 got a marketing email yesterday, so the consent
// check suppresses some reminders and the frequency cap holds some back, as in a real shop.
// Then the built worker (`build/server/worker.js --once --now <time>`) claims, composes, records and
// sends the rest to a real SMTP server on 127.0.0.1 (bench/smtp-sink.mjs, its own process).
// Then bench/bare-mailer.mjs sends the very messages the app rendered (read back from the
// database) with bare pooled nodemailer, same pool settings, to the same sink. Both rates are timed at the sink, first to last message
// received, so process start-up is left out of both (it is printed apart).
// A benchmark, not a test: it prints its figures and never fails because of them.
//   --messages <n>     due messages to send (default 3000; with much fewer than 1000, warm-up
//                      and connection set-up weigh on both rates and the ratio means little)
//   --customers <n>    customers the orders belong to (default 90% of --messages: 1 in 10 gets two)
//   --connections <n>  SMTP pool size for both senders (default: nodemailer's, as the app uses: 5)
//   --now <ISO time>   the worker's clock; inside the shop's 09:00-20:00 New York send window
//                      (default 2026-11-20T15:00:00Z, 10:00 there)
//   --no-build         run build/ as it is (default: rebuild it when the sources are newer)
//   --profile <dir>    write a V8 CPU profile of the worker and of the bare sender into <dir>
import { fork, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { freshDatabase, integerOption, root, runScratch, step } from "./support.mjs";
const AIM_SHARE_OF_BARE = 0.5;
const SHOP = "bench-dispatch.myshopify.com";
const TIMEZONE = "America/New_York";
const PRODUCTS = 40;

const { values: options } = parseArgs({
  options: {
    messages: { type: "string", default: "3000" },
    customers: { type: "string" },
    connections: { type: "string" },
    now: { type: "string", default: "2026-11-20T15:00:00Z" },
    "no-build": { type: "boolean", default: false },
    profile: { type: "string" },
  },
});

const messageCount = integerOption(options, "messages", 1);
const customerCount = Math.min(messageCount, integerOption(options, "customers", 1, Math.max(1, Math.ceil(messageCount * 0.9))));
const connections = integerOption(options, "connections", 1, undefined);
const now = new Date(options.now);
if (Number.isNaN(now.getTime())) {
  console.error(`--now must be an ISO time (got ${options.now})`);
  process.exit(1);
}

const { tempDir, children } = runScratch("aftercare-bench-dispatch-");
const databaseFile = join(tempDir, "dispatch.sqlite");
const env = {
  ...process.env,
  DATABASE_URL: `file:${databaseFile}`,
  SHOPIFY_API_KEY: "bench-api-key",
  SHOPIFY_API_SECRET: randomBytes(24).toString("hex"),
  SHOPIFY_APP_URL: "https://bench.test",
  NODE_ENV: "production",
  SHOPIFY_LOG_LEVEL: "error",
};
delete env.MAIL_FROM;

const clock = () => performance.timeOrigin + performance.now();
const profileArgs = () => (options.profile ? ["--cpu-prof", `--cpu-prof-dir=${options.profile}`] : []);

// ---- seed ----------------------------------------------------------------------------------

/** Prisma's SQLite DateTime text, as the app itself writes it. */
const sqlTime = (date) => date.toISOString().replace("Z", "+00:00");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Half thank-yous, the rest spread over the flows that follow a delivery (re-order reminders aside). */
const flowOf = (i) => ["thank_you", "delivery_checkin", "review_request", "nps"][[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3][i % 20]];
const productTitles = ["Kenya AA", "Hand Grinder", "Stoneware Mug", "Paper Filters", "Pour-over Kettle", "Ethiopia Guji", "Scale", "Tin"];

/** Customer c's consent and history: who declined email marketing, who got a marketing email yesterday. */
const declinedMarketing = (c) => c % 20 === 9;
const cappedYesterday = (c) => c % 20 === 4;
/** A re-order reminder (marketing) for one first order in five: a second order's would meet the cap of the first. */
const isReorder = (i) => i < customerCount && i % 5 === 4;
/** What the worker should do with the seeded messages: set by seed(). */
const expected = { sent: 0, suppressed: 0, capped: 0 };

function seed() {
  const db = new Database(databaseFile);
  db.pragma("journal_mode = WAL");
  const stamp = sqlTime(new Date(now.getTime() - 30 * DAY));
  const insertShop = db.prepare(
    `INSERT INTO "Shop" (shop, name, contactEmail, currency, timezone, settings, installedAt, createdAt, updatedAt) VALUES (?, ?, ?, 'USD', ?, '{}', ?, ?, ?)`,
  );
  const insertCustomer = db.prepare(
    `INSERT INTO "Customer" (shop, id, email, firstName, lastName, emailMarketingState, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOrder = db.prepare(
    `INSERT INTO "Order" (shop, id, name, customerId, email, currency, totalMinor, financialStatus, fulfillmentStatus, processedAt, shopifyUpdatedAt, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, 'USD', ?, 'paid', 'fulfilled', ?, ?, ?, ?)`,
  );
  const insertLine = db.prepare(
    `INSERT INTO "LineItem" (shop, id, orderId, productId, variantId, title, variantTitle, sku, vendor, quantity, priceMinor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Bench Roasters', ?, ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO "Message" (id, shop, key, flow, step, marketing, orderId, customerId, dueAt, status, productIds, createdAt, updatedAt) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, 'scheduled', ?, ?, ?)`,
  );
  // Yesterday's marketing email: only what the cap reads (no mail, so bench/bare-mailer.mjs leaves it out).
  const insertEarlierSend = db.prepare(
    `INSERT INTO "Message" (id, shop, key, flow, step, marketing, customerId, dueAt, status, toAddress, sentAt, createdAt, updatedAt) VALUES (?, ?, ?, 'goes_with', 0, 1, ?, ?, 'sent', ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    insertShop.run(SHOP, "Bench Roasters", "hello@bench-roasters.test", TIMEZONE, stamp, stamp, stamp);
    for (let c = 0; c < customerCount; c++) {
      const id = `7${String(c).padStart(17, "0")}`;
      insertCustomer.run(SHOP, id, `customer-${c}@example.com`, `Robin${c}`, "Quill", declinedMarketing(c) ? "NOT_SUBSCRIBED" : "SUBSCRIBED", stamp, stamp);
      if (cappedYesterday(c)) {
        const yesterday = sqlTime(new Date(now.getTime() - DAY));
        insertEarlierSend.run(randomUUID(), SHOP, `earlier:${c}`, id, yesterday, `customer-${c}@example.com`, yesterday, yesterday, yesterday);
      }
    }
    for (let i = 0; i < messageCount; i++) {
      const c = i % customerCount;
      const orderId = `8${String(i).padStart(17, "0")}`;
      // A customer's second order is never asked for a review: the app rightly suppresses a second
      // request about a product it asked about already, and every seeded message should go.
      const flow = isReorder(i) ? "reorder" : i >= customerCount && flowOf(i) === "review_request" ? "nps" : flowOf(i);
      if (flow !== "reorder") expected.sent += 1;
      else if (declinedMarketing(c)) expected.suppressed += 1;
      else if (cappedYesterday(c)) expected.capped += 1;
      else expected.sent += 1;
      // A thank-you is due an hour after payment; the others days later.
      const dueAt = new Date(now.getTime() - ((i * 7) % 120) * 60_000 - 60_000);
      const paidAt = new Date(dueAt.getTime() - (flow === "thank_you" ? HOUR : (5 + (i % 9)) * DAY));
      const lines = Array.from({ length: (i % 3) + 1 }, (_, j) => {
        const product = (i * 3 + j * 7) % PRODUCTS;
        return { j, product, price: 700 + product * 150, quantity: 1 + ((i + j) % 2) };
      });
      const total = lines.reduce((sum, line) => sum + line.price * line.quantity, 0);
      insertOrder.run(
        SHOP,
        orderId,
        `#${1001 + i}`,
        `7${String(c).padStart(17, "0")}`,
        `customer-${c}@example.com`,
        total,
        sqlTime(paidAt),
        sqlTime(paidAt),
        sqlTime(paidAt),
        sqlTime(paidAt),
      );
      for (const { j, product, price, quantity } of lines) {
        insertLine.run(
          SHOP,
          `5${String(i * 3 + j).padStart(17, "0")}`,
          orderId,
          `9${String(product).padStart(17, "0")}`,
          `6${String(product).padStart(17, "0")}`,
          `${productTitles[product % productTitles.length]} ${product}`,
          product % 2 ? "250 g" : null,
          `SKU-${product}`,
          quantity,
          price,
        );
      }
      const productIds = flow === "reorder" ? JSON.stringify([...new Set(lines.map(({ product }) => `9${String(product).padStart(17, "0")}`))]) : "[]";
      insertMessage.run(
        randomUUID(),
        SHOP,
        `order:${orderId}:${flow}:0`,
        flow,
        flow === "reorder" ? 1 : 0,
        orderId,
        `7${String(c).padStart(17, "0")}`,
        sqlTime(dueAt),
        productIds,
        sqlTime(paidAt),
        sqlTime(paidAt),
      );
    }
  })();
  db.close();
}

// ---- the sink ------------------------------------------------------------------------------

async function startSink() {
  const child = fork(join(root, "bench/smtp-sink.mjs"), { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.add(child);
  const replies = [];
  let waiting = null;
  child.on("message", (message) => {
    if (waiting) {
      waiting(message);
      waiting = null;
    } else replies.push(message);
  });
  const next = () => (replies.length ? Promise.resolve(replies.shift()) : new Promise((resolve) => (waiting = resolve)));
  const { port } = await next();
  return {
    port,
    reset: () => child.send({ type: "reset" }),
    async stats() {
      child.send({ type: "stats" });
      return next();
    },
    stop() {
      child.kill("SIGTERM");
      children.delete(child);
    },
  };
}

/**
 * Runs a node script to its end; resolves with its exit code, its stdout, when it started and
 * ended, and the CPU time the whole process used (bench/cpu-usage.mjs).
 */
function run(args, extraEnv) {
  const cpuFile = join(tempDir, `cpu-${randomUUID()}.json`);
  return new Promise((resolve, reject) => {
    const started = clock();
    const child = spawn(process.execPath, [...profileArgs(), "--import", "./bench/cpu-usage.mjs", ...args], {
      cwd: root,
      env: { ...env, ...extraEnv, BENCH_CPU_FILE: cpuFile },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.add(child);
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.once("error", reject);
    child.once("exit", (code) => {
      children.delete(child);
      let cpuMs = null;
      try {
        cpuMs = JSON.parse(readFileSync(cpuFile, "utf8")).cpuMs;
      } catch {
        // the child died before writing its CPU figure: report none
      }
      resolve({ code, stdout, started, ended: clock(), cpuMs });
    });
  });
}

// ---- run -----------------------------------------------------------------------------------

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const seconds = (ms) => (ms / 1000).toFixed(2);
function rateAtSink(stats) {
  const elapsed = Math.max(0.001, stats.last - stats.first);
  return { elapsed, rate: (stats.count / elapsed) * 1000 };
}
function checkCount(label, stats) {
  const ok = stats.count === expected.sent;
  console.log(
    `  sink received ${stats.count} messages (${mb(stats.bytes)} MB): ${ok ? "ok" : `!!! MISMATCH, expected ${expected.sent}: these figures are not valid !!!`}`,
  );
  return ok;
}

console.log(
  `\nDispatch benchmark: ${messageCount} due follow-ups of 1 shop to ${customerCount} customers, SMTP pool of ${connections ?? "5 (nodemailer's default)"} connections; ` +
    `node ${process.version}, ${availableParallelism()} CPUs shared by sender and sink (load average ${loadavg()[0].toFixed(1)} before the run).`,
);
if (!options["no-build"]) {
  const { buildIfStale } = await import("../scripts/build-if-stale.mjs");
  step("app build", () => (buildIfStale() ? "rebuilt from the current sources" : "up to date"));
}
freshDatabase(env, databaseFile);
step("seeded", () => {
  seed();
  return (
    `${messageCount} orders and scheduled messages, due before ${now.toISOString()}: ${expected.sent} to send, ` +
    `${expected.suppressed} re-order reminders to suppress (no consent), ${expected.capped} to hold back (frequency cap)`
  );
});

const sink = await startSink();
const smtpUrl = `smtp://127.0.0.1:${sink.port}?ignoreTLS=true${connections ? `&maxConnections=${connections}` : ""}`;
let valid = true;

// (a) the app: the built worker, one process, as `npm run worker -- --once --now <time>` runs it.
sink.reset();
// First with a clock before anything is due: what start-up alone costs, to leave out of the CPU per message.
const idle = await run(["build/server/worker.js", "--once", "--now", new Date(now.getTime() - DAY).toISOString()], { SMTP_URL: smtpUrl });
const worker = await run(["build/server/worker.js", "--once", "--now", now.toISOString()], { SMTP_URL: smtpUrl });
const appStats = await sink.stats();
if (worker.code !== 0) {
  console.error(`!!! build/server/worker.js exited with ${worker.code}`);
  process.exit(1);
}
const app = rateAtSink(appStats);
console.log(`\napp (build/server/worker.js --once): ${worker.stdout.trim()}`);
console.log(
  `  ${appStats.count} messages in ${seconds(app.elapsed)} s at the sink = ${app.rate.toFixed(0)} msg/s ` +
    `(process: ${seconds(worker.ended - worker.started)} s in all, ${seconds(appStats.first - worker.started)} s before the first message)`,
);
const appCpuMs = worker.cpuMs - idle.cpuMs;
console.log(
  `  CPU per message: worker ${(appCpuMs / expected.sent).toFixed(2)} ms (${seconds(worker.cpuMs)} s in all, less ${seconds(idle.cpuMs)} s of start-up measured on a run with nothing due), ` +
    `sink ${(appStats.cpuMs / expected.sent).toFixed(2)} ms`,
);
valid = checkCount("app", appStats) && valid;
{
  const db = new Database(databaseFile, { readonly: true });
  const count = (where) => db.prepare(`SELECT COUNT(*) FROM "Message" WHERE "key" LIKE 'order:%' AND ${where}`).pluck().get();
  const outcomes = {
    sent: count(`status = 'sent'`),
    suppressed: count(`status = 'suppressed'`),
    capped: count(`status = 'scheduled' AND "detail" LIKE 'moved: frequency cap%'`),
  };
  db.close();
  const ok = Object.keys(expected).every((key) => outcomes[key] === expected[key]);
  const listed = Object.entries(outcomes)
    .map(([key, n]) => `${n} ${key === "capped" ? "held back by the cap" : key}`)
    .join(", ");
  console.log(
    `  Message rows: ${listed}: ${ok ? "ok" : `!!! expected ${expected.sent} sent, ${expected.suppressed} suppressed, ${expected.capped} held back !!!`}`,
  );
  valid = ok && valid;
}

// (b) bare nodemailer: the same rendered messages, the same pool, the same sink.
sink.reset();
const bareRun = await run(["bench/bare-mailer.mjs"], { SMTP_URL: smtpUrl });
const bareStats = await sink.stats();
sink.stop();
if (bareRun.code !== 0) {
  console.error(`!!! bench/bare-mailer.mjs exited with ${bareRun.code}`);
  process.exit(1);
}
const bareReport = JSON.parse(bareRun.stdout.trim().split("\n").pop());
const bare = rateAtSink(bareStats);
console.log(
  `\nbare nodemailer (pooled, pre-rendered): ${bareReport.sent} sent, ${bareReport.failed} failed${bareReport.firstError ? ` (${bareReport.firstError})` : ""}`,
);
console.log(
  `  ${bareStats.count} messages in ${seconds(bare.elapsed)} s at the sink = ${bare.rate.toFixed(0)} msg/s ` +
    `(sending: ${seconds(bareReport.finished - bareReport.started)} s from the first sendMail to the last answer)`,
);
console.log(
  `  CPU per message: sender ${(bareReport.cpuMs / expected.sent).toFixed(2)} ms (while sending), sink ${(bareStats.cpuMs / expected.sent).toFixed(2)} ms`,
);
valid = checkCount("bare", bareStats) && valid;

const share = app.rate / bare.rate;
console.log(`\n${"".padEnd(12)}${"msg/s".padStart(10)}${"CPU ms/msg".padStart(12)}`);
console.log(`${"app".padEnd(12)}${app.rate.toFixed(0).padStart(10)}${(appCpuMs / expected.sent).toFixed(2).padStart(12)}`);
console.log(`${"bare".padEnd(12)}${bare.rate.toFixed(0).padStart(10)}${(bareReport.cpuMs / expected.sent).toFixed(2).padStart(12)}`);
console.log(`app / bare: ${(share * 100).toFixed(1)} %`);
console.log(
  `Aim: keeps ≥ ${AIM_SHARE_OF_BARE * 100}% of bare pooled nodemailer: ${share >= AIM_SHARE_OF_BARE ? "met" : "NOT met"} (${(share * 100).toFixed(1)} %)`,
);
console.log(
  `Load average after the run: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs (above that count, other work competed for them and wall-clock rates suffer).`,
);
if (!valid) console.log("!!! Some messages were not sent as expected (see above): the figures are not valid !!!");
