// A worker process killed mid-batch, for real: `node build/server/worker.js --once` applies
// the stored webhook deliveries and sends the follow-ups they schedule to the SMTP server on
// 127.0.0.1, which accepts the first ones and then stalls on one; the test SIGKILLs the worker
// while that send hangs. Later workers must lose nothing and send nothing twice that was
// recorded as sent: the stalled message stays with its dead owner until the lease expires, then
// goes once more, with the same Message-ID.
//
// The worker takes what is due in EVERY shop, so this file has a database of its own (of the
// run's kind: a SQLite file, or a PostgreSQL schema), not the run's shared one. Deliveries are
// stored the way the webhook route stores them once it has checked the signature (acceptDelivery):
// the route itself is tested elsewhere, and serving the built app here would double the start-up.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { uniqueShop } from "./support/app";
import { createPrivateDatabase } from "./support/global-setup";
import { newId, orderPayload, toShopifyJson, type ProductLine } from "./support/payloads";
import { startSmtpSink, type SmtpSink } from "./support/smtp";

const MUG: ProductLine = {
  productId: "913000000000001",
  variantId: "613000000000001",
  title: "Stoneware Mug",
  variantTitle: null,
  price: "24.00",
  sku: "SKU-13",
  vendor: "Test Roasters",
  quantity: 1,
};
const ORDERS = 5;
/** The server accepts this many messages of the first worker's batch, then hangs on the next. */
const ACCEPTED_BEFORE_STALL = 2;
/** When the first worker runs: every thank-you (1 h after payment) is due by then. */
const T = new Date("2026-11-20T15:10:00Z");
const after = (ms: number) => new Date(T.getTime() + ms);
const MINUTE = 60_000;

let database: Awaited<ReturnType<typeof createPrivateDatabase>>;
let db: Db;
let LEASE_MS: number;
let acceptDelivery: typeof import("~/modules/intake").acceptDelivery;
let smtp: SmtpSink;
const workers: Worker[] = [];

beforeAll(async () => {
  database = await createPrivateDatabase(process.env.TEST_DATABASE);
  // Before anything opens the database: db.server reads DATABASE_URL once, when first imported.
  process.env.DATABASE_URL = database.url;
  db = (await import("~/db.server")).default;
  ({ LEASE_MS } = await import("~/modules/messaging/dispatch"));
  ({ acceptDelivery } = await import("~/modules/intake"));
  smtp = await startSmtpSink();
}, 60_000);

afterAll(async () => {
  for (const worker of workers) if (!worker.exit) worker.child.kill("SIGKILL");
  await Promise.all(workers.map((worker) => worker.exited));
  await smtp?.close();
  await db?.$disconnect();
  await database?.drop();
});

type Exit = { code: number | null; signal: NodeJS.Signals | null };
type Worker = { child: ChildProcess; output: string; exit: Exit | null; exited: Promise<Exit> };

