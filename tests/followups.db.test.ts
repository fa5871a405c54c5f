// Follow-ups end to end: signed webhooks into the built app, the worker's steps with a moved
// clock, and a real SMTP server on 127.0.0.1 receiving the mail.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { setNow } from "~/modules/clock";
import { composeFollowup } from "~/modules/followups";
import { dispatchDueMessages, LEASE_MS } from "~/modules/messaging/dispatch";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { deliver, startApp, type RunningApp } from "./support/app";
import { BEANS, customer, FILTERS, GRINDER, installShop, MUG, rawHeader, runWorkerAt } from "./support/followups";
import { customerPayload, fulfillmentPayload, orderPayload, refundPayload, toShopifyJson, type ProductLine } from "./support/payloads";
import { startSmtpSink, type SmtpSink } from "./support/smtp";

let app: RunningApp;
let smtp: SmtpSink;
let mailer: Mailer;
beforeAll(async () => {
  app = await startApp();
  smtp = await startSmtpSink();
  mailer = createMailer(smtp.url);
});
afterAll(async () => {
  mailer.close();
  await smtp.close();
  await app.close();
});
afterEach(() => {
  setNow(null);
  smtp.mode = "accept";
});

/** A paid order of `who`, delivered as Shopify sends it. */
async function paidOrder(shop: string, who: ReturnType<typeof customer>, createdAt: string, lines: ProductLine[] = [MUG]) {
  const order = orderPayload({ customer: { ...who }, createdAt, lines });
  await deliver(app, "orders/paid", toShopifyJson(order), { shop });
  return order;
}
const workerAt = (shop: string, at: string) => runWorkerAt(shop, at, mailer);
const unsubscribeUrl = (mail: { raw: string }) => /<([^>]+)>/.exec(rawHeader(mail, "List-Unsubscribe") ?? "")![1]!;

const mailTo = (email: string) => smtp.received.filter((mail) => mail.envelopeTo.includes(email));
const messages = (shop: string) => db.message.findMany({ where: { shop }, orderBy: [{ flow: "asc" }, { createdAt: "asc" }] });

