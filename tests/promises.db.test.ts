// Delivery promises on SQLite and PostgreSQL, driven by webhook deliveries through the real
// intake and the worker on a moved clock, with mail going to a real SMTP server and Shopify's
// Admin API stood in for at the HTTP edge: a late dispatch across a weekend caught and
// apologised for once; never for an order that left in time (even when its fulfillment is heard
// of after the deadline) or was cancelled; a tracked parcel late and a failed delivery attempt;
// "ask me first"; goodwill given once per order, its code in the apology; the on-time figures.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { CAPABILITIES } from "~/modules/capabilities";
import { acceptDelivery, applyPendingDeliveries } from "~/modules/intake";
import { setProgramStatus } from "~/modules/loyalty";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { decideBreach, onTimeByWeek, promisesPage } from "~/modules/promises";
import { parsePromiseSettings, type PromiseRules } from "~/modules/promises/settings";
import { updateSettingsSection } from "~/modules/shops/settings";
import { installSession } from "./support/admin";
import { BEANS, customer, installShop, runWorkerAt } from "./support/followups";
import { fulfillmentPayload, orderPayload, toShopifyJson, type Json } from "./support/payloads";
import { answerAdminGraphql, answerDiscountCalls, standInForShopify, type HeldDiscount, type ShopifyEdge } from "./support/shopify-edge";
import { startSmtpSink, type SmtpSink } from "./support/smtp";

let edge: ShopifyEdge;
let smtp: SmtpSink;
let mailer: Mailer;
beforeAll(async () => {
  edge = standInForShopify();
  smtp = await startSmtpSink();
  mailer = createMailer(smtp.url);
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await edge?.restore();
});

/** Friday 6 November 2026, 11:00 in New York: with the defaults (2 working days), dispatched by the end of Tuesday 10th. */
const PAID_FRIDAY = "2026-11-06T16:00:00Z";
const END_OF_TUESDAY = "2026-11-11T05:00:00.000Z";

async function shopWith(rules: Partial<PromiseRules> = {}): Promise<{ shop: string; held: HeldDiscount[] }> {
  const shop = await installShop("America/New_York");
  await db.shop.update({ where: { shop }, data: { country: "US" } });
  await installSession(shop);
  if (Object.keys(rules).length > 0) await updateSettingsSection(shop, "promises", parsePromiseSettings, (current) => ({ ...current, ...rules }));
  const held: HeldDiscount[] = [];
  answerAdminGraphql(edge, shop, (body) => answerDiscountCalls(held, body)!);
  return { shop, held };
}

async function deliver(shop: string, topic: string, payload: Json, at: string, webhookId = randomUUID()) {
  const now = new Date(at);
  await acceptDelivery({ shop, topic, webhookId, body: toShopifyJson(payload) }, now);
  while ((await applyPendingDeliveries(CAPABILITIES, { shop, now })) > 0);
}

/** A paid order of a new customer, shipping to `country`. */
async function paidOrder(shop: string, paidAt = PAID_FRIDAY, country = "US") {
  const who = customer();
  const order = orderPayload({ customer: who, createdAt: paidAt, lines: [{ ...BEANS, quantity: 1 }] });
  order.shipping_address = { ...(order.shipping_address as Json), country_code: country };
  await deliver(shop, "orders/paid", order, paidAt);
  return { order, who, id: String(order.id) };
}

const mailTo = (address: string) => smtp.received.filter((mail) => mail.envelopeTo.includes(address));
const breaches = (shop: string) => db.promiseBreach.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });

