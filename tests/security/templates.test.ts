// A hostile merchant's templates and test sends, over real HTTP into the built app: no template
// reads a file of the server, none holds up other requests, and "send a test to me" relays
// nothing to anyone but the store itself, a few times an hour, each on the record.
import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { composeFollowup } from "~/modules/followups";
import { dispatchDueMessages } from "~/modules/messaging/dispatch";
import { createMailer } from "~/modules/messaging/mailer";
import { deliver, sendWebhook, startApp, uniqueShop, type RunningApp } from "../support/app";
import { adminFetch, installSession } from "../support/admin";
import { customer } from "../support/followups";
import { orderPayload, toShopifyJson } from "../support/payloads";
import { startSmtpSink, type SmtpSink } from "../support/smtp";

const CANARY = `canary-${randomUUID()}`;
const CANARY_FILE = join(process.cwd(), `${CANARY}.txt`);
const CONTACT = "owner@hostile.test";
const BRAND = { color: "#2c6e49", logoUrl: "" };

let app: RunningApp;
let smtp: SmtpSink;

beforeAll(async () => {
  writeFileSync(CANARY_FILE, `${CANARY} secret`);
  [app, smtp] = await Promise.all([startApp(), startSmtpSink()]);
});
afterAll(async () => {
  rmSync(CANARY_FILE, { force: true });
  await smtp?.close();
  await app?.close();
});
afterEach(() => {
  delete process.env.SMTP_URL;
});

async function newShop(label: string) {
  const shop = uniqueShop(label);
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "Hostile Goods", contactEmail: CONTACT, currency: "USD", timezone: "UTC", installedAt: new Date() } });
  return shop;
}

