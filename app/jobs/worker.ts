// The worker: does the work that must not happen in a request. Once a day per shop it learns
// how long products last (for re-order reminders), it applies the webhook deliveries the web
// tier accepted (their reactions schedule follow-ups), writes changed star ratings to Shopify,
// creates the discount codes reviews earned, then sends the emails that are due. Every step is safe on several workers at once and after a crash.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { now as clockNow, setNow, startClockAt } from "~/modules/clock";
import { learnDueIntervals } from "~/modules/followups";
import { applyPendingDeliveries } from "~/modules/intake";
import { dispatchDueMessages, type DispatchReport } from "~/modules/messaging/dispatch";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { syncProductRatings } from "~/modules/reviews";
import { issueDueRewards } from "~/modules/rewards";
import { composeDueMessage } from "./compose";
import { REWARD_OWNERS } from "./reward-owners";

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

export type WorkerReport = { deliveries: number; ratings: number; rewards: number } & DispatchReport;

export async function runWorker(options: WorkerOptions = {}): Promise<WorkerReport> {
  if (options.now) (options.once ? setNow : startClockAt)(options.now);
  const mailer = options.mailer ?? createMailer();
  const owner = randomUUID();
  const { shop } = options;
  const report: WorkerReport = { deliveries: 0, ratings: 0, rewards: 0, sent: 0, held: 0, moved: 0, skipped: 0, retrying: 0, failed: 0 };
  try {
    while (!options.signal?.aborted) {
      await learnDueIntervals(clockNow(), { shop });
      const deliveries = await applyPendingDeliveries({ shop });
      // Rewards first: a code issued now has its email scheduled for this round's dispatch.
      const rewards = await issueDueRewards(clockNow(), { owners: REWARD_OWNERS, shop });
      const dispatched = await dispatchDueMessages({ compose: composeDueMessage, mailer, now: clockNow(), owner, shop });
      const ratings = (await syncProductRatings(clockNow(), { shop })).synced;
      report.deliveries += deliveries;
      report.ratings += ratings;
      report.rewards += rewards.issued;
      for (const key of Object.keys(dispatched) as (keyof DispatchReport)[]) report[key] += dispatched[key];
      // Only sends, holds and skips are progress; a message moved to later is not due again now.
      const progress = deliveries + ratings + rewards.issued + rewards.refused + rewards.held + dispatched.sent + dispatched.held + dispatched.skipped + dispatched.failed;
      if (progress > 0) continue;
      if (options.once) break;
      await sleep(options.idleMs ?? 1000, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    if (!options.mailer) mailer.close();
  }
  return report;
}
