// Webhook intake, in two steps. Accepting (inbox.ts) stores the verified raw delivery, keyed
// by X-Shopify-Webhook-Id, so a duplicate is stored once. Applying (here, run by the worker)
// takes each pending delivery exactly once: claim it, update the mirror, run the reactions, in
// short transactions of a few deliveries each. Nothing here calls Shopify or sends mail.
import { setTimeout as sleep } from "node:timers/promises";
import db, { empty, integerOf, queryDirect, sql, statementsIn, timeOf, type Tx, type TxStatements } from "~/db.server";
import { now as clockNow } from "~/modules/clock";
import { retryAfter, retryDueSql, type Backoff } from "~/modules/jobs/lease";
import { eraseShop, gatherCustomerData, redactCustomer, type PrivacyCapability } from "~/modules/privacy";
import { isInstalled, recordUninstall } from "~/modules/shops";
import { parseShopifyJson } from "./json";
import { insertRefunds, upsertCustomer, upsertFulfillments, upsertOrder, type MirrorWrite } from "./mirror";
import { PayloadError, readCustomer, readFulfillment, readOrder, readPrivacyRequest, readRefund } from "./payloads";
import { isTopic, runReactions, type IntakeEvent, type ReactingCapability, type Topic } from "./reactions";

export { acceptDelivery, type Delivery } from "./inbox";
export { foreignShopReason } from "./payloads";
export { shopifySignature } from "./signature";
export { TOPICS, type IntakeEvent, type Topic, type WebhookReaction } from "./reactions";

/** What intake needs of each capability in the list: its reactions and its customer data. */
export type IntakeCapability = ReactingCapability & PrivacyCapability;

type Applied = { event: Omit<IntakeEvent, "shop" | "topic" | "webhookId" | "now">; detail: string; keepDelivery?: false };

/** A delivery that keeps failing is retried with growing pauses, then marked failed for the admin to see. */
export const MAX_ATTEMPTS = 8;
const DELIVERY_BACKOFF: Backoff = { firstMs: 5_000, factor: 2, maxMs: 3_600_000 };

async function shopCurrency(statements: TxStatements, shop: string): Promise<string> {
  const [row] = await statements.query<{ currency: string | null }>(sql`SELECT "currency" FROM "Shop" WHERE "shop" = ${shop}`);
  return row?.currency ?? "USD";
}

const describe = (write: MirrorWrite, what: string) => (write === "stale" ? `${what}: older than the state held, mirror unchanged` : `${what} ${write}`);

/** Reads the payload and applies it to the mirror. Throws PayloadError before any write when the shape is wrong. */
async function apply(capabilities: readonly IntakeCapability[], tx: Tx, shop: string, topic: Topic, payload: unknown, now: Date): Promise<Applied> {
  const statements = statementsIn(tx);
  switch (topic) {
    case "orders/create":
    case "orders/paid":
    case "orders/updated":
    case "orders/cancelled": {
      const order = readOrder(payload);
      const write = await upsertOrder(statements, shop, order);
      return { event: { write, order }, detail: describe(write, `order ${order.name}`) };
    }
    case "fulfillments/create":
    case "fulfillments/update": {
      const fulfillment = readFulfillment(payload);
      const [write = "stale"] = await upsertFulfillments(statements, shop, [fulfillment]);
      const status = fulfillment.shipmentStatus ?? fulfillment.status;
      return { event: { write, fulfillment }, detail: describe(write, `fulfillment ${fulfillment.id} (${status})`) };
    }
    case "refunds/create": {
      const refund = readRefund(payload, await shopCurrency(statements, shop));
      const [write = "stale"] = await insertRefunds(statements, shop, [refund]);
      return { event: { write, refund }, detail: describe(write, `refund ${refund.id} of order ${refund.orderId}`) };
    }
    case "customers/create":
    case "customers/update": {
      const customer = readCustomer(payload);
      const write = await upsertCustomer(statements, shop, customer);
      return { event: { write, customer }, detail: describe(write, `customer ${customer.id}`) };
    }
    case "app/uninstalled":
      await recordUninstall(tx, shop, now);
      return { event: { write: null }, detail: "app uninstalled: sessions removed, pending work stopped" };
    case "customers/redact": {
      const privacy = readPrivacyRequest(payload);
      return { event: { write: null, privacy }, detail: await redactCustomer(tx, shop, privacy, capabilities) };
    }
    case "customers/data_request": {
      const privacy = readPrivacyRequest(payload);
      return { event: { write: null, privacy }, detail: await gatherCustomerData(tx, shop, privacy, now, capabilities) };
    }
    case "shop/redact":
      await eraseShop(tx, shop);
      return { event: { write: null }, detail: "shop erased", keepDelivery: false };
  }
}