describe("thank-you", () => {
  it("goes 1 h after payment, once, with the order summary, a stable Message-ID and one-click unsubscribe headers", async () => {
    const shop = await installShop();
    const who = customer();
    const order = orderPayload({ customer: null, createdAt: "2026-11-20T14:00:00Z", lines: [GRINDER, { ...BEANS, quantity: 2 }] });
    Object.assign(order, { email: who.email, customer: { ...customerPayload(who), id: who.id } });
    for (let i = 0; i < 3; i++) await deliver(app, "orders/paid", toShopifyJson(order), { shop, webhookId: `paid-${order.id}` });
    await deliver(app, "orders/paid", toShopifyJson(order), { shop }); // the same fact under another delivery id

    const [scheduled, ...more] = await messages(shop);
    expect(more).toHaveLength(0);
    expect(scheduled).toMatchObject({ flow: "thank_you", status: "scheduled" });
    expect(scheduled!.dueAt.toISOString()).toBe("2026-11-20T15:00:00.000Z");

    expect(await workerAt(shop, "2026-11-20T14:30:00Z")).toMatchObject({ sent: 0 });
    expect(await workerAt(shop, "2026-11-20T15:00:00Z")).toMatchObject({ sent: 1 });
    expect(await workerAt(shop, "2026-11-20T16:00:00Z")).toMatchObject({ sent: 0 });

    const [mail, ...again] = mailTo(who.email);
    expect(again).toHaveLength(0);
    expect(mail!.subject).toBe("Thank you for your order, Robin");
    expect(mail!.messageId).toBe(`<${scheduled!.id}@aftercare.test>`);
    expect(mail!.from?.value[0]).toMatchObject({ name: "Test Roasters" });
    expect(mail!.replyTo?.value[0]?.address).toBe("hello@roasters.test");
    expect(rawHeader(mail!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(unsubscribeUrl(mail!)).toMatch(/^https:\/\/aftercare\.test\/unsubscribe\/[\w-]+\.[\w-]+$/);
    expect(mail!.html).toContain("Hand Grinder");
    expect(mail!.html).toContain("$131.00");
    expect(mail!.text).toContain("2 × Kenya AA: $42.00");
    const sent = await db.message.findUniqueOrThrow({ where: { id: scheduled!.id } });
    expect(sent).toMatchObject({ status: "sent", toAddress: who.email, attempts: 1, subject: mail!.subject });
    expect(sent.sentAt!.toISOString()).toBe("2026-11-20T15:00:00.000Z");
  });
});

describe("delivery check-in, review request and NPS", () => {
  it("time themselves from the delivery event, ask about the three priciest items, and record one-click answers", async () => {
    const shop = await installShop();
    const who = customer("not_subscribed");
    const order = orderPayload({ customer: { ...who }, createdAt: "2026-11-10T15:00:00Z", lines: [BEANS, GRINDER, MUG, FILTERS] });
    order.email = who.email;
    await deliver(app, "orders/paid", toShopifyJson(order), { shop });
    const parcel = fulfillmentPayload(order.id, { createdAt: "2026-11-11T15:00:00Z", lineItems: order.line_items });
    await deliver(app, "fulfillments/create", toShopifyJson(parcel), { shop });

    const due = async () => Object.fromEntries((await messages(shop)).map((m) => [`${m.flow}${m.step ? `:${m.step}` : ""}`, m.dueAt.toISOString()]));
    // Without a delivery event: check-in 5 days after shipping, review 7 (its reminder 5 more), NPS 14.
    expect(await due()).toMatchObject({
      delivery_checkin: "2026-11-16T15:00:00.000Z",
      review_request: "2026-11-18T15:00:00.000Z",
      "review_request:1": "2026-11-23T15:00:00.000Z",
      nps: "2026-11-25T15:00:00.000Z",
    });
    const delivered = { ...parcel, shipment_status: "delivered", updated_at: "2026-11-13T17:00:00Z" };
    await deliver(app, "fulfillments/update", toShopifyJson(delivered), { shop });
    expect(await due()).toMatchObject({
      delivery_checkin: "2026-11-13T17:00:00.000Z",
      review_request: "2026-11-20T17:00:00.000Z",
      "review_request:1": "2026-11-25T17:00:00.000Z",
      nps: "2026-11-27T17:00:00.000Z",
    });

    await workerAt(shop, "2026-11-13T17:05:00Z");
    const checkin = mailTo(who.email).find((m) => m.subject === "Did your order arrive safely?")!;
    expect(checkin).toBeDefined();
    const problem = /href="([^"]+answer=problem)"/.exec(checkin.html as string)![1]!.replaceAll("&amp;", "&");
    const page = await fetch(problem.replace("https://aftercare.test", app.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("What went wrong?");
    expect(await db.customerCase.count({ where: { shop } })).toBe(0); // opening the link opens no case
    const report = await fetch(problem.replace("https://aftercare.test", app.url), {
      method: "POST",
      body: new URLSearchParams({ answer: "problem", comment: "The grinder's handle snapped" }),
    });
    expect(report.status).toBe(200);
    const [openCase] = await db.customerCase.findMany({ where: { shop } });
    expect(openCase).toMatchObject({ kind: "delivery_problem", status: "open", orderId: order.id, summary: "Delivery problem: The grinder's handle snapped" });

    await workerAt(shop, "2026-11-20T17:00:00Z");
    const review = mailTo(who.email).find((m) => m.subject?.startsWith("How are you finding"))!;
    expect(review.subject).toBe("How are you finding your Hand Grinder?");
    const asked = [...(review.html as string).matchAll(/product=(\d+)&amp;rating=5/g)].map((m) => m[1]);
    expect(asked).toEqual([GRINDER.productId, MUG.productId, BEANS.productId]);

    // Nothing was reviewed: one reminder five days later, about the same items.
    await workerAt(shop, "2026-11-25T17:00:00Z");
    const reminder = mailTo(who.email).find((m) => m.subject?.startsWith("Still happy with"))!;
    expect(reminder.subject).toBe("Still happy with your Hand Grinder?");
    expect([...(reminder.html as string).matchAll(/product=(\d+)&amp;rating=5/g)].map((m) => m[1])).toEqual(asked);

    await workerAt(shop, "2026-11-27T17:00:00Z");
    const nps = mailTo(who.email).find((m) => m.subject === "One quick question from Test Roasters")!;
    const nine = /href="([^"]+score=9)"/.exec(nps.html as string)![1]!;
    expect((await fetch(nine.replace("https://aftercare.test", app.url))).status).toBe(200);
    expect(await db.feedback.count({ where: { shop, kind: "nps" } })).toBe(0); // opening the link records nothing
    expect((await fetch(nine.replace("https://aftercare.test", app.url), { method: "POST", body: new URLSearchParams({ score: "9" }) })).status).toBe(200);
    expect(await db.feedback.findFirst({ where: { shop, kind: "nps" } })).toMatchObject({ score: 9 });
  });

  it("never ask the same customer about the same product twice within 12 months", async () => {
    const shop = await installShop();
    const who = customer();
    for (const [day, lines] of [
      ["2026-03-02", [GRINDER, BEANS]],
      ["2026-05-04", [BEANS]],
    ] as const) {
      const order = orderPayload({ customer: { ...who }, createdAt: `${day}T15:00:00Z`, lines: [...lines] });
      order.email = who.email;
      await deliver(app, "orders/paid", toShopifyJson(order), { shop });
      await deliver(
        app,
        "fulfillments/create",
        toShopifyJson(fulfillmentPayload(order.id, { createdAt: `${day}T16:00:00Z`, lineItems: order.line_items, shipmentStatus: "delivered" })),
        { shop },
      );
    }
    await workerAt(shop, "2026-03-09T16:00:00Z");
    await workerAt(shop, "2026-05-11T16:00:00Z");
    const reviews = (await messages(shop)).filter((m) => m.flow === "review_request" && m.step === 0);
    expect(reviews.map((m) => [m.status, m.detail])).toEqual([
      ["sent", null],
      ["suppressed", "already asked about every item within 12 months"],
    ]);
  });
});

