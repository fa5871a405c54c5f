// Accepting a webhook means storing it durably, nothing more: the worker applies it later
// (applyPendingDeliveries). Deliveries that arrive together are written together, in one
// INSERT (group commit), and none is answered before its own row is committed. The INSERT runs
// on the driver, past Prisma's query compiler: it is the web tier's one write per webhook.
import { executeDirect, join, sql, STATEMENT_VALUES } from "~/db.server";

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

const COLUMNS = 8;
/** Rows per INSERT (as many as one statement binds); a larger burst is written in several. */
const MAX_BATCH = Math.floor(STATEMENT_VALUES / COLUMNS);

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

/** A retry of a delivery already stored (the same shop and webhook id) is left as it was. */
async function insert(rows: Row[]): Promise<void> {
  const values = rows.map(
    (row) => sql`(${row.shop}, ${row.webhookId}, ${row.topic}, ${row.eventId}, ${row.triggeredAt}, ${row.receivedAt}, ${row.outcome}, ${row.payload})`,
  );
  await executeDirect(sql`
    INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "eventId", "triggeredAt", "receivedAt", "outcome", "payload")
    VALUES ${join(values)}
    ON CONFLICT ("shop", "webhookId") DO NOTHING`);
}
