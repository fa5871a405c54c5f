// The worker: does the work that must not happen in a request, for the capabilities it is
// given (the list in modules/capabilities.ts). Each round it runs the capabilities' "prepare"
// jobs (follow-ups learn how long products last, once a day per shop), applies the webhook
// deliveries the web tier accepted (their reactions schedule emails and record rewards), runs
// the "before-dispatch" jobs and issues the rewards that are due (so the email about a code
// issued now goes this round), sends the emails that are due, then runs the rest (star ratings
// written to Shopify). Every step is safe on several workers at once and after a crash.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { rewardOwnersOf, type Capability, type Job } from "~/modules/capability";
import { now as clockNow, setNow, startClockAt } from "~/modules/clock";
import { applyPendingDeliveries } from "~/modules/intake";
import { composeByFlow, dispatchDueMessages, type DispatchReport } from "~/modules/messaging/dispatch";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { issueDueRewards } from "~/modules/rewards";

export type WorkerOptions = {
  /** Run until nothing is due, then return (tests, the demo, cron). */
  once?: boolean;
  /** Run as if it were then (tests and the demo move time this way): pinned for a single pass, running on from there in a loop. */
  now?: Date;
  /** Pause between polls when nothing is due. */
  idleMs?: number;
  signal?: AbortSignal;
  /** Where mail goes; default: SMTP_URL, or the outbox. */
  mailer?: Mailer;
  /** Only this shop's work (tests share one database between files); default: every shop's. */
  shop?: string;
};

/** Deliveries applied, rewards issued, emails by outcome, and what each capability job did, by the job's name. */
export type WorkerReport = { deliveries: number; rewards: number } & DispatchReport & Record<string, number>;

export async function runWorker(capabilities: readonly Capability[], options: WorkerOptions = {}): Promise<WorkerReport> {
  if (options.now) (options.once ? setNow : startClockAt)(options.now);
  const mailer = options.mailer ?? createMailer();
  const compose = composeByFlow(capabilities);
  const rewardOwners = rewardOwnersOf(capabilities);
  const jobs = capabilities.flatMap((capability) => capability.jobs);
  const owner = randomUUID();
  const { shop } = options;
  const report: WorkerReport = { deliveries: 0, rewards: 0, sent: 0, held: 0, moved: 0, skipped: 0, retrying: 0, failed: 0 };
  for (const job of jobs) report[job.name] = 0;
  /** Runs the jobs of one phase; returns their progress. */
  async function runJobs(phase: Job["phase"]): Promise<number> {
    let progress = 0;
    for (const job of jobs.filter((j) => j.phase === phase)) {
      const result = await job.run(clockNow(), { shop });
      report[job.name]! += result.done;
      progress += result.progress;
    }
    return progress;
  }
  try {
    while (!options.signal?.aborted) {
      let progress = await runJobs("prepare");
      const deliveries = await applyPendingDeliveries(capabilities, { shop });
      report.deliveries += deliveries;
      progress += deliveries + (await runJobs("before-dispatch"));
      const rewards = await issueDueRewards(clockNow(), { owners: rewardOwners, shop });
      report.rewards += rewards.issued;
      progress += rewards.issued + rewards.refused + rewards.held;
      const dispatched = await dispatchDueMessages({ compose, mailer, now: clockNow(), owner, shop });
      for (const key of Object.keys(dispatched) as (keyof DispatchReport)[]) report[key] += dispatched[key];
      // Only sends, holds and skips are progress; a message moved to later is not due again now.
      progress += dispatched.sent + dispatched.held + dispatched.skipped + dispatched.failed + (await runJobs("after-dispatch"));
      if (progress > 0) continue;
      if (options.once) break;
      await sleep(options.idleMs ?? 1000, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    if (!options.mailer) mailer.close();
  }
  return report;
}
