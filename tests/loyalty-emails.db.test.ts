// Loyalty's and referrals' emails, end to end through the worker and a real SMTP server, with
// Shopify's Admin API stood in for at the HTTP edge: "your points are ready" when an order's
// points are approved (marketing: only with consent), "your reward is ready" with the code once
// Shopify created it (asked for by the customer: sent without marketing consent), and "a friend
// you referred ordered" to the advocate, never naming the friend. Each is looked at in Chromium
// at a desktop mail client's width and a phone's.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { parseLoyaltySettings, redeem, setProgramStatus, type Redemption } from "~/modules/loyalty";
import { updateSettingsSection } from "~/modules/shops/settings";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { setReferralStatus, storefrontReferral } from "~/modules/referrals";
import { installSession } from "./support/admin";
import { BEANS, customer, GRINDER, installShop, rawHeader, runWorkerAt } from "./support/followups";
import { fulfillmentPayload, orderPayload, toShopifyJson, type Json } from "./support/payloads";
import { answerAdminGraphql, answerDiscountCalls, standInForShopify, type HeldDiscount, type ShopifyEdge } from "./support/shopify-edge";
import { startSmtpSink, type SmtpSink } from "./support/smtp";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { CAPABILITIES } from "~/modules/capabilities";
import { acceptDelivery, applyPendingDeliveries } from "~/modules/intake";

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

const PAID_AT = "2026-11-02T15:00:00Z";
const DELIVERED_AT = "2026-11-04T15:00:00Z";
/** 11:00 in New York, 14 days after the delivery: inside the send window. */
const APPROVED_AT = "2026-11-18T16:00:00Z";

async function launchedShop(): Promise<{ shop: string; held: HeldDiscount[] }> {
  const shop = await installShop("America/New_York");
  await installSession(shop);
  await setProgramStatus(shop, "live");
  await setReferralStatus(shop, "live");
  const held: HeldDiscount[] = [];
  answerAdminGraphql(edge, shop, (body) => answerDiscountCalls(held, body)!);
  return { shop, held };
}

/** A webhook delivered and applied at the moment of the order. */
async function deliver(shop: string, topic: string, payload: Json) {
  const now = new Date(PAID_AT);
  await acceptDelivery({ shop, topic, webhookId: randomUUID(), body: toShopifyJson(payload) }, now);
  while ((await applyPendingDeliveries(CAPABILITIES, { shop, now })) > 0);
}

/** A paid order of `who`, delivered two days later; `codes` typed at checkout. */
async function deliveredOrder(shop: string, who: ReturnType<typeof customer>, codes: string[] = [], street = `${who.id} Elm Street`) {
  const order = orderPayload({
    customer: who,
    createdAt: PAID_AT,
    lines: [
      { ...BEANS, quantity: 2 },
      { ...GRINDER, quantity: 1 },
    ],
  });
  order.discount_codes = codes.map((code) => ({ code, amount: "13.10", type: "percentage" }));
  order.shipping_address = { ...(order.shipping_address as Json), address1: street };
  await deliver(shop, "orders/paid", order);
  const parcel = fulfillmentPayload(order.id, { createdAt: PAID_AT, shipmentStatus: "delivered", updatedAt: DELIVERED_AT });
  await deliver(shop, "fulfillments/update", parcel);
  return order;
}

const mailsTo = (address: string, subject = /./) => smtp.received.filter((mail) => mail.envelopeTo.includes(address) && subject.test(mail.subject ?? ""));
/** The follow-ups (thank-you, review request, ...) go out too; these are loyalty's. */
const POINTS = /points are yours/;
const statusOf = (shop: string, flow: string, customerId: string) =>
  db.message.findFirst({ where: { shop, flow, customerId }, select: { status: true, detail: true } });

