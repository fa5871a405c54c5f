// The worker: does the work that must not happen in a request. Today that is applying the
// webhook deliveries the web tier accepted; scheduled messages, reward issuing and metafield
// syncs join this loop as their capabilities arrive. Every step is safe to run on several
// workers at once and to repeat after a crash.
import { setTimeout as sleep } from "node:timers/promises";
import { setNow } from "~/modules/clock";
import { applyPendingDeliveries } from "~/modules/intake";

export type WorkerOptions = {
  /** Run until nothing is due, then return (tests, the demo, cron). */
  once?: boolean;
  /** Pin the clock: run what is due by then (tests and the demo move time this way). */
  now?: Date;
  /** Pause between polls when nothing is due. */
  idleMs?: number;
  signal?: AbortSignal;
};

export type WorkerReport = { deliveries: number };

/** One pass over everything due; returns how many items it handled. */
async function runDueWork(report: WorkerReport): Promise<number> {
  const deliveries = await applyPendingDeliveries();
  report.deliveries += deliveries;
  return deliveries;
}

export async function runWorker(options: WorkerOptions = {}): Promise<WorkerReport> {
  if (options.now) setNow(options.now);
  const report: WorkerReport = { deliveries: 0 };
  while (!options.signal?.aborted) {
    if ((await runDueWork(report)) > 0) continue;
    if (options.once) break;
    await sleep(options.idleMs ?? 500, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return report;
}
