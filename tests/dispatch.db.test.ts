// The dispatcher works on a claimed batch concurrently. These hold it to what one message at a
// time guaranteed: every message sent and recorded once, an address's messages one after
// another (so the frequency cap and "never ask twice" see the earlier one), and a message
// another worker took meanwhile left to that worker. Real SQLite, the real composer, a real
// SMTP server on 127.0.0.1.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { setNow } from "~/modules/clock";
import { composeFollowup } from "~/modules/followups";
import { dispatchDueMessages, type Composer } from "~/modules/messaging/dispatch";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { uniqueShop } from "./support/app";
import { newId } from "./support/payloads";
import { startSmtpSink, type SmtpSink } from "./support/smtp";

let smtp: SmtpSink;
let mailer: Mailer;
beforeAll(async () => {
  smtp = await startSmtpSink();
  mailer = createMailer(smtp.url);
});
afterAll(async () => {
  mailer.close();
  await smtp.close();
});
afterEach(() => setNow(null));

// 10:00 in New York: inside the default send window, so nothing is moved for the window.
const NOW = new Date("2026-11-20T15:00:00Z");

async function installShop(settings: object = {}): Promise<string> {
  const shop = uniqueShop("dispatch");
  await db.shop.create({
    data: {
      shop,
      name: "Batch Roasters",
      contactEmail: "hello@batch.test",
      timezone: "America/New_York",
      installedAt: new Date("2026-01-01T00:00:00Z"),
      settings: JSON.stringify({ followups: settings }),
    },
  });
  return shop;
}

async function addCustomer(shop: string, email = `c-${randomUUID().slice(0, 8)}@example.com`): Promise<{ id: string; email: string }> {
  const id = newId();
  await db.customer.create({ data: { shop, id, email, firstName: "Robin", lastName: "Quill", emailMarketingState: "SUBSCRIBED" } });
  return { id, email };
}

/** A paid order of one mug, and a follow-up of it due an hour ago. */
async function dueMessage(shop: string, who: { id: string; email: string }, flow: string, options: { marketing?: boolean; productId?: string } = {}) {
  const orderId = newId();
  const paidAt = new Date(NOW.getTime() - 8 * 86_400_000);
  await db.order.create({
    data: {
      shop,
      id: orderId,
      name: `#${orderId.slice(-4)}`,
      customerId: who.id,
      email: who.email,
      currency: "USD",
      totalMinor: 2400,
      processedAt: paidAt,
      shopifyUpdatedAt: paidAt,
      lineItems: { create: [{ id: newId(), productId: options.productId ?? newId(), title: "Stoneware Mug", quantity: 1, priceMinor: 2400 }] },
    },
  });
  return db.message.create({
    data: {
      id: randomUUID(),
      shop,
      key: `order:${orderId}:${flow}:0`,
      flow,
      marketing: options.marketing ?? false,
      orderId,
      customerId: who.id,
      dueAt: new Date(NOW.getTime() - 3_600_000),
      status: "scheduled",
    },
  });
}

const dispatch = (shop: string, compose: Composer = composeFollowup, owner?: string) => {
  setNow(NOW);
  return dispatchDueMessages({ shop, now: NOW, compose, mailer, owner });
};
const mailTo = (email: string) => smtp.received.filter((mail) => mail.envelopeTo.includes(email));
const rows = (shop: string) => db.message.findMany({ where: { shop } });