describe("cancellation, refunds, uninstall", () => {
  it("cancel what is pending for a cancelled or fully refunded order, and everything when the app is uninstalled", async () => {
    const shop = await installShop();
    const [a, b, c] = [0, 1, 2].map(() => orderPayload({ customer: { ...customer() }, createdAt: "2026-11-20T14:00:00Z", lines: [MUG] }));
    for (const order of [a!, b!, c!]) await deliver(app, "orders/paid", toShopifyJson(order), { shop });
    await deliver(
      app,
      "orders/cancelled",
      toShopifyJson({ ...a, cancelled_at: "2026-11-20T14:10:00Z", cancel_reason: "customer", updated_at: "2026-11-20T14:10:00Z" }),
      { shop },
    );
    await deliver(
      app,
      "refunds/create",
      toShopifyJson(refundPayload(b!, { items: [{ lineItem: b!.line_items[0], quantity: 1 }], createdAt: "2026-11-20T14:20:00Z" })),
      { shop },
    );
    const status = async () => Object.fromEntries((await messages(shop)).map((m) => [m.orderId, [m.status, m.detail]]));
    expect(await status()).toEqual({
      [a!.id]: ["cancelled", "order cancelled"],
      [b!.id]: ["cancelled", "order fully refunded"],
      [c!.id]: ["scheduled", null],
    });
    await deliver(app, "app/uninstalled", toShopifyJson({ id: 1, name: "Test Roasters" }), { shop });
    expect((await status())[c!.id]).toEqual(["cancelled", "app uninstalled"]);
    expect(await workerAt(shop, "2026-11-21T15:00:00Z")).toMatchObject({ sent: 0 });
  });
});

