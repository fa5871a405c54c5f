// The outbox: claims a batch of due messages with a lease, asks the composer what each
// becomes, records the rendered message, sends it and records the result. At least once,
// never twice what is recorded as sent: a worker that dies mid-send leaves its lease to
// expire, and the message is taken again (with the same Message-ID, so a mail client shows
// one); a message whose status says sent is never claimed again.
//
// A batch is worked on concurrently, so the SMTP pool's connections are kept busy and the
// composer's lookups of many messages share queries (the follow-up composer loads what the
// calls of one tick need at once; Prisma batches other composers' findUnique calls). One rule keeps that as safe as one message at a time: within a batch an
// address gets one message at a time. The composer's checks that look at what was already
// sent to an address (the marketing frequency cap, products already asked about) would not
// see a message to the same address that is composed beside them. So the batch goes in
// rounds: a customer's first message in the first round, their second in the next, and so
// on; and should two customers' messages in one round go to one address (the address is
// known only once composed), the second waits for the next round and is composed again then.
// Either way the later message is composed after the earlier one was recorded as sent.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { env } from "~/env.server";
import db, { executeDirect, join, queryDirect, sql } from "~/db.server";
import { claimBatch, lease, leaseFree, RELEASED, retryAfter, type Backoff } from "~/modules/jobs/lease";
import { normalizeEmail, turnedOffAmong } from "./consent";
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

/** What dispatch needs of a capability: the composers of the emails it sends, by flow id. */
export type ComposingCapability = { composers: Readonly<Record<string, Composer>> };

/** Composes each due message with the composer the capability list names for its flow. */
export function composeByFlow(capabilities: readonly ComposingCapability[]): Composer {
  const composers = new Map(capabilities.flatMap((capability) => Object.entries(capability.composers)));
  return async (message, now) => {
    const compose = composers.get(message.flow);
    return compose ? compose(message, now) : { kind: "skip", status: "failed", reason: `unknown flow ${message.flow}` };
  };
}

export const LEASE_MS = 5 * 60_000;
export const MAX_SEND_ATTEMPTS = 6;
/**
 * Claims in a row that ended with no outcome at all: each time, the worker holding the message
 * died before it was sent, moved or refused (a message that crashes whoever renders or sends
 * it). Past this it is given up rather than taken again every lease, holding up its batch.
 */
export const MAX_UNFINISHED_CLAIMS = 5;
/** 1 min, 4 min, 16 min, ... at most a day. */
const SEND_BACKOFF: Backoff = { firstMs: 60_000, factor: 4, maxMs: 86_400_000 };

/** The app's own host name (from SHOPIFY_APP_URL): the domain of Message-IDs and of the default sender. */
function appHost(): string {
  return new URL(env().SHOPIFY_APP_URL).hostname;
}

/** The RFC 5322 Message-ID of a message: derived from its id, so every retry carries the same one. */
export function messageIdHeader(id: string): string {
  return `<${id}@${appHost()}>`;
}

/** The From address of every email the app sends; its display name is the shop's. */
export function senderAddress(): string {
  return env().MAIL_FROM ?? `followups@${appHost()}`;
}

export type DispatchReport = { sent: number; held: number; moved: number; skipped: number; retrying: number; failed: number };

/** How many due messages one call claims at most (one conditional update for all of them). */
export const DISPATCH_BATCH = 100;
/** Sends handed to the mailer per connection at a time: one on the wire, one waiting behind it. */
const SENDS_PER_CONNECTION = 2;

const DUE_FIELDS = { id: true, shop: true, flow: true, step: true, marketing: true, orderId: true, customerId: true, dueAt: true, attempts: true } as const;
/** A claim that ended with an outcome: the lease goes, and the count of unfinished claims starts again. */
const RELEASE = { ...RELEASED, claims: 0 };