// The action's JSON answer, read at any depth by the assertions that check it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON, checked by the assertions
type Json = Record<string, any>;
async function post(shop: string, flow: string, body: object): Promise<{ status: number; json: Json; text: string; ms: number }> {
  const started = performance.now();
  const response = await adminFetch(app, shop, `/app/flows/${flow}?_data=${encodeURIComponent("routes/app.flows_.$flow")}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Json, text, ms: performance.now() - started };
}

const saveInput = (body: string) => ({ intent: "save", enabled: true, timing: 2, subject: "Thanks", body, brand: BRAND });

// Each names a file the server can read: the canary (plain, ./, ../ and absolute), the app's
// package.json, .env and the SQLite database.
const FILE_ATTACKS = [
  { tag: "render", source: `{% render "${CANARY}.txt" %}` },
  { tag: "include", source: `<p>Hi</p>\n{% include "./${CANARY}.txt" %}` },
  { tag: "layout", source: `{% layout "../${basename(process.cwd())}/${CANARY}.txt" %}` },
  { tag: "render", source: `{% render "${CANARY_FILE}" %}` },
  { tag: "render", source: '{% render "package.json" %}' },
  { tag: "include", source: '{% include ".env" %}' },
  { tag: "layout", source: '{% layout "prisma/dev.sqlite" %}' },
  { tag: "include", source: `{% assign f = "${CANARY}.txt" %}{% include f %}` },
];
/** Text only those files hold. */
const LEAKS = [CANARY, '"@remix-run/node"', "SQLite format 3", "shpat_"];
const expectNoLeak = (text: string) => {
  for (const leak of LEAKS) expect(text).not.toContain(leak);
};

describe("a template cannot read the server's files", () => {
  it("preview and save answer each file tag with a clear error on its line, and nothing of the file", async () => {
    const shop = await newShop("files");
    for (const attack of FILE_ATTACKS) {
      const line = attack.source.split("\n").length;
      const preview = await post(shop, "thank_you", { intent: "preview", subject: "Hi", body: attack.source, brand: BRAND });
      expect(preview.status).toBe(200);
      expectNoLeak(preview.text);
      expect(preview.json.preview).toEqual({
        ok: false,
        problem: { field: "body", line, message: `{% ${attack.tag} %} is not available in emails: write the content into this template instead` },
      });

      const saved = await post(shop, "thank_you", saveInput(attack.source));
      expect(saved.status).toBe(400);
      expectNoLeak(saved.text);
      expect(saved.json.errors.template).toMatchObject({ field: "body", line, message: expect.stringContaining(`{% ${attack.tag} %} is not available`) });
    }
    // In the subject too.
    const subject = await post(shop, "thank_you", { intent: "preview", subject: `{% render "${CANARY}.txt" %}`, body: "<p>Hi</p>", brand: BRAND });
    expect(subject.json.preview).toMatchObject({ ok: false, problem: { field: "subject", line: 1 } });
    expectNoLeak(subject.text);
    expect(JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop } })).settings)).toEqual({});
  });

  it("a test send of such a template sends nothing", async () => {
    const shop = await newShop("files-test");
    process.env.SMTP_URL = smtp.url;
    const before = smtp.received.length;
    for (const attack of FILE_ATTACKS.slice(0, 4)) {
      const test = await post(shop, "thank_you", { intent: "test", subject: "Hi", body: attack.source, brand: BRAND });
      expect(test.status).toBe(400);
      expect(test.json.test).toMatchObject({
        sent: false,
        reason: "template",
        problem: { field: "body", message: expect.stringContaining("is not available in emails") },
      });
      expectNoLeak(test.text);
    }
    expect(smtp.received.length).toBe(before);
    expect(await db.testSend.count({ where: { shop } })).toBe(0);
  });

  it("the worker's send of a template stored before these checks fails the message and mails nothing of the file", async () => {
    const shop = await newShop("files-send");
    // As if saved before the editor refused it.
    const body = `<p>Hi</p>{% include "${CANARY}.txt" %}{% render "package.json" %}`;
    await db.shop.update({
      where: { shop },
      data: { settings: JSON.stringify({ followups: { flows: { thank_you: { enabled: true, timing: 1, subject: "Thanks", body } } } }) },
    });
    const who = customer();
    await deliver(app, "orders/paid", toShopifyJson(orderPayload({ customer: who, number: 1001, createdAt: "2026-05-12T10:00:00Z" })), { shop });
    const report = await dispatchDueMessages({ shop, now: new Date("2026-05-12T12:00:00Z"), compose: composeFollowup, mailer: createMailer(smtp.url) });
    expect(report).toMatchObject({ sent: 0, failed: 1 });
    const message = await db.message.findFirstOrThrow({ where: { shop, flow: "thank_you" } });
    expect(message.status).toBe("failed");
    expect(message.detail).toContain("{% include %} is not available in emails");
    expectNoLeak(JSON.stringify(message));
    expect(smtp.received.filter((m) => m.envelopeTo.includes(who.email))).toEqual([]);
    for (const mail of smtp.received) expectNoLeak(mail.raw);
  });
});

describe("a template cannot hang the server", () => {
  /** Webhook deliveries sent one after another while `busy` runs; each one's latency. */
  async function probeWhile(busy: Promise<unknown>): Promise<number[]> {
    const shop = uniqueShop("probe");
    const latencies: number[] = [];
    let done = false;
    void busy.finally(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    while (!done) {
      const started = performance.now();
      const response = await sendWebhook(
        app,
        "orders/paid",
        toShopifyJson(orderPayload({ customer: customer(), number: 1, createdAt: "2026-05-12T10:00:00Z" })),
        { shop },
      );
      expect(response.status).toBe(200);
      latencies.push(performance.now() - started);
    }
    return latencies;
  }

  const BOMBS = [
    { name: "nested loops", body: "<p>Hi</p>\n{% for a in (1..999) %}{% for b in (1..999) %}{% for c in (1..999) %}x{% endfor %}{% endfor %}{% endfor %}" },
    {
      name: "a list doubled each pass",
      body: "<p>Hi</p>\n{% assign a = 'x,y' | split: ',' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a | size }}",
    },
    { name: "a text doubled each pass", body: "<p>Hi</p>\n{% assign s = 'xxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}" },
    // Stopped by the time limit on its line, or, on a fast machine, by the output cap (no line).
    { name: "a long loop of output", body: "<p>Hi</p>\n{% for i in (1..900000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}", lines: [2, null] },
  ];

  for (const bomb of BOMBS) {
    it(`preview answers ${bomb.name} with a clear error within seconds, and other requests are answered meanwhile`, async () => {
      const shop = await newShop("bomb");
      const preview = post(shop, "thank_you", { intent: "preview", subject: "Hi", body: bomb.body, brand: BRAND });
      const latencies = await probeWhile(preview);
      const answer = await preview;
      expect(answer.status).toBe(200);
      expect(answer.json.preview).toMatchObject({
        ok: false,
        problem: { field: "body", message: expect.stringMatching(/^This template (takes too long|builds too much|renders too much)/) },
      });
      expect("lines" in bomb ? bomb.lines : [2]).toContain(answer.json.preview.problem.line);
      expect(answer.ms).toBeLessThan(5_000);
      // Had the render held the event loop, a request arriving meanwhile would wait for most of it.
      if (answer.ms > 600) {
        expect(latencies.length).toBeGreaterThan(0);
        expect(Math.max(...latencies)).toBeLessThan(answer.ms / 2);
      }
    });
  }

  it("save refuses a bomb, and the next preview of the shop renders normally", async () => {
    const shop = await newShop("bomb-save");
    const saved = await post(shop, "thank_you", saveInput(BOMBS[0]!.body));
    expect(saved.status).toBe(400);
    expect(saved.json.errors.template).toMatchObject({
      field: "body",
      line: 2,
      message: expect.stringMatching(/^This template (takes too long|builds too much)/),
    });
    const fine = await post(shop, "thank_you", { intent: "preview", subject: "Hi {{ customer.first_name }}", body: "<p>All good</p>", brand: BRAND });
    expect(fine.json.preview).toMatchObject({ ok: true, email: { subject: "Hi Alex" } });
  });
});

describe("send a test to me", () => {
  it("refuses any other address with 400 and sends nothing", async () => {
    const shop = await newShop("relay");
    process.env.SMTP_URL = smtp.url;
    const before = smtp.received.length;
    for (const to of ["victim@elsewhere.test", `${CONTACT}, victim@elsewhere.test`, ["victim@elsewhere.test"], `victim@elsewhere.test\r\nBcc: ${CONTACT}`]) {
      const refused = await post(shop, "thank_you", { intent: "test", to, subject: "Your account", body: "<p>Click here</p>", brand: BRAND });
      expect(refused.status).toBe(400);
      expect(refused.json.test).toEqual({ sent: false, reason: "address", message: `Tests go only to your store's contact email, ${CONTACT}.` });
    }
    expect(smtp.received.length).toBe(before);
    expect(await db.testSend.count({ where: { shop } })).toBe(0);
  });

  it("sends to the store's contact email, 5 an hour, each logged and listed in the editor; the 6th is refused with 429", async () => {
    const shop = await newShop("limit");
    process.env.SMTP_URL = smtp.url;
    const subject = `Limit ${randomUUID()}`;
    for (let i = 1; i <= 5; i++) {
      // The contact email itself may be named (as older editors did).
      const sent = await post(shop, "nps", { intent: "test", ...(i === 1 ? { to: CONTACT.toUpperCase() } : {}), subject, body: "<p>Hi</p>", brand: BRAND });
      expect(sent.status).toBe(200);
      expect(sent.json.test).toEqual({ sent: true, to: CONTACT });
      expect(sent.json.tests).toMatchObject({ left: 5 - i, perHour: 5 });
      expect(sent.json.tests.recent[0]).toMatchObject({ to: CONTACT, flow: "NPS survey", outcome: "sent", when: expect.any(String) });
    }
    const sixth = await post(shop, "nps", { intent: "test", subject, body: "<p>Hi</p>", brand: BRAND });
    expect(sixth.status).toBe(429);
    expect(sixth.json.test).toMatchObject({ sent: false, reason: "limit", message: expect.stringContaining("5 tests an hour") });

    const received = smtp.received.filter((m) => m.subject === `[Test] ${subject}`);
    expect(received.map((m) => m.envelopeTo)).toEqual(Array.from({ length: 5 }, () => [CONTACT]));
    const logged = await db.testSend.findMany({ where: { shop } });
    expect(logged.map((row) => [row.toAddress, row.flow, row.outcome])).toEqual(Array.from({ length: 5 }, () => [CONTACT, "nps", "sent"]));

    // The editor lists them, and how many are left.
    const page = await adminFetch(app, shop, `/app/flows/nps?_data=${encodeURIComponent("routes/app.flows_.$flow")}`);
    const data = (await page.json()) as Json;
    expect(data.tests.left).toBe(0);
    expect(data.tests.recent).toHaveLength(5);
    expect(data.tests.recent[0]).toMatchObject({ to: CONTACT, flow: "NPS survey", outcome: "sent" });

    // Other shops keep their own hour.
    const other = await newShop("limit-other");
    expect((await post(other, "nps", { intent: "test", subject, body: "<p>Hi</p>", brand: BRAND })).status).toBe(200);
  });

  it("a shop without a contact email cannot send a test", async () => {
    const shop = await newShop("no-contact");
    await db.shop.update({ where: { shop }, data: { contactEmail: null } });
    process.env.SMTP_URL = smtp.url;
    const refused = await post(shop, "thank_you", { intent: "test", subject: "Hi", body: "<p>Hi</p>", brand: BRAND });
    expect(refused.status).toBe(400);
    expect(refused.json.test).toMatchObject({ sent: false, reason: "address", message: expect.stringContaining("no contact email") });
  });
});