describe("consent and unsubscribe", () => {
  it("one click (RFC 8058 POST, no login) stops every later follow-up to that address", async () => {
    const shop = await installShop();
    const who = customer();
    const order = await paidOrder(shop, who, "2026-11-20T14:00:00Z");
    await deliver(
      app,
      "fulfillments/create",
      toShopifyJson(fulfillmentPayload(order.id, { createdAt: "2026-11-20T18:00:00Z", lineItems: order.line_items, shipmentStatus: "delivered" })),
      { shop },
    );
    await workerAt(shop, "2026-11-20T15:00:00Z");
    const [thanks] = mailTo(who.email);
    const unsubscribe = unsubscribeUrl(thanks!).replace("https://aftercare.test", app.url);
    const page = await fetch(unsubscribe);
    expect(await page.text()).toContain("Unsubscribe from Test Roasters");
    const oneClick = await fetch(unsubscribe, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) });
    expect(oneClick.status).toBe(200);
    expect(await db.unsubscribe.findFirst({ where: { shop } })).toMatchObject({ email: who.email, source: "one-click" });

    await workerAt(shop, "2026-11-20T18:30:00Z");
    expect(mailTo(who.email)).toHaveLength(1);
    expect((await messages(shop)).find((m) => m.flow === "delivery_checkin")).toMatchObject({ status: "suppressed", detail: "unsubscribed" });
    expect((await fetch(unsubscribe.replace(/\/unsubscribe\/[^/]+$/, "/unsubscribe/forged.token"))).status).toBe(404);
  });

  it("marketing goes only to customers who accepted it, at most one per customer per 3 days (a skipped one moves on)", async () => {
    const shop = await installShop();
    const [yes, no] = [customer("subscribed"), customer("not_subscribed")];
    const orders = [];
    for (const who of [yes, no, yes]) {
      const order = orderPayload({ customer: { ...who }, createdAt: "2026-11-20T14:00:00Z", lines: [MUG] });
      order.email = who.email;
      await deliver(app, "orders/create", toShopifyJson(order), { shop });
      orders.push(order);
    }
    // The marketing flows (goes-well-with, after a return, re-order) schedule rows like these.
    for (const [i, order] of orders.entries()) {
      await db.message.create({
        data: {
          id: randomUUID(),
          shop,
          key: `order:${order.id}:thank_you:0`,
          flow: "thank_you",
          marketing: true,
          orderId: order.id,
          customerId: order.customer.id,
          dueAt: new Date("2026-11-21T15:00:00Z"),
          status: "scheduled",
          createdAt: new Date(Date.parse("2026-11-20T14:00:00Z") + i * 1000),
        },
      });
    }
    await workerAt(shop, "2026-11-21T15:00:00Z");
    const rows = Object.fromEntries((await messages(shop)).map((m) => [m.orderId, m]));
    expect(rows[orders[0]!.id]).toMatchObject({ status: "sent" });
    expect(rows[orders[1]!.id]).toMatchObject({ status: "suppressed", detail: "no email marketing consent" });
    expect(rows[orders[2]!.id]).toMatchObject({ status: "scheduled", detail: "moved: frequency cap: one marketing email per 3 days" });
    expect(rows[orders[2]!.id]!.dueAt.toISOString()).toBe("2026-11-24T15:00:00.000Z");
    await workerAt(shop, "2026-11-24T15:00:00Z");
    expect(mailTo(yes.email)).toHaveLength(2);
  });
});

describe("send window", () => {
  it("holds a message due at night in the shop's time zone until 09:00 there", async () => {
    const shop = await installShop("Asia/Tokyo");
    const who = customer();
    // Paid 00:30 in Tokyo (15:30 UTC the day before): the thank-you is due at 01:30 Tokyo time.
    await paidOrder(shop, who, "2026-11-19T15:30:00Z");
    expect(await workerAt(shop, "2026-11-19T16:30:00Z")).toMatchObject({ moved: 1, sent: 0 });
    const [waiting] = await messages(shop);
    expect(waiting).toMatchObject({ status: "scheduled", detail: "moved: outside the send window" });
    expect(waiting!.dueAt.toISOString()).toBe("2026-11-20T00:00:00.000Z"); // 09:00 in Tokyo
    expect(await workerAt(shop, "2026-11-20T00:00:00Z")).toMatchObject({ sent: 1 });
  });
});

describe("late facts and late workers", () => {
  it("waits for an order that has not arrived without losing its due time, and never sends a message whose moment has passed", async () => {
    const shop = await installShop();
    const who = customer();
    const order = orderPayload({ customer: { ...who }, createdAt: "2026-11-10T14:00:00Z", lines: [MUG] });
    order.email = who.email;
    // The carrier's delivery event outruns the order webhook.
    const parcel = fulfillmentPayload(order.id, { createdAt: "2026-11-11T14:00:00Z", lineItems: order.line_items });
    await deliver(app, "fulfillments/create", toShopifyJson({ ...parcel, shipment_status: "delivered", updated_at: "2026-11-13T15:00:00Z" }), { shop });
    const checkin = (await messages(shop)).find((m) => m.flow === "delivery_checkin")!;
    expect(checkin.dueAt.toISOString()).toBe("2026-11-13T15:00:00.000Z");

    await workerAt(shop, "2026-11-13T15:00:00Z");
    expect(await db.message.findUniqueOrThrow({ where: { id: checkin.id } })).toMatchObject({
      status: "scheduled",
      detail: "waiting: waiting for the order to arrive",
      dueAt: new Date("2026-11-13T15:00:00Z"),
    });
    await workerAt(shop, "2026-11-13T15:30:00Z"); // resting: not taken again within the hour
    expect(mailTo(who.email)).toHaveLength(0);
    await deliver(app, "orders/paid", toShopifyJson(order), { shop });
    await workerAt(shop, "2026-11-13T16:01:00Z");
    expect(await db.message.findUniqueOrThrow({ where: { id: checkin.id } })).toMatchObject({ status: "sent" });

    // The thank-you of that order was due on the 10th; a worker that comes back days later does not send it.
    const thanks = (await messages(shop)).find((m) => m.flow === "thank_you")!;
    expect(thanks).toMatchObject({ status: "suppressed", detail: "too late: its moment has passed" });
    expect(mailTo(who.email).map((m) => m.subject)).toEqual(["Did your order arrive safely?"]);
  });
});

