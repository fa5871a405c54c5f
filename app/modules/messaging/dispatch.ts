// The outbox: claims due messages with a lease, asks the composer what each becomes, records
// the rendered message, sends it and records the result. At least once, never twice what is
// recorded as sent: a worker that dies mid-send leaves its lease to expire, and the message is
// taken again (with the same Message-ID, so a mail client shows one); a message whose status
// says sent is never claimed again.
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { normalizeEmail } from "./consent";
import { MailError, type Mailer } from "./mailer";

export type DueMessage = {
  id: string;
  shop: string;
  flow: string;
  step: number;
  marketing: boolean;
  orderId: string | null;
  customerId: string | null;
  dueAt: Date;
  attempts: number;
};

export type Composition =
  | {
      kind: "send";
      to: string;
      subject: string;
      html: string;
      text: string;
      fromName: string;
      replyTo: string | null;
      unsubscribeUrl: string;
      productIds: string[];
    }
  /**
   * Not now. `retry`: a passing obstacle (the order has not arrived, Shopify is throttling):
   * the message keeps its due time, so how late it is still counts, and rests until `dueAt`.
   * Otherwise it moves to `dueAt` (the send window, the frequency cap).
   */
  | { kind: "later"; dueAt: Date; reason: string; retry?: boolean }
  | { kind: "skip"; status: "cancelled" | "suppressed" | "failed"; reason: string };

export type Composer = (message: DueMessage, now: Date) => Promise<Composition>;

export const LEASE_MS = 5 * 60_000;
export const MAX_SEND_ATTEMPTS = 6;
/** 1 min, 4 min, 16 min, ... at most a day. */
const retryDelayMs = (attempt: number) => Math.min(86_400_000, 60_000 * 4 ** (attempt - 1));

/** The app's own host name (from SHOPIFY_APP_URL): the domain of Message-IDs and of the default sender. */
function appHost(): string {
  try {
    return new URL(process.env.SHOPIFY_APP_URL ?? "").hostname || "aftercare.local";
  } catch {
    return "aftercare.local";
  }
}

/** The RFC 5322 Message-ID of a message: derived from its id, so every retry carries the same one. */
export function messageIdHeader(id: string): string {
  return `<${id}@${appHost()}>`;
}

/** The From address of every email the app sends; its display name is the shop's. */
export function senderAddress(): string {
  return process.env.MAIL_FROM ?? `followups@${appHost()}`;
}

export type DispatchReport = { sent: number; held: number; moved: number; skipped: number; retrying: number; failed: number };

/**
 * Sends what is due by `now`, at most `limit` messages; returns what happened. `owner` names
 * this worker in the leases it takes.
 */
export async function dispatchDueMessages(options: {
  compose: Composer;
  mailer: Mailer;
  now: Date;
  limit?: number;
  owner?: string;
  shop?: string;
}): Promise<DispatchReport> {
  const { compose, mailer, now } = options;
  const owner = options.owner ?? randomUUID();
  const report: DispatchReport = { sent: 0, held: 0, moved: 0, skipped: 0, retrying: 0, failed: 0 };
  const claimable = {
    status: "scheduled",
    dueAt: { lte: now },
    OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
    ...(options.shop ? { shop: options.shop } : {}),
  };
  const due = await db.message.findMany({
    where: claimable,
    orderBy: { dueAt: "asc" },
    take: options.limit ?? 50,
    select: { id: true, shop: true, flow: true, step: true, marketing: true, orderId: true, customerId: true, dueAt: true, attempts: true },
  });
  for (const message of due) {
    // The claim is a conditional update: of two workers, one matches and the other matches nothing.
    const claimed = await db.message.updateMany({
      where: { id: message.id, ...claimable },
      data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + LEASE_MS) },
    });
    if (claimed.count === 0) continue;
    const mine = { id: message.id, leaseOwner: owner, status: "scheduled" };
    const release = { leaseOwner: null, leaseUntil: null };

    let composition: Composition;
    try {
      composition = await compose(message, now);
    } catch (error) {
      composition = { kind: "skip", status: "failed", reason: `could not be rendered: ${(error as Error).message}` };
    }
    if (composition.kind === "later") {
      const rest = composition.retry
        ? { leaseOwner: null, leaseUntil: composition.dueAt, detail: `waiting: ${composition.reason}` }
        : { ...release, dueAt: composition.dueAt, detail: `moved: ${composition.reason}` };
      await db.message.updateMany({ where: mine, data: rest });
      report.moved++;
      continue;
    }
    if (composition.kind === "skip") {
      await db.message.updateMany({ where: mine, data: { ...release, status: composition.status, detail: composition.reason } });
      if (composition.status === "failed") report.failed++;
      else report.skipped++;
      continue;
    }

    const to = normalizeEmail(composition.to);
    // What is about to be sent is recorded first, so the admin shows exactly this message.
    await db.message.updateMany({
      where: mine,
      data: { toAddress: to, subject: composition.subject, html: composition.html, text: composition.text, productIds: JSON.stringify(composition.productIds) },
    });
    const attempts = message.attempts + 1;
    try {
      await mailer.send({
        messageId: messageIdHeader(message.id),
        from: { name: composition.fromName, address: senderAddress() },
        replyTo: composition.replyTo,
        to,
        subject: composition.subject,
        html: composition.html,
        text: composition.text,
        unsubscribeUrl: composition.unsubscribeUrl,
      });
    } catch (error) {
      const mailError = error instanceof MailError ? error : new MailError(String(error), true);
      const giveUp = !mailError.transient || attempts >= MAX_SEND_ATTEMPTS;
      await db.message.updateMany({
        where: mine,
        data: {
          ...release,
          attempts,
          lastError: mailError.message.slice(0, 500),
          ...(giveUp
            ? { status: "failed", detail: mailError.transient ? `gave up after ${attempts} attempts` : "the mail server refused it" }
            : { dueAt: new Date(now.getTime() + retryDelayMs(attempts)), detail: `retrying: attempt ${attempts} failed` }),
        },
      });
      if (giveUp) report.failed++;
      else report.retrying++;
      continue;
    }
    const held = mailer.kind === "outbox";
    await db.message.updateMany({
      where: { id: message.id, leaseOwner: owner },
      data: { ...release, attempts, status: held ? "outbox" : "sent", sentAt: now, detail: null },
    });
    if (held) report.held++;
    else report.sent++;
  }
  return report;
}
