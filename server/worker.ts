// `npm run worker`: the worker process (see app/jobs/worker.ts). Built on its own entry
// (build/server/worker.js), it loads the modules it runs and none of the web's pages.
//   --once        run everything that is due, print what was done, exit
//   --now <ISO>   run as if it were that time (tests and the demo move time this way)
// `npm start` runs one of these beside the web server unless RUN_WORKER=0.
import { parseArgs } from "node:util";
import { requireValidEnv } from "~/env.server";

requireValidEnv();
const { values: options } = parseArgs({ options: { once: { type: "boolean", default: false }, now: { type: "string" } } });
const now = options.now ? new Date(options.now) : undefined;
if (now && Number.isNaN(now.getTime())) {
  console.error(`--now must be an ISO time, e.g. 2026-11-30T09:00:00Z (got ${options.now})`);
  process.exit(1);
}

const controller = new AbortController();
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => controller.abort());

// Loaded once the environment is known good: the modules read it as they load.
const [{ runWorker }, { CAPABILITIES }] = await Promise.all([import("~/jobs/worker"), import("~/modules/capabilities")]);
const report = await runWorker(CAPABILITIES, { once: options.once, now, signal: controller.signal });
if (options.once) {
  const { deliveries, ratings, rewards, sent, held, moved, skipped, retrying, failed } = report;
  console.log(
    `worker: applied ${deliveries} webhook deliveries; wrote ${ratings} products' star ratings to Shopify; ` +
      `created ${rewards} review reward codes; follow-ups: ${sent} sent, ${held} kept in the outbox, ` +
      `${moved} moved to a later slot, ${skipped} cancelled or suppressed, ${retrying} to retry, ${failed} failed`,
  );
}
process.exit(0);
