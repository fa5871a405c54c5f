// Accepting a webhook means storing it durably, nothing more: the worker applies it later
// (applyPendingDeliveries). Deliveries that arrive together are written together, in one
// INSERT (group commit), and none is answered before its own row is committed.
import db from "~/db.server";

export type Delivery = {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  triggeredAt?: string | null;
  body: string;
};

type Row = {
  shop: string;
  webhookId: string;
  topic: string;
  eventId: string | null;
  triggeredAt: Date | null;
  receivedAt: Date;
  outcome: "pending";
  payload: string;
};
type Waiting = { row: Row; resolve(): void; reject(error: unknown): void };

/** Rows per INSERT; a larger burst is written in several. */
const MAX_BATCH = 500;

let queue: Waiting[] = [];
let flushing = false;

function triggeredAtDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Resolves once the delivery is committed (or was already stored: a retry of the same webhook id). */
export function acceptDelivery(delivery: Delivery, now: Date): Promise<void> {
  const row: Row = {
    shop: delivery.shop,
    webhookId: delivery.webhookId,
    topic: delivery.topic,
    eventId: delivery.eventId ?? null,
    triggeredAt: triggeredAtDate(delivery.triggeredAt),
    receivedAt: now,
    outcome: "pending",
    payload: delivery.body,
  };
  return new Promise((resolve, reject) => {
    queue.push({ row, resolve, reject });
    if (!flushing) void flush();
  });
}

async function flush(): Promise<void> {
  flushing = true;
  // Let the requests already read in this turn of the event loop join the first batch.
  await new Promise((resolve) => setImmediate(resolve));
  while (queue.length > 0) {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    try {
      await insert(batch.map((waiting) => waiting.row));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
  flushing = false;
}

async function insert(rows: Row[]): Promise<void> {
  const unique = [...new Map(rows.map((row) => [`${row.shop}\n${row.webhookId}`, row])).values()];
  try {
    await db.webhookDelivery.createMany({ data: unique });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A retry of a delivery already stored is in the batch (rare): store the others one by one.
    for (const row of unique) {
      try {
        await db.webhookDelivery.create({ data: row });
      } catch (rowError) {
        if (!isUniqueViolation(rowError)) throw rowError;
      }
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