type PendingDelivery = { shop: string; webhookId: string; topic: string; payload: string | null; attempts: number };
type ApplyResult = "processed" | "skipped" | "taken" | "retrying" | "failed";

/** What one delivery does, inside the claiming transaction. A bad payload is a skip, not a failure. */
async function interpret(
  capabilities: readonly IntakeCapability[],
  tx: Tx,
  delivery: PendingDelivery,
  now: Date,
): Promise<{ outcome: "processed" | "skipped"; detail: string; keepDelivery?: false }> {
  const { shop, topic, webhookId } = delivery;
  if (!isTopic(topic)) return { outcome: "skipped", detail: `topic ${topic} is not handled` };
  let payload: unknown;
  try {
    payload = parseShopifyJson(delivery.payload ?? "");
  } catch {
    return { outcome: "skipped", detail: "body is not JSON" };
  }
  // Shopify sends shop/redact 48 h after an uninstall, never while installed: such a one is a replay.
  if (topic === "shop/redact" && (await isInstalled(tx, shop))) {
    return { outcome: "skipped", detail: "shop/redact ignored: the app is installed on this shop, nothing erased" };
  }
  let applied: Applied;
  try {
    applied = await apply(capabilities, tx, shop, topic, payload, now);
  } catch (error) {
    // Payload readers throw before any write, so nothing of this delivery is half-applied.
    if (error instanceof PayloadError) return { outcome: "skipped", detail: `unexpected payload: ${error.message}` };
    throw error;
  }
  await runReactions(capabilities, tx, { shop, topic, webhookId, now, ...applied.event });
  return { outcome: "processed", detail: applied.detail, keepDelivery: applied.keepDelivery };
}

/**
 * Claims one pending delivery and applies it, inside the caller's transaction. The claim is a
 * conditional update, so with several workers a second one waits for the first one's commit
 * and then claims nothing ("taken"). No lease: the claim commits with the work it claims, so a
 * worker that dies mid-way leaves nothing claimed and the delivery pending.
 */
async function claimAndApply(capabilities: readonly IntakeCapability[], tx: Tx, delivery: PendingDelivery, now: Date): Promise<ApplyResult> {
  const { shop, webhookId } = delivery;
  const statements = statementsIn(tx);
  const claimed = await statements.execute(sql`
    UPDATE "WebhookDelivery" SET "outcome" = 'processed', "payload" = NULL, "appliedAt" = ${now}, "retryAt" = NULL
    WHERE "shop" = ${shop} AND "webhookId" = ${webhookId} AND "outcome" = 'pending'`);
  if (claimed === 0) return "taken";
  const { outcome, detail, keepDelivery } = await interpret(capabilities, tx, delivery, now);
  if (keepDelivery !== false) {
    await statements.execute(
      sql`UPDATE "WebhookDelivery" SET "outcome" = ${outcome}, "detail" = ${detail} WHERE "shop" = ${shop} AND "webhookId" = ${webhookId}`,
    );
  }
  return outcome;
}

/**
 * Applies one pending delivery exactly once, in a transaction of its own. When applying
 * throws, everything rolls back and the delivery waits for a retry.
 */