describe("loyalty's emails", () => {
  it("tell a subscribed customer their points are ready, and nobody who did not say yes to marketing", async () => {
    const { shop } = await launchedShop();
    const [yes, no] = [customer("subscribed"), customer("not_subscribed")];
    for (const who of [yes, no]) await deliveredOrder(shop, who);
    await runWorkerAt(shop, APPROVED_AT, mailer);
    const [mail] = mailsTo(yes.email, POINTS);
    expect(mail?.subject).toBe("131 points are yours to spend");
    expect(mail?.text).toContain("so its 131 points are now yours to spend. You have 131 points in all.");
    expect(mail?.text).toContain("369 more points and you can have $5.00 off.");
    expect(rawHeader(mail!, "List-Unsubscribe")).toMatch(/^<http/);
    expect(mailsTo(no.email, POINTS)).toEqual([]);
    expect(await statusOf(shop, "points_approved", no.id)).toEqual({ status: "suppressed", detail: "no email marketing consent" });
    // The next round approves nothing new and sends nothing again.
    await runWorkerAt(shop, "2026-11-19T16:00:00Z", mailer);
    expect(mailsTo(yes.email, POINTS)).toHaveLength(1);
  });

  it("send the code of a redeemed reward once Shopify created it, whatever the customer's marketing choice", async () => {
    const { shop, held } = await launchedShop();
    const who = customer("not_subscribed");
    await db.customer.create({ data: { shop, id: who.id, email: who.email, firstName: "Robin" } });
    await db.loyaltyAccount.create({ data: { shop, customerId: who.id, balance: 650, pending: 0, updatedAt: new Date(PAID_AT) } });
    await db.loyaltyEntry.create({
      data: {
        id: randomUUID(),
        shop,
        sourceKey: "start",
        customerId: who.id,
        kind: "adjust",
        pendingDelta: 0,
        balanceDelta: 650,
        reason: "start",
        createdAt: new Date(PAID_AT),
      },
    });
    const redemption = (await redeem(shop, who.id, "amount-off-500", new Date(APPROVED_AT))) as Redemption;
    await runWorkerAt(shop, APPROVED_AT, mailer);
    const code = held[0]!.code;
    const [mail] = mailsTo(who.email, /reward is ready/);
    expect(mail?.subject).toBe("Your reward is ready: $5.00 off");
    expect(mail?.text).toContain("You spent 500 points on $5.00 off");
    expect(mail?.text).toContain(code);
    expect(mail?.html).toContain(`https://${shop}/discount/${code}`);
    expect(await db.reward.findFirst({ where: { shop, sourceKey: `loyalty:${redemption.id}` }, select: { messageId: true } })).toEqual({
      messageId: expect.any(String),
    });
  });
});

describe("the tier email", () => {
  it("tells a subscribed member they moved up, with what the tier gives", async () => {
    const { shop } = await launchedShop();
    const tiers = {
      enabled: true,
      list: [
        { id: "member", name: "Member", threshold: 0, multiplier: 100, perks: "" },
        { id: "silver", name: "Silver", threshold: 10_000, multiplier: 150, perks: "Free gift wrap on every order." },
      ],
    };
    await updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({ ...current, tiers }));
    const who = customer("subscribed");
    await deliveredOrder(shop, who);
    await runWorkerAt(shop, "2026-11-02T16:00:00Z", mailer);
    const [mail] = mailsTo(who.email, /^You're now/);
    expect(mail?.subject).toBe("You're now Silver at Test Roasters");
    expect(mail?.text).toContain("every order earns 1.5× points");
    expect(mail?.text).toContain("Free gift wrap on every order.");
  });
});

describe("the expiry warning", () => {
  it("tells a subscribed member 14 days ahead when their points expire, and what they could have instead", async () => {
    const { shop } = await launchedShop();
    await updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({ ...current, expiry: { enabled: true, months: 12 } }));
    const who = customer("subscribed");
    await db.customer.create({ data: { shop, id: who.id, email: who.email, firstName: "Robin", emailMarketingState: "SUBSCRIBED" } });
    const lastActive = new Date("2025-11-30T15:00:00Z");
    await db.loyaltyAccount.create({ data: { shop, customerId: who.id, balance: 520, pending: 0, updatedAt: lastActive } });
    await runWorkerAt(shop, "2026-11-17T16:00:00Z", mailer); // 13 days before
    const [mail] = mailsTo(who.email, /expire/);
    expect(mail?.subject).toBe("Your 520 points expire on Nov 30, 2026");
    expect(mail?.text).toContain("That is enough for $5.00 off");
  });
});

