// What the storefront benchmarks (bench/reviews.mjs, bench/loyalty.mjs) share: the built web
// server on its own seeded SQLite database, requests signed as Shopify's app proxy signs them,
// a few at a time as a storefront's visitors would send them, and the figures they print.
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { Pool } from "undici";
import { root } from "./support.mjs";

/** The environment of a web-only production server on `databaseFile`, with a secret of its own. */
export function proxyServerEnv(databaseFile) {
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
  return { env, secret };
}

/** Prisma's SQLite DateTime text, as the app itself writes it. */
export const sqlTime = (date) => date.toISOString().replace("Z", "+00:00");

/** `/proxy/<path>?…` as Shopify's app proxy forwards it: the storefront's query, Shopify's fields, the signature. */
export function signedProxyPath(secret, shop, path, params = {}, customerId = "") {
  const query = new URLSearchParams({
    ...params,
    shop,
    logged_in_customer_id: customerId,
    path_prefix: "/apps/aftercare",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const message = [...query.keys()]
    .sort()
    .map((key) => `${key}=${query.getAll(key).join(",")}`)
    .join("");
  query.set("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return `/proxy/${path}?${query}`;
}

/** Starts `build/server/main.js` (with a CPU profile into `profile` when given) and waits until it answers. */
export async function startWebServer(env, children, profile) {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const server = spawn(process.execPath, [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []), "build/server/main.js"], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(server);
  const exited = new Promise((resolve) => server.once("exit", resolve));
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
  return {
    origin,
    /**
     * CPU time the server process has used, in ms (Linux: /proc/<pid>/stat, utime + stime in
     * clock ticks of 10 ms); null elsewhere. Beside the latencies because other work on the
     * machine stretches those, not this.
     */
    cpuMs() {
      try {
        const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ");
        return (Number(fields[11]) + Number(fields[12])) * 10;
      } catch {
        return null;
      }
    },
    async stop() {
      server.kill("SIGTERM");
      // A profile is written as the server exits; past 5 s it is killed (unref'd: no wait when it exits at once).
      if ((await Promise.race([exited, sleep(5_000, "timeout", { ref: false })])) === "timeout") server.kill("SIGKILL");
    },
  };
}

/** `count` GETs of `pathFor()` with `concurrency` in flight: latency quantiles, bytes, and how many were not 200. */
async function run(pool, count, concurrency, pathFor) {
  const latencies = [];
  let bytes = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        const { statusCode, body } = await pool.request({ path: pathFor(), method: "GET", headers: { "accept-encoding": "identity" } });
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

/** Warms up, measures, and prints the figures of `label` against the p99 aim; `samplePath` is the answer whose size is printed. */
export async function measureAndPrint(server, { label, requests, concurrency, pathFor, samplePath, aimP99Ms }) {
  const pool = new Pool(server.origin, { connections: concurrency });
  await run(pool, Math.ceil(requests / 10), concurrency, pathFor);
  const cpuBefore = server.cpuMs();
  const result = await run(pool, requests, concurrency, pathFor);
  const cpuAfter = server.cpuMs();
  // What an answer weighs compressed, as a CDN or the browser's Accept-Encoding would carry it (always the same one).
  const gzipped = gzipSync(Buffer.from(await (await fetch(`${server.origin}${samplePath}`)).arrayBuffer())).length;
  await pool.close();
  console.log(`\n${label}: ${requests} requests in ${result.seconds.toFixed(2)} s = ${(requests / result.seconds).toFixed(0)} req/s`);
  console.log(`  latency ms: p50 ${result.p50.toFixed(1)}  p90 ${result.p90.toFixed(1)}  p99 ${result.p99.toFixed(1)}  max ${result.max.toFixed(1)}`);
  console.log(`  size: ${(result.bytes / requests / 1024).toFixed(1)} KB per answer as sent, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  if (cpuBefore !== null && cpuAfter !== null) console.log(`  server CPU: ${((cpuAfter - cpuBefore) / requests).toFixed(2)} ms per request`);
  if (result.failed > 0) console.log(`  !!! ${result.failed} requests did NOT get 200: these figures are not valid !!!`);
  console.log(`Aim: p99 under ${aimP99Ms} ms on SQLite: ${result.p99 < aimP99Ms ? "met" : "NOT met"} (${result.p99.toFixed(1)} ms)`);
}