describe("a batch sent concurrently", () => {
  it("sends and records each message once, two to one address included, and nothing again on the next run", async () => {
    const shop = await installShop();
    const messages: { id: string }[] = [];
    const regular = await addCustomer(shop);
    messages.push(await dueMessage(shop, regular, "thank_you"), await dueMessage(shop, regular, "nps"));
    for (let i = 0; i < 28; i++) messages.push(await dueMessage(shop, await addCustomer(shop), ["thank_you", "delivery_checkin", "nps"][i % 3]!));

    expect(await dispatch(shop)).toMatchObject({ sent: 30, moved: 0, skipped: 0, failed: 0, retrying: 0 });
    const sent = await rows(shop);
    expect(sent.every((m) => m.status === "sent" && m.attempts === 1 && m.sentAt?.getTime() === NOW.getTime() && m.leaseOwner === null)).toBe(true);
    const ids = smtp.received.filter((mail) => mail.messageId?.endsWith("@aftercare.test>")).map((mail) => mail.messageId);
    for (const message of messages) expect(ids.filter((id) => id === `<${message.id}@aftercare.test>`)).toHaveLength(1);
    expect(mailTo(regular.email)).toHaveLength(2);

    expect(await dispatch(shop)).toMatchObject({ sent: 0 });
    expect(smtp.received.filter((mail) => messages.some((m) => mail.messageId === `<${m.id}@aftercare.test>`))).toHaveLength(30);
  });

  it("sends one customer's many due messages one after another, composing each once", async () => {
    const shop = await installShop();
    const who = await addCustomer(shop);
    for (const flow of ["thank_you", "delivery_checkin", "review_request", "nps"]) for (let i = 0; i < 3; i++) await dueMessage(shop, who, flow);
    for (let i = 0; i < 5; i++) await dueMessage(shop, await addCustomer(shop), "thank_you");
    let composed = 0;
    const counting: Composer = (due, now) => {
      composed++;
      return composeFollowup(due, now);
    };

    expect(await dispatch(shop, counting)).toMatchObject({ sent: 17 });
    expect(composed).toBe(17);
    expect(mailTo(who.email)).toHaveLength(12);
  });

  it("lets one marketing email per address through the frequency cap, even when two are due in the same batch", async () => {
    const shop = await installShop({ frequencyCapDays: 3 });
    // Two customer records with one address (a guest checkout and an account, say), and others around them.
    const shared = `shared-${randomUUID().slice(0, 8)}@example.com`;
    const [first, second] = [await addCustomer(shop, shared), await addCustomer(shop, shared.toUpperCase())];
    for (let i = 0; i < 6; i++) await dueMessage(shop, await addCustomer(shop), "thank_you", { marketing: true });
    const a = await dueMessage(shop, first!, "thank_you", { marketing: true });
    const b = await dueMessage(shop, second!, "thank_you", { marketing: true });

    expect(await dispatch(shop)).toMatchObject({ sent: 7, moved: 1 });
    expect(mailTo(shared)).toHaveLength(1);
    const [sentOne, heldOne] = await db.message.findMany({ where: { id: { in: [a.id, b.id] } }, orderBy: { sentAt: { sort: "asc", nulls: "last" } } });
    expect(sentOne).toMatchObject({ status: "sent" });
    expect(heldOne).toMatchObject({ status: "scheduled", detail: "moved: frequency cap: one marketing email per 3 days", leaseOwner: null });
    expect(heldOne!.dueAt.getTime()).toBe(NOW.getTime() + 3 * 86_400_000);
  });

  it("asks an address about a product once, even when two review requests for it are due in the same batch", async () => {
    const shop = await installShop();
    const who = await addCustomer(shop);
    const productId = newId();
    const requests = [await dueMessage(shop, who, "review_request", { productId }), await dueMessage(shop, who, "review_request", { productId })];

    expect(await dispatch(shop)).toMatchObject({ sent: 1, skipped: 1 });
    expect(mailTo(who.email)).toHaveLength(1);
    const statuses = (await db.message.findMany({ where: { id: { in: requests.map((r) => r.id) } } })).map((m) => [m.status, m.detail]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ["sent", null],
        ["suppressed", "already asked about every item within 12 months"],
      ]),
    );
  });

  it("leaves a message to the worker that took it over while this one was composing", async () => {
    const shop = await installShop();
    const others = await Promise.all([0, 1, 2].map(async () => addCustomer(shop)));
    const taken = await addCustomer(shop);
    for (const who of others) await dueMessage(shop, who, "thank_you");
    const message = await dueMessage(shop, taken, "thank_you");
    // As if this worker's lease had run out mid-batch and another worker had claimed the message.
    const slowCompose: Composer = async (due, now) => {
      if (due.id === message.id)
        await db.message.updateMany({ where: { id: due.id }, data: { leaseOwner: "other-worker", leaseUntil: new Date(now.getTime() + 60_000) } });
      return composeFollowup(due, now);
    };

    expect(await dispatch(shop, slowCompose, "this-worker")).toMatchObject({ sent: 3 });
    expect(mailTo(taken.email)).toHaveLength(0);
    expect(await db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "scheduled", leaseOwner: "other-worker", subject: null });
  });
});