describe("the next-order offer", () => {
  it("puts a one-use code for the customer's next order in the thank-you email, created once in Shopify", async () => {
    const { shop, held } = await launchedShop();
    const nextOrder = { enabled: true, valueType: "percentage" as const, value: 15, expiresInDays: 30, flow: "thank_you" as const };
    await updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({ ...current, nextOrder }));
    const who = customer("not_subscribed");
    const order = await deliveredOrder(shop, who);
    await deliver(shop, "orders/paid", order); // again: still one code
    await runWorkerAt(shop, "2026-11-02T16:00:00Z", mailer); // the thank-you's hour
    await runWorkerAt(shop, "2026-11-02T16:11:00Z", mailer);
    expect(held).toEqual([expect.objectContaining({ customers: [`gid://shopify/Customer/${who.id}`], code: expect.stringMatching(/^NEXT-/) })]);
    const [mail] = mailsTo(who.email, /^Thank you for your order/);
    expect(mail?.text).toContain(`15% off your next order with the code ${held[0]!.code}, until Dec 2, 2026.`);
    expect(mail?.html).toContain(`https://${shop}/discount/${held[0]!.code}`);
  });
});

describe("the referral reward email", () => {
  it("thanks the advocate with their points once the friend's order has stood, and never names the friend", async () => {
    const { shop } = await launchedShop();
    const advocate = customer("subscribed");
    await db.customer.create({ data: { shop, id: advocate.id, email: advocate.email, firstName: "Ada", emailMarketingState: "SUBSCRIBED" } });
    const { code } = await storefrontReferral(shop, advocate.id, new Date(PAID_AT));
    await runWorkerAt(shop, PAID_AT, mailer); // Shopify creates the code
    const friend = { ...customer("not_subscribed"), firstName: "Zebulon", lastName: "Quartz" };
    await deliveredOrder(shop, friend, [code!]);
    await runWorkerAt(shop, "2026-12-04T16:00:00Z", mailer); // 30 days after the delivery
    const [mail] = mailsTo(advocate.email, /^A friend/);
    expect(mail?.subject).toBe("A friend you referred ordered: 500 points for you");
    expect(mail?.text).toContain("You now have 500 points");
    expect(`${mail?.html}${mail?.text}`).not.toMatch(/Zebulon|Quartz/);
    expect(await db.referral.findFirst({ where: { shop }, select: { status: true } })).toEqual({ status: "rewarded" });
  });
});

// How a mail looks does not depend on the database: looked at once, in the SQLite run.
describe.runIf(process.env.TEST_DATABASE === "sqlite")("in Chromium", () => {
  it("each reads well at 600 px and 375 px", async () => {
    const browser = await launchBrowser();
    try {
      for (const [name, subject] of [
        ["points-approved", POINTS],
        ["loyalty-reward", /reward is ready/],
        ["referral-reward", /^A friend/],
        ["tier-change", /^You're now/],
        ["points-expiring", /expire on/],
      ] as const) {
        const mail = smtp.received.find((m) => subject.test(m.subject ?? ""))!;
        for (const width of [600, 375]) {
          const { page, problems } = await openPage(browser, width, 800);
          await page.setContent(String(mail.html), { waitUntil: "load" });
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
          expect(await page.getByText("Unsubscribe from these emails").isVisible()).toBe(true);
          await screenshot(page, `email-${name}-${width}`);
          expect(problems.errors).toEqual([]);
          await page.context().close();
        }
      }
    } finally {
      await browser.close();
    }
  });
});