describe("a late dispatch", () => {
  it("is made a promise from the defaults at payment, at risk on its last day, and apologised for once when it breaks", async () => {
    const { shop } = await shopWith();
    const { id, who } = await paidOrder(shop);
    const promise = await db.orderPromise.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: id } } });
    expect(promise.dispatchBy.toISOString()).toBe(END_OF_TUESDAY);
    // 5 days at home, counted from the dispatch date: the end of Sunday 15th.
    expect(promise.deliverBy.toISOString()).toBe("2026-11-16T05:00:00.000Z");

    // Monday: not at risk yet. Tuesday morning: at risk, nothing sent.
    await runWorkerAt(shop, "2026-11-09T15:00:00Z", mailer);
    expect((await promisesPage(shop, new Date("2026-11-09T15:00:00Z"))).atRisk).toHaveLength(0);
    await runWorkerAt(shop, "2026-11-10T15:00:00Z", mailer);
    const tuesday = await promisesPage(shop, new Date("2026-11-10T15:00:00Z"));
    expect(tuesday.atRisk).toMatchObject([{ order: expect.any(String), risk: "Not dispatched yet" }]);
    expect(await breaches(shop)).toHaveLength(0);

    // Wednesday 10:00: broken. The apology goes (inside the send window), once.
    await runWorkerAt(shop, "2026-11-11T15:00:00Z", mailer);
    await runWorkerAt(shop, "2026-11-11T16:00:00Z", mailer);
    expect(await breaches(shop)).toMatchObject([{ kind: "late_dispatch", decision: "auto", brokenAt: new Date(END_OF_TUESDAY) }]);
    const [apology, ...more] = mailTo(who.email);
    expect(more).toHaveLength(0);
    expect(apology!.subject).toMatch(/is running late: we're sorry$/);
    expect(apology!.text).toContain("We promised to send your order");
    expect(apology!.text).toContain("by Tuesday, November 10, and it hasn't left us yet");
    // Leaves by the end of Thursday, then 5 days: the new expectation is Tuesday 17th.
    expect(apology!.text).toContain("You can now expect it by Tuesday, November 17.");
    expect(apology!.replyTo?.text).toContain("hello@roasters.test");

    // The page says what broke and what was sent; the late fulfillment changes nothing.
    await deliver(shop, "fulfillments/create", fulfillmentPayload(id, { createdAt: "2026-11-12T15:00:00Z" }), "2026-11-12T15:00:00Z");
    await runWorkerAt(shop, "2026-11-12T16:00:00Z", mailer);
    const page = await promisesPage(shop, new Date("2026-11-12T16:00:00Z"));
    expect(page.broken).toMatchObject([
      { what: "Not dispatched in time", sent: { tone: "success", text: expect.stringMatching(/^Apology sent /) }, goodwill: null },
    ]);
    expect(mailTo(who.email)).toHaveLength(1);
  });

  it("is no breach when the order left in time, even when its fulfillment is heard of after the deadline", async () => {
    const { shop } = await shopWith();
    const { id, who } = await paidOrder(shop);
    // Handed to the carrier on Tuesday afternoon; the webhook arrives before the grace hour is out.
    await deliver(shop, "fulfillments/create", fulfillmentPayload(id, { createdAt: "2026-11-10T21:00:00Z" }), "2026-11-11T05:30:00Z");
    await runWorkerAt(shop, "2026-11-11T15:00:00Z", mailer);
    expect(await breaches(shop)).toHaveLength(0);

    // Another order: the worker calls it broken at night (the apology waits for the send window),
    // then the fulfillment made on Tuesday is heard of: the breach is void and nothing is sent.
    const late = await paidOrder(shop);
    await runWorkerAt(shop, "2026-11-11T07:00:00Z", mailer);
    expect(await breaches(shop)).toMatchObject([{ orderId: late.id, decision: "auto" }]);
    await deliver(shop, "fulfillments/create", fulfillmentPayload(late.id, { createdAt: "2026-11-10T22:00:00Z" }), "2026-11-11T08:00:00Z");
    await runWorkerAt(shop, "2026-11-11T15:00:00Z", mailer);
    expect(await breaches(shop)).toMatchObject([{ orderId: late.id, decision: "void", detail: "it left in time after all" }]);
    expect(await db.message.findFirstOrThrow({ where: { shop, orderId: late.id, flow: "delay_apology" } })).toMatchObject({ status: "cancelled" });
    expect(mailTo(who.email)).toHaveLength(0);
    expect(mailTo(late.who.email)).toHaveLength(0);
  });

  it("is never apologised for once the order is cancelled, and an order that ships nothing is promised nothing", async () => {
    const { shop } = await shopWith();
    const { order, id, who } = await paidOrder(shop);
    await deliver(shop, "orders/cancelled", { ...order, cancelled_at: "2026-11-09T14:00:00Z", updated_at: "2026-11-09T14:00:00Z" }, "2026-11-09T14:00:00Z");
    await runWorkerAt(shop, "2026-11-11T15:00:00Z", mailer);
    expect(await db.orderPromise.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: id } } })).toMatchObject({ state: "cancelled", checkAt: null });
    expect(await breaches(shop)).toHaveLength(0);
    expect(mailTo(who.email)).toHaveLength(0);

    const digital = orderPayload({ customer: customer(), createdAt: PAID_FRIDAY, lines: [{ ...BEANS, quantity: 1 }] });
    delete digital.shipping_address;
    await deliver(shop, "orders/paid", digital, PAID_FRIDAY);
    expect(await db.orderPromise.count({ where: { shop, orderId: String(digital.id) } })).toBe(0);
  });

  it("counts a fulfillment that outran its order, and a duplicated payment webhook makes one promise", async () => {
    const { shop } = await shopWith();
    const who = customer();
    const order = orderPayload({ customer: who, createdAt: PAID_FRIDAY, lines: [{ ...BEANS, quantity: 1 }] });
    await deliver(shop, "fulfillments/create", fulfillmentPayload(String(order.id), { createdAt: "2026-11-09T15:00:00Z" }), "2026-11-09T15:00:00Z");
    const webhookId = randomUUID();
    await deliver(shop, "orders/paid", order, "2026-11-09T15:01:00Z", webhookId);
    await deliver(shop, "orders/paid", order, "2026-11-09T15:02:00Z", webhookId);
    await deliver(shop, "orders/paid", order, "2026-11-09T15:03:00Z");
    expect(await db.orderPromise.findMany({ where: { shop } })).toMatchObject([{ shippedAt: new Date("2026-11-09T15:00:00Z"), state: "open", tracked: false }]);
    await runWorkerAt(shop, "2026-11-20T15:00:00Z", mailer);
    // Untracked: over at its delivery date, on time.
    expect(await db.orderPromise.findFirstOrThrow({ where: { shop } })).toMatchObject({ state: "done", checkAt: null });
    expect(await breaches(shop)).toHaveLength(0);
  });
  it("is still a breach when the order left late before the worker looked, and the apology says it is on its way", async () => {
    const { shop } = await shopWith();
    const { id, who } = await paidOrder(shop);
    await deliver(shop, "fulfillments/create", fulfillmentPayload(id, { createdAt: "2026-11-11T14:00:00Z" }), "2026-11-11T14:00:00Z");
    await runWorkerAt(shop, "2026-11-11T15:00:00Z", mailer);
    expect(await breaches(shop)).toMatchObject([{ kind: "late_dispatch", decision: "auto" }]);
    const [apology] = mailTo(who.email);
    expect(apology!.subject).toMatch(/left us late: we're sorry$/);
    expect(apology!.text).toContain("it only left us on Wednesday, November 11");
    // Shipped Wednesday, 5 days: by the end of Monday 16th.
    expect(apology!.text).toContain("You can now expect it by Monday, November 16.");
  });
});