describe("a batch composed together", () => {
  it("decides each message by its own order, refunds, customer and address", async () => {
    const shop = await installShop({ frequencyCapDays: 3 });
    const day = 86_400_000;
    const message = async (flow = "thank_you", options: { marketing?: boolean } = {}) => {
      const who = await addCustomer(shop);
      return { who, message: await dueMessage(shop, who, flow, options) };
    };
    const plain = await message();
    const cancelled = await message();
    await db.order.update({ where: { shop_id: { shop, id: cancelled.message.orderId! } }, data: { cancelledAt: new Date(NOW.getTime() - day) } });
    const refund = (orderId: string, amountMinor: number) =>
      db.refund.create({ data: { shop, id: newId(), orderId, amountMinor, currency: "USD", shopifyCreatedAt: new Date(NOW.getTime() - day) } });
    const refunded = await message();
    await refund(refunded.message.orderId!, 1200);
    await refund(refunded.message.orderId!, 1200);
    const partlyRefunded = await message();
    await refund(partlyRefunded.message.orderId!, 1200);
    const unsubscribed = await message("delivery_checkin");
    await db.unsubscribe.create({ data: { shop, email: unsubscribed.who.email, at: new Date(NOW.getTime() - day), source: "link" } });
    const noConsent = await message("nps", { marketing: true });
    await db.customer.update({ where: { shop_id: { shop, id: noConsent.who.id } }, data: { emailMarketingState: "NOT_SUBSCRIBED" } });
    const capped = await message("nps", { marketing: true });
    await db.message.create({
      data: {
        id: randomUUID(),
        shop,
        key: `earlier:${randomUUID()}`,
        flow: "nps",
        marketing: true,
        dueAt: new Date(NOW.getTime() - day),
        status: "sent",
        toAddress: capped.who.email,
        sentAt: new Date(NOW.getTime() - day),
      },
    });
    const cappedLongAgo = await message("nps", { marketing: true });
    await db.message.create({
      data: {
        id: randomUUID(),
        shop,
        key: `earlier:${randomUUID()}`,
        flow: "nps",
        marketing: true,
        dueAt: new Date(NOW.getTime() - 4 * day),
        status: "sent",
        toAddress: cappedLongAgo.who.email,
        sentAt: new Date(NOW.getTime() - 4 * day),
      },
    });
    const orderMissing = await message();
    await db.lineItem.deleteMany({ where: { shop, orderId: orderMissing.message.orderId! } });
    await db.order.delete({ where: { shop_id: { shop, id: orderMissing.message.orderId! } } });

    expect(await dispatch(shop)).toMatchObject({ sent: 3, skipped: 4, moved: 2, failed: 0 });
    const outcome = async ({ message }: { message: { id: string } }) => {
      const row = await db.message.findUniqueOrThrow({ where: { id: message.id } });
      return [row.status, row.detail];
    };
    expect(await outcome(plain)).toEqual(["sent", null]);
    expect(await outcome(cancelled)).toEqual(["cancelled", "order cancelled"]);
    expect(await outcome(refunded)).toEqual(["cancelled", "order fully refunded"]);
    expect(await outcome(partlyRefunded)).toEqual(["sent", null]);
    expect(await outcome(unsubscribed)).toEqual(["suppressed", "unsubscribed"]);
    expect(await outcome(noConsent)).toEqual(["suppressed", "no email marketing consent"]);
    expect(await outcome(capped)).toEqual(["scheduled", "moved: frequency cap: one marketing email per 3 days"]);
    expect(await outcome(cappedLongAgo)).toEqual(["sent", null]);
    expect(await outcome(orderMissing)).toEqual(["scheduled", "waiting: waiting for the order to arrive"]);
    for (const sent of [plain, partlyRefunded, cappedLongAgo]) expect(mailTo(sent.who.email)).toHaveLength(1);
  });

  it("composes messages of two shops in the same tick each from its own shop", async () => {
    const [first, second] = [await installShop(), await installShop()];
    await db.shop.update({ where: { shop: second }, data: { name: "Other Roasters", contactEmail: "hello@other.test" } });
    const [a, b] = [await dueMessage(first, await addCustomer(first), "thank_you"), await dueMessage(second, await addCustomer(second), "thank_you")];
    const due = (row: typeof a) => ({ ...row, dueAt: row.dueAt, attempts: 0 });
    const [forFirst, forSecond] = await Promise.all([composeFollowup(due(a), NOW), composeFollowup(due(b), NOW)]);
    expect(forFirst).toMatchObject({ kind: "send", fromName: "Batch Roasters", replyTo: "hello@batch.test" });
    expect(forSecond).toMatchObject({ kind: "send", fromName: "Other Roasters", replyTo: "hello@other.test" });
  });
});

describe("a message a worker keeps dying on", () => {
  it("is given up after 5 claims in a row that never finished; a message moved again and again is not", async () => {
    const shop = await installShop();
    const victim = await addCustomer(shop);
    const poison = await dueMessage(shop, victim, "thank_you");
    // Five workers took it and died holding it: their leases ran out, no outcome recorded.
    await db.message.update({ where: { id: poison.id }, data: { claims: 5, leaseOwner: "a-dead-worker", leaseUntil: new Date(NOW.getTime() - 1000) } });
    const moved = await dueMessage(shop, await addCustomer(shop), "thank_you");
    await db.message.update({ where: { id: moved.id }, data: { claims: 4 } });
    const healthy = await addCustomer(shop);
    await dueMessage(shop, healthy, "thank_you");
    const movingOne: Composer = async (due, now) =>
      due.id === moved.id ? { kind: "later", dueAt: new Date(now.getTime() + 3_600_000), reason: "outside the send window" } : composeFollowup(due, now);

    expect(await dispatch(shop, movingOne)).toMatchObject({ failed: 1, moved: 1, sent: 1 });
    expect(await db.message.findUnique({ where: { id: poison.id } })).toMatchObject({
      status: "failed",
      detail: expect.stringContaining("gave up"),
      leaseOwner: null,
    });
    expect(mailTo(victim.email)).toHaveLength(0);
    expect(mailTo(healthy.email)).toHaveLength(1);
    // Moving it is an outcome: its count starts again, however often it is moved.
    expect(await db.message.findUnique({ where: { id: moved.id } })).toMatchObject({ status: "scheduled", claims: 0 });
  });
});
