// The two-way inbox through the built server, a real SMTP server and Chromium: a detractor's
// score opens a conversation; the merchant reads the customer's history beside it and replies
// in the admin; the reply reaches the customer by email (Reply-To the store) with a signed link;
// the customer's answer on that page lands in the same thread and reopens it; the merchant
// resolves it. The doors are attacked: forged and borrowed links, repeated, empty and oversized
// answers, another shop's conversation.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import db from "~/db.server";
import { runWorker } from "~/jobs/worker";
import { CAPABILITIES } from "~/modules/capabilities";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { signLink } from "~/modules/messaging/tokens";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { adminFetch, installSession, sessionToken } from "./support/admin";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { customer, product } from "./support/followups";
import { orderPayload, toShopifyJson } from "./support/payloads";
import { replyToProductQueries, standInForShopify, type ShopifyEdge } from "./support/shopify-edge";
import { startSmtpSink, type SmtpSink } from "./support/smtp";

let app: RunningApp;
let browser: Browser;
let smtp: SmtpSink;
let mailer: Mailer;
let edge: ShopifyEdge;
const shop = uniqueShop("inbox");
const other = uniqueShop("inbox-other");
const maya = { ...customer(), firstName: "Maya", lastName: "Chen" };
const MUG = product(51, "Speckled Mug", "28.00", "Fernhill");
let caseId = "";
let npsToken = "";
let conversationUrl = "";

beforeAll(async () => {
  [app, browser, smtp] = await Promise.all([startApp(), launchBrowser(), startSmtpSink()]);
  mailer = createMailer(smtp.url);
  edge = standInForShopify();
  // The NPS page reads product types from Shopify.
  replyToProductQueries(edge, shop, [
    { id: MUG.productId, title: MUG.title, handle: "speckled-mug", productType: "Mugs", vendor: "Fernhill", price: MUG.price },
  ]);
  for (const s of [shop, other]) {
    await installSession(s);
    await db.shop.create({
      data: { shop: s, name: "Fernhill Ceramics", contactEmail: "hello@fernhill.test", currency: "EUR", timezone: "Europe/Berlin", installedAt: new Date() },
    });
  }
  const order = orderPayload({ customer: maya, number: 4001, lines: [MUG] });
  await deliver(app, "orders/paid", toShopifyJson(order), { shop });
  // The NPS survey Maya got, as the worker sent it.
  const nps = await db.message.create({
    data: {
      id: randomUUID(),
      shop,
      key: `order:${order.id}:nps:0`,
      flow: "nps",
      orderId: String(order.id),
      customerId: maya.id,
      dueAt: new Date(),
      status: "sent",
      sentAt: new Date(),
    },
  });
  npsToken = signLink({ shop, message: nps.id, purpose: "nps", expires: Date.now() + 3_600_000 });
}, 60_000);
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await browser?.close();
  await app?.close();
  await edge?.restore();
});