async function applyDelivery(capabilities: readonly IntakeCapability[], delivery: PendingDelivery, now: Date): Promise<ApplyResult> {
  const { shop, webhookId } = delivery;
  try {
    return await db.$transaction((tx) => claimAndApply(capabilities, tx, delivery, now));
  } catch (error) {
    const attempts = delivery.attempts + 1;
    const failed = attempts >= MAX_ATTEMPTS;
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`intake: ${delivery.topic} ${webhookId} for ${shop}, attempt ${attempts}: ${reason}`);
    // The merchant sees the cause only: Prisma writes the query's arguments (personal data) above it.
    const cause = reason.trim().split("\n").at(-1) ?? "";
    await db.webhookDelivery.updateMany({
      where: { shop, webhookId, outcome: "pending" },
      data: {
        attempts,
        outcome: failed ? "failed" : "pending",
        // Given up on: the raw body (personal data) goes; topic, ids and the error stay for the merchant.
        ...(failed ? { payload: null } : {}),
        retryAt: failed ? null : retryAfter(DELIVERY_BACKOFF, attempts, now),
        detail: `attempt ${attempts} of ${MAX_ATTEMPTS} failed: ${cause.slice(0, 500)}`,
      },
    });
    return failed ? "failed" : "retrying";
  }
}

/**
 * How long one transaction goes on taking deliveries. Its deliveries share one commit (one sync
 * of the log instead of one each), and it stays short because the web tier's inbox writes wait
 * for it (on SQLite, the one writer at a time); during a burst, shorter still.
 */
const TRANSACTION_BUDGET_MS = 20;
const TRANSACTION_BUDGET_DURING_BURST_MS = 5;
/** Deliveries stored this recently mean a burst is on. */
const ARRIVING_WITHIN_MS = 1_000;
/** During a burst the worker takes at most this share of the time, leaving the rest (and the database) to the web tier. */
const SHARE_DURING_BURST = 0.1;

/**
 * Applies the first deliveries of `due` in one transaction, as many as fit in its time budget;
 * returns how many it took. When one of them throws, the whole transaction rolled back: those
 * before it and then that one are applied alone (applyDelivery), so only the one at fault
 * counts a failed attempt.
 */
async function applyBatch(capabilities: readonly IntakeCapability[], due: PendingDelivery[], now: Date, budgetMs: number): Promise<number> {
  const started = performance.now();
  let taken = 0;
  try {
    await db.$transaction(async (tx) => {
      do await claimAndApply(capabilities, tx, due[taken++]!, now);
      while (taken < due.length && performance.now() - started < budgetMs);
    });
    return taken;
  } catch {
    for (const delivery of due.slice(0, taken)) await applyDelivery(capabilities, delivery, now);
    return taken;
  }
}

/** Whether the web tier stored a delivery within the last moment (wall time: its receivedAt is real time). */
async function stillArriving(): Promise<boolean> {
  const [newest] = await queryDirect<{ receivedAt: unknown }>(
    sql`SELECT "receivedAt" FROM "WebhookDelivery" WHERE "outcome" = 'pending' ORDER BY "receivedAt" DESC LIMIT 1`,
  );
  return (timeOf(newest?.receivedAt)?.getTime() ?? 0) > Date.now() - ARRIVING_WITHIN_MS;
}

/**
 * Applies the pending deliveries that are due, oldest first, at most `limit` of them, running
 * the reactions of the capabilities given (the list); returns how many it looked at (0:
 * nothing is due). `shop` narrows it to one shop. Read directly: each carries its raw payload.
 */
export async function applyPendingDeliveries(
  capabilities: readonly IntakeCapability[],
  options: { now?: Date; limit?: number; shop?: string } = {},
): Promise<number> {
  const now = options.now ?? clockNow();
  const rows = await queryDirect<Omit<PendingDelivery, "attempts"> & { attempts: unknown }>(sql`
    SELECT "shop", "webhookId", "topic", "payload", "attempts" FROM "WebhookDelivery"
    WHERE "outcome" = 'pending' ${options.shop ? sql`AND "shop" = ${options.shop}` : empty} AND ${retryDueSql(now)}
    ORDER BY "receivedAt" ASC LIMIT ${options.limit ?? 100}`);
  const due = rows.map((row): PendingDelivery => ({ ...row, attempts: integerOf(row.attempts) }));
  for (let next = 0; next < due.length;) {
    // During a burst the worker falls behind rather than make webhooks wait; it catches up after.
    const arriving = await stillArriving();
    const started = performance.now();
    next += await applyBatch(capabilities, due.slice(next), now, arriving ? TRANSACTION_BUDGET_DURING_BURST_MS : TRANSACTION_BUDGET_MS);
    if (arriving) await sleep(((performance.now() - started) * (1 - SHARE_DURING_BURST)) / SHARE_DURING_BURST);
  }
  return due.length;
}