describe("sending", () => {
  it("gives up on a server that stops answering in time to retry, well within the lease", async () => {
    smtp.mode = "hang";
    // The app's own limits are tens of seconds (below the 5-minute lease); a short one here shows they apply.
    const impatient = createMailer(`${smtp.url}&socketTimeout=400`);
    const started = Date.now();
    const mail = {
      messageId: "<hang@aftercare.test>",
      from: { name: "Test", address: "a@aftercare.test" },
      replyTo: null,
      to: "x@example.com",
      subject: "s",
      html: "<p>h</p>",
      text: "h",
      unsubscribeUrl: "https://aftercare.test/u",
    };
    await expect(impatient.send(mail)).rejects.toMatchObject({ transient: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    impatient.close();
  });

  it("retries a refusing SMTP server with backoff and loses nothing once it accepts again", async () => {
    const shop = await installShop();
    const who = customer();
    await paidOrder(shop, who, "2026-11-20T14:00:00Z");
    smtp.mode = "refuse";
    expect(await workerAt(shop, "2026-11-20T15:00:00Z")).toMatchObject({ retrying: 1 });
    const [waiting] = await messages(shop);
    expect(waiting).toMatchObject({ status: "scheduled", attempts: 1 });
    expect(waiting!.lastError).toMatch(/451/);
    expect(waiting!.dueAt.toISOString()).toBe("2026-11-20T15:01:00.000Z");

    const down = createMailer("smtp://127.0.0.1:9?ignoreTLS=true"); // nothing listens on port 9
    setNow(new Date("2026-11-20T15:01:00Z"));
    expect(await dispatchDueMessages({ shop, now: new Date("2026-11-20T15:01:00Z"), compose: composeFollowup, mailer: down })).toMatchObject({ retrying: 1 });
    down.close();
    smtp.mode = "accept";
    expect(await workerAt(shop, "2026-11-20T15:05:00Z")).toMatchObject({ sent: 1 });
    expect(mailTo(who.email)).toHaveLength(1);
    expect(await db.message.findFirstOrThrow({ where: { shop } })).toMatchObject({ status: "sent", attempts: 3 });
  });

  it("two workers at once send each message exactly once", async () => {
    const shop = await installShop();
    const recipients: string[] = [];
    for (let i = 0; i < 12; i++) {
      const who = customer();
      recipients.push(who.email);
      await paidOrder(shop, who, "2026-11-20T14:00:00Z");
    }
    const now = new Date("2026-11-20T15:00:00Z");
    setNow(now);
    const reports = await Promise.all(["worker-a", "worker-b"].map((owner) => dispatchDueMessages({ shop, now, owner, compose: composeFollowup, mailer })));
    expect(reports[0]!.sent + reports[1]!.sent).toBe(12);
    for (const email of recipients) expect(mailTo(email)).toHaveLength(1);
  });

  it("takes over a message whose worker died holding its lease, after the lease expires", async () => {
    const shop = await installShop();
    const who = customer();
    await paidOrder(shop, who, "2026-11-20T14:00:00Z");
    const at = new Date("2026-11-20T15:00:00Z");
    // A worker claimed it and died before recording anything.
    await db.message.updateMany({ where: { shop }, data: { leaseOwner: "dead-worker", leaseUntil: new Date(at.getTime() + LEASE_MS) } });
    expect(await workerAt(shop, at.toISOString())).toMatchObject({ sent: 0 });
    expect(await workerAt(shop, new Date(at.getTime() + LEASE_MS + 1000).toISOString())).toMatchObject({ sent: 1 });
    expect(mailTo(who.email)).toHaveLength(1);
  });
});