const post = (path: string, fields: [string, string][]) =>
  fetch(`${app.url}${path}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
const adminPost = (path: string, fields: [string, string][]) =>
  adminFetch(app, shop, `${path}?_data=${encodeURIComponent("routes/app.inbox_.$id")}`, { method: "POST", body: new URLSearchParams(fields) });

describe("a detractor, answered and resolved", () => {
  it("a score of 3 opens a conversation in the inbox, with the comment", async () => {
    const answered = await post(`/feedback/${npsToken}`, [
      ["score", "3"],
      ["comment", "The mug took three weeks and nobody told me why."],
    ]);
    expect(answered.status).toBe(200);
    // The deeper survey is offered after the score; its answers join the score.
    expect(await answered.text()).toContain("Would you tell us a little more?");
    const more = await post(`/feedback/${npsToken}`, [
      ["intent", "more"],
      ["delivery", "poor"],
      ["service", "ok"],
      ["range", "excellent"],
      ["text", "I'd love a bigger mug."],
    ]);
    expect(more.status).toBe(200);
    expect(JSON.parse((await db.feedback.findFirstOrThrow({ where: { shop, kind: "nps" } })).details!)).toEqual({
      delivery: "poor",
      service: "ok",
      text: "I'd love a bigger mug.",
    });
    const found = await db.customerCase.findFirstOrThrow({ where: { shop, kind: "detractor" } });
    expect(found).toMatchObject({ status: "open", customerId: maya.id, summary: "Scored 3 of 10: “The mug took three weeks and nobody told me why.”" });
    caseId = found.id;
    const inbox = await (await adminFetch(app, shop, "/app/inbox")).text();
    expect(inbox).toContain("Maya Chen");
    expect(inbox).toContain("Detractor");
    // Another shop's inbox shows none of it, and its conversation is not found there.
    const elsewhere = await (await adminFetch(app, other, "/app/inbox?status=all")).text();
    expect(elsewhere).not.toContain("Maya");
    expect((await adminFetch(app, other, `/app/inbox/${caseId}`)).status).toBe(404);
  });

  it("the merchant's reply goes by email from the store, with a link to answer", async () => {
    const page = await (await adminFetch(app, shop, `/app/inbox/${caseId}`)).text();
    expect(page).toContain("#4001");
    expect(page).toContain("Told us more: Delivery: poor · Service: could be better · “I&#x27;d love a bigger mug.”");
    expect(page).toContain("Orders (1)");
    for (const fields of [
      [["intent", "reply"]],
      [
        ["intent", "reply"],
        ["body", "   "],
      ],
      [
        ["intent", "reply"],
        ["body", "x".repeat(5001)],
      ],
      [["intent", "shout"]],
    ] as [string, string][][]) {
      expect((await adminPost(`/app/inbox/${caseId}`, fields)).status).toBe(400);
    }
    const reply = "I'm so sorry, Maya. The kiln was down for a week.\n\nA new mug is on its way today, on us.";
    expect(
      (
        await adminPost(`/app/inbox/${caseId}`, [
          ["intent", "reply"],
          ["body", reply],
        ])
      ).status,
    ).toBe(200);
    expect(await db.customerCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "replied", firstResponseAt: expect.any(Date) });

    await runWorker(CAPABILITIES, { once: true, mailer, shop });
    // (The order's thank-you went too; the reply is the one about the order.)
    const [mail, ...more] = smtp.received.filter((m) => m.envelopeTo.includes(maya.email) && m.subject === "About your order #4001");
    expect(more).toHaveLength(0);
    expect(mail!.replyTo?.text).toContain("hello@fernhill.test");
    expect(mail!.text).toContain("The kiln was down for a week.");
    expect(mail!.html).toContain("<p>A new mug is on its way today, on us.</p>");
    conversationUrl = /href="([^"]*\/conversation\/[^"]+)"/.exec(String(mail!.html))![1]!.replace(/^https?:\/\/[^/]+/, "");
    expect(conversationUrl).toMatch(/^\/conversation\/[\w.-]+$/);
  });

  it("the customer's answer on the conversation page lands in the thread and reopens it; the merchant resolves it", async () => {
    const page = await (await fetch(`${app.url}${conversationUrl}`)).text();
    expect(page).toContain("The kiln was down for a week.");
    expect(page).not.toContain("staff");
    expect((await post(conversationUrl, [["body", "Thank you, that's kind. It arrived today!"]])).status).toBe(200);
    const thread = await db.caseMessage.findMany({ where: { shop, caseId }, orderBy: { createdAt: "asc" } });
    expect(thread.map((m) => m.author)).toEqual(["store", "customer"]);
    expect(await db.customerCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "open" });
    const admin = await (await adminFetch(app, shop, `/app/inbox/${caseId}`)).text();
    expect(admin).toContain("It arrived today!");
    expect((await adminPost(`/app/inbox/${caseId}`, [["intent", "resolve"]])).status).toBe(200);
    expect(await db.customerCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "resolved", resolvedAt: expect.any(Date) });
    const figures = await (await adminFetch(app, shop, "/app/inbox?status=resolved")).text();
    expect(figures).toContain("Median of 1 in the last 30 days");
  });

  it("a gift from the conversation is given once: a code created in Shopify, emailed, noted in the thread only for the store", async () => {
    expect(
      (
        await adminPost(`/app/inbox/${caseId}`, [
          ["intent", "gift"],
          ["kind", "none"],
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await adminPost(`/app/inbox/${caseId}`, [
          ["intent", "gift"],
          ["kind", "amount_off"],
          ["value", "five"],
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await adminPost(`/app/inbox/${caseId}`, [
          ["intent", "gift"],
          ["kind", "amount_off"],
          ["value", "5.00"],
        ])
      ).status,
    ).toBe(200);
    expect(
      (
        await adminPost(`/app/inbox/${caseId}`, [
          ["intent", "gift"],
          ["kind", "points"],
          ["value", "100"],
        ])
      ).status,
    ).toBe(409);
    await runWorker(CAPABILITIES, { once: true, mailer, shop });
    const reward = await db.reward.findFirstOrThrow({ where: { shop, sourceKey: `gift:${caseId}` } });
    expect(reward).toMatchObject({ status: "issued", value: 500, customerId: maya.id });
    const [mail, ...more] = smtp.received.filter((m) => m.envelopeTo.includes(maya.email) && m.subject === "A little something from Fernhill Ceramics");
    expect(more).toHaveLength(0);
    expect(mail!.html).toContain(reward.code!);
    expect(mail!.text).toContain("€5.00 off your next order");
    expect(await (await adminFetch(app, shop, `/app/inbox/${caseId}`)).text()).toContain("Gift given: €5.00 off your next order");
    expect(await (await fetch(`${app.url}${conversationUrl}`)).text()).not.toContain("Gift given");
  });

  it("refuses what it cannot take: forged and borrowed links, empty, repeated and oversized answers", async () => {
    expect((await fetch(`${app.url}/conversation/not-a-token`)).status).toBe(404);
    // The NPS link is genuine, but for another page.
    expect((await fetch(`${app.url}/conversation/${npsToken}`)).status).toBe(404);
    const tampered = conversationUrl.slice(0, -3) + (conversationUrl.endsWith("aaa") ? "bbb" : "aaa");
    expect((await post(tampered, [["body", "hi"]])).status).toBe(404);
    expect((await post(conversationUrl, [["body", ""]])).status).toBe(400);
    expect(
      (
        await post(conversationUrl, [
          ["body", "one"],
          ["body", "two"],
        ])
      ).status,
    ).toBe(400);
    // Over the 32 kB cap: refused before it is read whole (a 413, or a reset while the client still writes).
    const oversized = await post(conversationUrl, [["body", "x".repeat(40_000)]]).then(
      (response) => String(response.status),
      (error: Error) => String(error.cause ?? error),
    );
    expect(oversized).toMatch(/^413$|other side closed|ECONNRESET|EPIPE/);
    expect(await db.caseMessage.count({ where: { shop, caseId, author: { in: ["customer", "store"] } } })).toBe(2);
  });
});

describe("the NPS page", () => {
  it("scores the last 90 days, splits first and repeat customers and product types, and links the detractor to the conversation", async () => {
    // Four more answers over the last weeks: three first orders (10, 10, 9) and a repeat customer's second order (7).
    const answer = async (who: ReturnType<typeof customer>, score: number, daysAgo: number, earlierOrder = false) => {
      if (earlierOrder)
        await deliver(app, "orders/paid", toShopifyJson(orderPayload({ customer: who, createdAt: "2026-01-05T10:00:00Z", lines: [MUG] })), { shop });
      const order = orderPayload({ customer: who, createdAt: "2026-06-05T10:00:00Z", lines: [MUG] });
      await deliver(app, "orders/paid", toShopifyJson(order), { shop });
      const at = new Date(Date.now() - daysAgo * 86_400_000);
      await db.feedback.create({
        data: {
          id: randomUUID(),
          shop,
          messageId: randomUUID(),
          kind: "nps",
          orderId: String(order.id),
          customerId: who.id,
          score,
          comment: score === 7 ? "Good, not great." : null,
          createdAt: at,
        },
      });
    };
    await answer(customer(), 10, 3);
    await answer(customer(), 10, 10);
    await answer(customer(), 9, 17);
    await answer({ ...customer(), firstName: "Jonas", lastName: "Berg" }, 7, 24, true);
    const page = await (await adminFetch(app, shop, `/app/nps?_data=${encodeURIComponent("routes/app.nps")}`)).json();
    // 3 promoters, 1 passive, 1 detractor (Maya's 3) of 5: +40.
    expect(page).toMatchObject({ nps: 40, responses: 5, split: { promoters: 3, passives: 1, detractors: 1 } });
    expect(page.segments.customers).toEqual([
      { name: "First order", responses: 4, nps: 50 },
      { name: "Repeat customers", responses: 1, nps: 0 },
    ]);
    expect(page.segments.productTypes).toEqual([{ name: "Mugs", responses: 5, nps: 40 }]);
    expect(
      page.weeks.reduce((sum: number, w: { promoters: number; passives: number; detractors: number }) => sum + w.promoters + w.passives + w.detractors, 0),
    ).toBe(5);
    expect(page.comments).toContainEqual(
      expect.objectContaining({
        score: 3,
        who: "Maya C.",
        conversationId: caseId,
        details: "Delivery: poor · Service: could be better · “I'd love a bigger mug.”",
      }),
    );
    expect(page.comments).toContainEqual(expect.objectContaining({ score: 7, who: "Jonas B.", comment: "Good, not great.", conversationId: null }));
    // Another shop sees no answers.
    expect(await (await adminFetch(app, other, `/app/nps?_data=${encodeURIComponent("routes/app.nps")}`)).json()).toMatchObject({
      nps: null,
      responses: 0,
      comments: [],
    });
  });
});

describe("the inbox in Chromium", () => {
  for (const viewport of [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    it(`the list and the conversation read well (${viewport.name})`, async () => {
      const { page, problems } = await openPage(browser, viewport.width, viewport.height, { Authorization: `Bearer ${await sessionToken(shop)}` });
      await page.goto(`${app.url}/app/inbox?status=all`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByText("Maya Chen").first().isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-inbox-${viewport.name}`);
      await page.goto(`${app.url}/app/inbox/${caseId}`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByText("It arrived today!").isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-conversation-${viewport.name}`);
      await page.goto(`${app.url}/app/nps`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByText("+40").first().isVisible()).toBe(true);
      await expect.poll(() => page.locator('[role="img"] svg').count()).toBeGreaterThan(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-nps-${viewport.name}`);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    });
  }

  it("the customer's conversation page reads well on a phone", async () => {
    const { page, problems } = await openPage(browser, 390, 844);
    await page.goto(`${app.url}${conversationUrl}`, { waitUntil: "networkidle" });
    expect(await page.getByText("About your order #4001").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(page, "shopper-conversation-phone");
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });
});