describe("deliveries", () => {
  it("a tracked parcel still travelling past its date is apologised for; the delivery closes the promise", async () => {
    const { shop } = await shopWith();
    const { id, who } = await paidOrder(shop, PAID_FRIDAY, "DE");
    const parcel = fulfillmentPayload(id, {
      createdAt: "2026-11-09T15:00:00Z",
      shipmentStatus: "in_transit",
      tracking: { company: "DHL", number: "JD0000001" },
    });
    await deliver(shop, "fulfillments/create", parcel, "2026-11-09T15:00:00Z");
    // Abroad: 10 days from the promised dispatch day (Tuesday 10th): the end of Friday 20th.
    const promise = await db.orderPromise.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: id } } });
    expect(promise).toMatchObject({ tracked: true, deliverBy: new Date("2026-11-21T05:00:00Z") });
    await runWorkerAt(shop, "2026-11-20T15:00:00Z", mailer);
    expect((await promisesPage(shop, new Date("2026-11-20T15:00:00Z"))).atRisk).toMatchObject([{ risk: "Still in transit" }]);
    await runWorkerAt(shop, "2026-11-21T15:00:00Z", mailer);
    expect(await breaches(shop)).toMatchObject([{ kind: "late_delivery" }]);
    // (The check-in and the other follow-ups go their own way.)
    expect(
      mailTo(who.email)
        .filter((m) => /taking longer/.test(m.subject ?? ""))
        .map((m) => m.subject),
    ).toEqual([expect.stringMatching(/is taking longer than it should$/)]);
    await deliver(shop, "fulfillments/update", { ...parcel, shipment_status: "delivered", updated_at: "2026-11-22T15:00:00Z" }, "2026-11-22T15:00:00Z");
    expect(await db.orderPromise.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: id } } })).toMatchObject({
      state: "done",
      deliveredAt: new Date("2026-11-22T15:00:00Z"),
    });
  });

  it("a failed delivery attempt is apologised for at once, once, and an older copy of the update changes nothing", async () => {
    const { shop } = await shopWith();
    const { id, who } = await paidOrder(shop);
    const parcel = fulfillmentPayload(id, { createdAt: "2026-11-09T15:00:00Z", shipmentStatus: "in_transit" });
    await deliver(shop, "fulfillments/create", parcel, "2026-11-09T15:00:00Z");
    const attempted = { ...parcel, shipment_status: "attempted_delivery", updated_at: "2026-11-12T17:00:00Z" };
    await deliver(shop, "fulfillments/update", attempted, "2026-11-12T17:00:00Z");
    await deliver(shop, "fulfillments/update", { ...parcel, shipment_status: "failure", updated_at: "2026-11-12T17:05:00Z" }, "2026-11-12T17:05:00Z");
    await deliver(shop, "fulfillments/update", attempted, "2026-11-12T17:10:00Z");
    await runWorkerAt(shop, "2026-11-12T18:00:00Z", mailer);
    expect(await breaches(shop)).toMatchObject([{ kind: "delivery_failed", brokenAt: new Date("2026-11-12T17:00:00Z") }]);
    expect(mailTo(who.email).map((m) => m.subject)).toEqual([expect.stringMatching(/^The carrier couldn't deliver your order/)]);
  });
});

describe("the merchant's say, and goodwill", () => {
  it("“ask me first” holds the apology until approved; a decision is taken once, and only for this shop's order", async () => {
    const { shop } = await shopWith({ apologies: "ask" });
    const other = await shopWith({ apologies: "ask" });
    const { id, who } = await paidOrder(shop);
    await runWorkerAt(shop, "2026-11-11T15:00:00Z", mailer);
    expect(await breaches(shop)).toMatchObject([{ decision: "awaiting", messageId: null }]);
    expect((await promisesPage(shop, new Date("2026-11-11T15:00:00Z"))).figures.awaiting).toBe(1);
    expect(mailTo(who.email)).toHaveLength(0);

    const key = { orderId: id, kind: "late_dispatch" as const };
    expect(await decideBreach(other.shop, key, true, "staff 1", new Date("2026-11-11T15:30:00Z"))).toBe("not_found");
    expect(await decideBreach(shop, key, true, "staff 1", new Date("2026-11-11T15:30:00Z"))).toBe("decided");
    expect(await decideBreach(shop, key, false, "staff 2", new Date("2026-11-11T15:31:00Z"))).toBe("already_decided");
    await runWorkerAt(shop, "2026-11-11T15:45:00Z", mailer);
    expect(await breaches(shop)).toMatchObject([{ decision: "approved", decidedBy: "staff 1" }]);
    expect(mailTo(who.email)).toHaveLength(1);
  });

  it("a goodwill code is created in Shopify once per order, carried by the first apology and not by the second", async () => {
    const { shop, held } = await shopWith({ goodwill: { kind: "amount_off", value: 500 } });
    const { id, who } = await paidOrder(shop);
    await runWorkerAt(shop, "2026-11-11T15:00:00Z", mailer);
    const parcel = fulfillmentPayload(id, { createdAt: "2026-11-12T15:00:00Z", shipmentStatus: "in_transit" });
    await deliver(shop, "fulfillments/create", parcel, "2026-11-12T15:00:00Z");
    await deliver(shop, "fulfillments/update", { ...parcel, shipment_status: "failure", updated_at: "2026-11-16T15:00:00Z" }, "2026-11-16T15:00:00Z");
    await runWorkerAt(shop, "2026-11-16T15:30:00Z", mailer);

    expect(held).toHaveLength(1);
    const reward = await db.reward.findFirstOrThrow({ where: { shop, sourceKey: `goodwill:${id}` } });
    expect(reward).toMatchObject({ status: "issued", value: 500, valueType: "fixed_amount", customerId: who.id });
    expect(held[0]!.code).toBe(reward.code);
    const [first, second] = mailTo(who.email);
    expect(first!.text).toContain("To make up for it: $5.00 off your next order");
    expect(first!.html).toContain(reward.code!);
    expect(second!.subject).toMatch(/^The carrier couldn't deliver/);
    expect(second!.text).not.toContain("To make up for it");
    expect((await breaches(shop)).map((b) => b.goodwill)).toEqual([`goodwill:${id}`, null]);
    const page = await promisesPage(shop, new Date("2026-11-16T16:00:00Z"));
    expect(page.broken.map((b) => b.goodwill)).toEqual([null, `$5.00 off your next order (${reward.code})`]);
  });

  it("goodwill in points is posted at once while the loyalty program runs, and the apology says so", async () => {
    const { shop } = await shopWith({ goodwill: { kind: "points", value: 200 } });
    await setProgramStatus(shop, "live");
    const { id, who } = await paidOrder(shop);
    await runWorkerAt(shop, "2026-11-11T15:00:00Z", mailer);
    expect(await db.loyaltyEntry.findFirstOrThrow({ where: { shop, sourceKey: `goodwill:${id}` } })).toMatchObject({ balanceDelta: 200, customerId: who.id });
    expect(mailTo(who.email)[0]!.text).toContain("To make up for it: 200 points, added to your rewards balance already.");
  });
});

describe("the on-time rate", () => {
  it("counts each week's orders once settled: delivered or over in time, or broken", async () => {
    const { shop } = await shopWith();
    const onTime = await paidOrder(shop, "2026-11-02T15:00:00Z");
    await deliver(
      shop,
      "fulfillments/create",
      fulfillmentPayload(onTime.id, { createdAt: "2026-11-03T15:00:00Z", shipmentStatus: "delivered" }),
      "2026-11-03T15:00:00Z",
    );
    await paidOrder(shop, "2026-11-03T15:00:00Z"); // never shipped: breaks on Thursday
    await paidOrder(shop, "2026-11-10T15:00:00Z"); // next week, still open: not counted yet
    await runWorkerAt(shop, "2026-11-12T15:00:00Z", mailer);
    const weeks = await onTimeByWeek(shop, "America/New_York", new Date("2026-11-12T15:00:00Z"), 2);
    expect(weeks).toEqual([
      { week: "2026-11-02", settled: 2, onTime: 1, rate: 50 },
      { week: "2026-11-09", settled: 0, onTime: 0, rate: null },
    ]);
  });
});
