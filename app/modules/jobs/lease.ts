// The one way the worker's jobs claim work and try again. A row is claimed by setting a lease
// (who holds it, until when) in a conditional update: of several workers, each row goes to the
// one whose update reaches it first, and a worker that dies leaves its lease to run out, so the
// row is taken again. A failed try waits longer each time, up to a ceiling. Work claimed in the
// same transaction that does it (webhook deliveries) needs no lease, only the retry policy.
import { sql } from "~/db.server";

/** Rows no worker holds at `now`: never taken, or their holder's lease ran out. */
export const leaseFree = (now: Date) => ({ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] });

/** Rows that are not resting after a failed try at `now` (also for work claimed without a lease). */
export const retryDue = (now: Date) => ({ OR: [{ retryAt: null }, { retryAt: { lte: now } }] });

/** retryDue as a raw statement's condition. */
export const retryDueSql = (now: Date) => sql`("retryAt" IS NULL OR "retryAt" <= ${now})`;

/** Rows a worker may claim at `now`: free, and not resting. */
export const claimable = (now: Date) => ({ AND: [leaseFree(now), retryDue(now)] });

/** When a lease taken at `now` for `ms` runs out. */
export const leaseEnd = (now: Date, ms: number) => new Date(now.getTime() + ms);

/** The columns that say `owner` holds a row from `now` for `ms`. */
export const lease = (owner: string, now: Date, ms: number) => ({ leaseOwner: owner, leaseUntil: leaseEnd(now, ms) });

/** The columns of a row no worker holds. */
export const RELEASED = { leaseOwner: null, leaseUntil: null } as const;

/** How long to rest after failed tries: `firstMs`, then `factor` times longer each time, at most `maxMs`. */
export type Backoff = { firstMs: number; factor: number; maxMs: number };

/** The pause after the `attempt`-th failed try (1 for the first). */
export const backoffDelayMs = (policy: Backoff, attempt: number) => Math.min(policy.maxMs, policy.firstMs * policy.factor ** (attempt - 1));

/** When the next try is due after the `attempt`-th failed one at `now`. */
export const retryAfter = (policy: Backoff, attempt: number, now: Date) => new Date(now.getTime() + backoffDelayMs(policy, attempt));

/**
 * Claims a batch in one conditional update: `find` lists up to a batch of candidate ids in the
 * order they should be worked on, `take` sets the lease on those still claimable and returns
 * the rows this worker got. Returns the candidates' order too, as a row may be lost to another
 * worker between the two.
 */
export async function claimBatch<Row>(
  find: () => Promise<{ id: string }[]>,
  take: (ids: string[]) => Promise<Row[]>,
): Promise<{ order: string[]; claimed: Row[] }> {
  const candidates = await find();
  if (candidates.length === 0) return { order: [], claimed: [] };
  const order = candidates.map((row) => row.id);
  return { order, claimed: await take(order) };
}