/** `node build/server/worker.js --once --now <at>`: the worker process as `npm run worker` runs it, on this file's database and SMTP server. */
function startWorker(at: Date): Worker {
  const child = spawn(process.execPath, ["build/server/worker.js", "--once", "--now", at.toISOString()], {
    env: { ...process.env, DATABASE_URL: database.url, SMTP_URL: smtp.url, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve((worker.exit = { code, signal }))));
  const worker: Worker = { child, output: "", exit: null, exited };
  child.stdout!.on("data", (chunk: Buffer) => (worker.output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (worker.output += chunk));
  workers.push(worker);
  return worker;
}

/** Runs a worker to its end; returns how many follow-ups it reports sent. */
async function runWorker(at: Date): Promise<number> {
  const worker = startWorker(at);
  expect(await worker.exited, worker.output).toEqual({ code: 0, signal: null });
  return Number(/follow-ups: (\d+) sent/.exec(worker.output)?.[1]);
}

/** Polls until `condition` holds; fails at once if the worker exits first, or at the deadline. */
async function until(condition: () => boolean, worker: Worker, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (worker.exit) throw new Error(`the worker exited (${JSON.stringify(worker.exit)}) before ${what}:\n${worker.output}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${worker.output}`);
    await sleep(20);
  }
}

describe("a worker killed mid-batch", () => {
  it("loses nothing and sends nothing twice that was recorded as sent: the message it held goes once its lease expires", async () => {
    const shop = uniqueShop("crash");
    await db.shop.create({
      data: {
        shop,
        name: "Test Roasters",
        contactEmail: "hello@roasters.test",
        currency: "USD",
        timezone: "America/New_York",
        installedAt: new Date("2026-01-01T00:00:00Z"),
        settings: "{}",
      },
    });
    const recipients: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const email = `c${i}-${randomUUID().slice(0, 8)}@example.com`;
      recipients.push(email);
      // Paid a minute apart, so the thank-yous fall due (and go) in this order.
      const paidAt = `2026-11-20T14:0${i}:00Z`;
      const order = orderPayload({ customer: { id: newId(), email, firstName: "Robin", lastName: "Quill" }, createdAt: paidAt, lines: [MUG] });
      order.email = email;
      await acceptDelivery({ shop, topic: "orders/paid", webhookId: randomUUID(), triggeredAt: paidAt, body: toShopifyJson(order) }, new Date(paidAt));
    }
    const messages = () => db.message.findMany({ where: { shop }, orderBy: { dueAt: "asc" } });
    const messageId = (id: string) => `<${id}@aftercare.test>`;

    // 1. The worker applies the deliveries and sends the thank-yous into a server that accepts two, then never
    //    answers DATA again. Once the two accepted are recorded, it is killed while it waits on the others.
    smtp.hangAfter = ACCEPTED_BEFORE_STALL;
    const crashing = startWorker(T);
    await until(() => smtp.arrivals.some((arrival) => arrival.answer === "hang"), crashing, "send stuck on the stalled server");
    const acceptedIds = () => smtp.arrivals.filter((arrival) => arrival.answer === "accept").map((arrival) => arrival.messageId);
    let recordedSent = 0;
    const countSent = async () => (recordedSent = await db.message.count({ where: { shop, status: "sent" } }));
    while ((await countSent()) < ACCEPTED_BEFORE_STALL && !crashing.exit) await sleep(20);
    crashing.child.kill("SIGKILL");
    expect(await crashing.exited).toEqual({ code: null, signal: "SIGKILL" });

    expect(await db.webhookDelivery.count({ where: { shop, outcome: "processed" } })).toBe(ORDERS);
    const atKill = new Map((await messages()).map((m) => [m.id, m]));
    const ids = [...atKill.keys()];
    expect([...atKill.values()].map((m) => m.flow)).toEqual(recipients.map(() => "thank_you"));
    const before = ids.filter((id) => acceptedIds().includes(messageId(id)));
    const stalled = ids.filter((id) => smtp.arrivals.some((arrival) => arrival.messageId === messageId(id) && arrival.answer === "hang"));
    const rest = ids.filter((id) => !before.includes(id) && !stalled.includes(id));
    expect(before).toHaveLength(ACCEPTED_BEFORE_STALL);
    expect(stalled.length).toBeGreaterThanOrEqual(1);
    // What the server took is recorded as sent, once.
    for (const id of before) expect(atKill.get(id)).toMatchObject({ status: "sent", attempts: 1, leaseOwner: null, leaseUntil: null, sentAt: T });
    // What was on the wire: rendered and recorded, still scheduled, held by the dead worker's lease.
    for (const id of stalled) {
      const held = atKill.get(id)!;
      expect(held).toMatchObject({ status: "scheduled", attempts: 0, sentAt: null, leaseUntil: after(LEASE_MS), subject: "Thank you for your order, Robin" });
      expect(held.leaseOwner).toEqual(expect.any(String));
    }
    // Anything else is still scheduled: claimed by the dead worker, or not claimed at all.
    for (const id of rest) expect(atKill.get(id)).toMatchObject({ status: "scheduled", sentAt: null });
    const leased = ids.filter((id) => atKill.get(id)!.status === "scheduled" && atKill.get(id)!.leaseOwner);
    const free = rest.filter((id) => !atKill.get(id)!.leaseOwner);

    // 2. The server works again. A worker before the lease expires sends only what the dead one never claimed.
    smtp.hangAfter = null;
    expect(await runWorker(after(MINUTE))).toBe(free.length);
    const beforeExpiry = new Map((await messages()).map((m) => [m.id, m]));
    for (const id of leased) expect(beforeExpiry.get(id)).toEqual(atKill.get(id));
    for (const id of before) expect(beforeExpiry.get(id)).toEqual(atKill.get(id));

    // 3. Once the lease has expired, the next worker takes the held messages over and sends them.
    expect(await runWorker(after(LEASE_MS + MINUTE))).toBe(leased.length);
    const final = await messages();
    expect(final.map((m) => [m.status, m.toAddress])).toEqual(recipients.map((email) => ["sent", email]));
    for (const id of leased)
      expect(final.find((m) => m.id === id)).toMatchObject({ attempts: 1, leaseOwner: null, leaseUntil: null, sentAt: after(LEASE_MS + MINUTE) });

    // Every message reached the server and was accepted exactly once; only those stalled on the wire
    // arrived twice (once into the hang, never acknowledged, then again), under the same Message-ID.
    const accepted = smtp.received.map((mail) => mail.messageId);
    expect([...accepted].sort()).toEqual(ids.map(messageId).sort());
    const to = new Map(final.map((m) => [messageId(m.id), m.toAddress]));
    for (const mail of smtp.received) expect(mail.envelopeTo).toEqual([to.get(mail.messageId!)]);
    const arrivals = (id: string) => smtp.arrivals.filter((arrival) => arrival.messageId === messageId(id)).map((arrival) => arrival.answer);
    for (const id of [...before, ...rest]) expect(arrivals(id)).toEqual(["accept"]);
    for (const id of stalled) expect(arrivals(id)).toEqual(["hang", "accept"]);
    expect(recordedSent).toBe(ACCEPTED_BEFORE_STALL);
  }, 60_000);
});