type Send = { message: DueMessage; composition: Extract<Composition, { kind: "send" }> };

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
  const { now } = options;
  const owner = options.owner ?? randomUUID();
  const report: DispatchReport = { sent: 0, held: 0, moved: 0, skipped: 0, retrying: 0, failed: 0 };
  const claimable = {
    status: "scheduled",
    dueAt: { lte: now },
    ...leaseFree(now),
    ...(options.shop ? { shop: options.shop } : {}),
  };
  // Of messages due at the same moment, the one scheduled first goes first (a customer's second waits for the next round).
  const { order: due, claimed: taken } = await claimBatch(
    () =>
      db.message.findMany({
        where: claimable,
        orderBy: [{ dueAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
        take: options.limit ?? DISPATCH_BATCH,
        select: { id: true },
      }),
    (ids) =>
      db.message.updateManyAndReturn({
        where: { id: { in: ids }, ...claimable },
        data: { ...lease(owner, now, LEASE_MS), claims: { increment: 1 } },
        select: { ...DUE_FIELDS, claims: true },
      }),
  );
  if (due.length === 0) return report;
  const abandoned = taken.filter((m) => m.claims > MAX_UNFINISHED_CLAIMS);
  const detail = `gave up: a worker stopped while holding it ${MAX_UNFINISHED_CLAIMS} times in a row`;
  await updateMine(
    abandoned.map((m) => ({ id: m.id, data: { ...RELEASE, status: "failed", detail } })),
    owner,
  );
  report.failed += abandoned.length;
  const claimed: DueMessage[] = taken.filter((m) => m.claims <= MAX_UNFINISHED_CLAIMS).map(({ claims: _claims, ...message }) => message);
  const position = new Map(due.map((id, i) => [id, i]));
  const inDueOrder = (messages: DueMessage[]) => messages.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  const rounds: DueMessage[][] = [];
  const perCustomer = new Map<string, number>();
  for (const message of inDueOrder(claimed)) {
    const customer = `${message.shop}\n${message.customerId ?? message.orderId ?? message.id}`;
    const round = perCustomer.get(customer) ?? 0;
    perCustomer.set(customer, round + 1);
    (rounds[round] ??= []).push(message);
  }
  const recordSent = sentRecorder(owner, options.mailer.kind === "outbox" ? "outbox" : "sent", now);
  let waiting: DueMessage[] = [];
  for (let round = 0; round < rounds.length || waiting.length > 0; round++) {
    waiting = await dispatchRound(inDueOrder([...waiting, ...(rounds[round] ?? [])]), { ...options, owner, report, recordSent });
  }
  return report;
}

/** Composes and sends claimed messages, one per address; returns those that must wait for the next round (composed again then). */
async function dispatchRound(
  messages: DueMessage[],
  context: { compose: Composer; mailer: Mailer; now: Date; owner: string; report: DispatchReport; recordSent: RecordSent },
): Promise<DueMessage[]> {
  const { compose, mailer, now, owner, report, recordSent } = context;
  const turnedOff = await turnedOffAmong(messages);
  const compositions = await Promise.all(
    messages.map(async (message): Promise<Composition> => {
      if (turnedOff.has(message.id)) return { kind: "skip", status: "suppressed", reason: "the customer turned these emails off" };
      try {
        return await compose(message, now);
      } catch (error) {
        return { kind: "skip", status: "failed", reason: `could not be rendered: ${(error as Error).message}` };
      }
    }),
  );

  const later: DueMessage[] = [];
  const sends: Send[] = [];
  const movedOrSkipped: { id: string; data: Prisma.MessageUpdateManyArgs["data"] }[] = [];
  const addresses = new Set<string>();
  messages.forEach((message, i) => {
    const composition = compositions[i]!;
    if (composition.kind === "later") {
      movedOrSkipped.push({
        id: message.id,
        data: composition.retry
          ? { ...RELEASE, leaseUntil: composition.dueAt, detail: `waiting: ${composition.reason}` }
          : { ...RELEASE, dueAt: composition.dueAt, detail: `moved: ${composition.reason}` },
      });
      report.moved++;
    } else if (composition.kind === "skip") {
      movedOrSkipped.push({ id: message.id, data: { ...RELEASE, status: composition.status, detail: composition.reason } });
      if (composition.status === "failed") report.failed++;
      else report.skipped++;
    } else {
      const to = normalizeEmail(composition.to);
      const address = `${message.shop}\n${to}`;
      if (addresses.has(address)) later.push(message);
      else {
        addresses.add(address);
        sends.push({ message, composition: { ...composition, to } });
      }
    }
  });
  const chunk = SENDS_PER_CONNECTION * (mailer.connections ?? 5);
  for (let i = 0; i < movedOrSkipped.length; i += chunk) await updateMine(movedOrSkipped.slice(i, i + chunk), owner);

  // A chunk at a time: record what is about to be sent (one short transaction), hand it to the
  // mailer, and record each message sent the moment the server took it (a worker that dies
  // mid-chunk leaves only what was really still on the wire to be sent again); the next chunk
  // is recorded while this one is on the wire, so the connections do not wait for the database.
  const held = mailer.kind === "outbox";
  async function settle(sending: Promise<("sent" | "retrying" | "failed")[]>) {
    for (const outcome of await sending) report[outcome === "sent" ? (held ? "held" : "sent") : outcome]++;
  }
  const onTheWire: Promise<void>[] = [];
  for (let i = 0; i < sends.length; i += chunk) {
    const part = sends.slice(i, i + chunk);
    const recorded = await recordRendered(part, owner);
    // A message whose lease ran out and which another worker took meanwhile is theirs to send.
    const mine = part.filter((_, j) => recorded[j]);
    const settling = settle(Promise.all(mine.map(({ message, composition }) => sendOne(message, composition, { mailer, now, owner, recordSent }))));
    settling.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled meanwhile
    onTheWire.push(settling);
    if (onTheWire.length >= 2) await onTheWire.shift();
  }
  await Promise.all(onTheWire);
  return later;
}

/**
 * Applies each change to its message if this worker still holds it, in one transaction;
 * says for each whether it did.
 */
async function updateMine(changes: { id: string; data: Prisma.MessageUpdateManyArgs["data"] }[], owner: string): Promise<boolean[]> {
  if (changes.length === 0) return [];
  const results = await db.$transaction(changes.map(({ id, data }) => db.message.updateMany({ where: { id, leaseOwner: owner, status: "scheduled" }, data })));
  return results.map((result) => result.count > 0);
}

/**
 * Records each message as it is about to be sent, if this worker still holds it; says for each
 * whether it did. One raw statement for them all, run directly: this runs for every message
 * and carries its rendered email, and Prisma's query compiler (which copies every argument
 * several times) and a statement per message cost more than the writing. (VALUES names its
 * columns column1, column2, ... on SQLite and PostgreSQL alike.)
 */
async function recordRendered(sends: Send[], owner: string): Promise<boolean[]> {
  const rows = sends.map(({ message, composition: c }) => sql`(${message.id}, ${c.to}, ${c.subject}, ${c.html}, ${c.text}, ${JSON.stringify(c.productIds)})`);
  const recorded = await queryDirect<{ id: string }>(sql`
    UPDATE "Message" SET "toAddress" = v."column2", "subject" = v."column3", "html" = v."column4", "text" = v."column5",
      "productIds" = v."column6", "updatedAt" = ${new Date()}
    FROM (VALUES ${join(rows)}) AS v
    WHERE "Message"."id" = v."column1" AND "Message"."leaseOwner" = ${owner} AND "Message"."status" = 'scheduled'
    RETURNING "id"`);
  const mine = new Set(recorded.map((row) => row.id));
  return sends.map(({ message }) => mine.has(message.id));
}

/** Sends one recorded message and records what happened. */
async function sendOne(
  message: DueMessage,
  composition: Send["composition"],
  { mailer, now, owner, recordSent }: { mailer: Mailer; now: Date; owner: string; recordSent: RecordSent },
): Promise<"sent" | "retrying" | "failed"> {
  const attempts = message.attempts + 1;
  try {
    await mailer.send({
      messageId: messageIdHeader(message.id),
      from: { name: composition.fromName, address: senderAddress() },
      replyTo: composition.replyTo,
      to: composition.to,
      subject: composition.subject,
      html: composition.html,
      text: composition.text,
      unsubscribeUrl: composition.unsubscribeUrl,
    });
  } catch (error) {
    const mailError = error instanceof MailError ? error : new MailError(String(error), true);
    const giveUp = !mailError.transient || attempts >= MAX_SEND_ATTEMPTS;
    await db.message.updateMany({
      where: { id: message.id, leaseOwner: owner, status: "scheduled" },
      data: {
        ...RELEASE,
        attempts,
        lastError: mailError.message.slice(0, 500),
        ...(giveUp
          ? { status: "failed", detail: mailError.transient ? `gave up after ${attempts} attempts` : "the mail server refused it" }
          : { dueAt: retryAfter(SEND_BACKOFF, attempts, now), detail: `retrying: attempt ${attempts} failed` }),
      },
    });
    return giveUp ? "failed" : "retrying";
  }
  await recordSent(message.id, attempts);
  return "sent";
}

type RecordSent = (id: string, attempts: number) => Promise<void>;

/**
 * Records messages sent as the server takes them, still in the turn of the event loop that
 * brought the server's answers: those that came in together (from the pool's several
 * connections), or while a write was on its way, go in one statement, and none waits behind
 * more than one write. One raw statement for several, run directly (see recordRendered).
 */
function sentRecorder(owner: string, status: "sent" | "outbox", now: Date): RecordSent {
  let queued: { id: string; attempts: number; done: () => void; failed: (error: unknown) => void }[] = [];
  let writing = false;
  async function write() {
    writing = true;
    while (queued.length > 0) {
      const sent = queued;
      queued = [];
      const rows = sent.map(({ id, attempts }) => sql`(${id}, ${attempts})`);
      try {
        await executeDirect(sql`
          UPDATE "Message" SET "leaseOwner" = NULL, "leaseUntil" = NULL, "claims" = 0, "attempts" = CAST(v."column2" AS INTEGER), "status" = ${status},
            "sentAt" = ${now}, "detail" = NULL, "updatedAt" = ${new Date()}
          FROM (VALUES ${join(rows)}) AS v
          WHERE "Message"."id" = v."column1" AND "Message"."leaseOwner" = ${owner}`);
        for (const { done } of sent) done();
      } catch (error) {
        for (const { failed } of sent) failed(error);
      }
    }
    writing = false;
  }
  return (id, attempts) =>
    new Promise((done, failed) => {
      queued.push({ id, attempts, done, failed });
      // setImmediate runs once the answers that arrived in this turn have all been handled.
      if (!writing && queued.length === 1) setImmediate(write);
    });
}
