// The flow editor over real HTTP into the built app (session tokens as App Bridge sends them),
// a real SMTP server for "send a test to me", the worker's real send path afterwards, and the
// page itself in real Chromium at desktop and phone widths.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import db from "~/db.server";
import { composeFollowup, followupSettings } from "~/modules/followups";
import { dispatchDueMessages } from "~/modules/messaging/dispatch";
import { createMailer } from "~/modules/messaging/mailer";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { adminFetch, installSession, sessionToken } from "./support/admin";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { BEANS, customer, GRINDER, MUG, product, rawHeader } from "./support/followups";
import { orderPayload, toShopifyJson, type ProductLine } from "./support/payloads";
import { startSmtpSink, type SmtpSink } from "./support/smtp";

let app: RunningApp;
let smtp: SmtpSink;
let browser: Browser;

beforeAll(async () => {
  [app, smtp, browser] = await Promise.all([startApp(), startSmtpSink(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await smtp?.close();
  await app?.close();
});
afterEach(() => {
  delete process.env.SMTP_URL;
});

async function newShop(label: string) {
  const shop = uniqueShop(label);
  await installSession(shop);
  await db.shop.create({
    data: {
      shop,
      name: "Larch & Ember Coffee",
      contactEmail: "owner@larch-ember.test",
      currency: "USD",
      timezone: "America/New_York",
      installedAt: new Date(),
    },
  });
  return shop;
}

async function paidOrder(shop: string, who: ReturnType<typeof customer>, number: number, createdAt: string, lines: ProductLine[] = [MUG]) {
  const order = orderPayload({ customer: who, number, createdAt, lines });
  await deliver(app, "orders/paid", toShopifyJson(order), { shop });
  return order;
}

// The action's JSON answer, read at any depth by the assertions that check it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON, checked by the assertions
type Json = Record<string, any>;
async function post(shop: string, flow: string, body: object): Promise<{ status: number; json: Json }> {
  // ?_data: the action's own answer, as a fetcher asks for it (without it Remix answers with the page).
  const response = await adminFetch(app, shop, `/app/flows/${flow}?_data=${encodeURIComponent("routes/app.flows_.$flow")}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  return { status: response.status, json: (await response.json()) as Json };
}

const BRAND = { color: "#8a4b2a", logoUrl: "" };
const editorInput = (patch: object = {}) => ({
  intent: "save",
  enabled: true,
  timing: 2,
  subject: "Thanks, {{ customer.first_name }}! {{ order.name }} is brewing",
  body: "<p>Hi {{ customer.first_name }},</p>\n<p>Your beans are being roasted today.</p>\n{% order_summary %}",
  brand: BRAND,
  ...patch,
});

describe("preview", () => {
  it("renders the draft from the shop's latest order, with its customer, through the send path's renderer", async () => {
    const shop = await newShop("preview");
    await paidOrder(shop, { ...customer(), firstName: "Ada" }, 1001, "2026-03-01T10:00:00Z", [BEANS]);
    await paidOrder(shop, { ...customer(), firstName: "Lena", lastName: "Vogel" }, 1002, "2026-03-04T10:00:00Z", [GRINDER, { ...BEANS, quantity: 2 }]);

    const { status, json } = await post(shop, "thank_you", {
      intent: "preview",
      subject: "For {{ customer.first_name }}",
      body: "<p>Hello {{ customer.first_name }}</p>{% order_summary %}",
      brand: BRAND,
    });
    expect(status).toBe(200);
    expect(json.preview.ok).toBe(true);
    expect(json.preview.source).toEqual({ kind: "order", label: "Your latest order, #1002 from Lena Vogel." });
    expect(json.preview.email.subject).toBe("For Lena");
    expect(json.preview.email.html).toContain("<p>Hello Lena</p>");
    expect(json.preview.email.html).toContain("Hand Grinder");
    expect(json.preview.email.html).toContain("$131.00");
    expect(json.preview.email.html).toContain("border-bottom:3px solid #8a4b2a"); // the draft colour, not yet saved
    expect(json.preview.email.text).toContain("2 × Kenya AA: $42.00");
    // Links are inert: nothing in a preview can act for the customer.
    expect(json.preview.email.html).not.toMatch(/aftercare\.test\/(unsubscribe|feedback|review|reorder)\//);
    expect(json.preview.email.text).toContain("Unsubscribe: #");
  });

  it("uses a clearly labelled sample order when the shop has no orders", async () => {
    const shop = await newShop("sample");
    const { status, json } = await post(shop, "review_request", {
      intent: "preview",
      subject: "Hi {{ customer.first_name }}",
      body: "{% review_items %}",
      brand: BRAND,
    });
    expect(status).toBe(200);
    expect(json.preview.source).toEqual({ kind: "sample", label: "A sample order: your store has no orders yet." });
    expect(json.preview.email.subject).toBe("Hi Alex");
    expect(json.preview.email.html).toContain("Sample product");
  });

  it("keeps a customer's <script> escaped, and answers a Liquid error with its field and line", async () => {
    const shop = await newShop("escape");
    await paidOrder(shop, { ...customer(), firstName: "<script>alert(1)</script>" }, 1001, "2026-03-01T10:00:00Z");
    const { json } = await post(shop, "thank_you", {
      intent: "preview",
      subject: "{{ customer.first_name }}",
      body: "<p>{{ customer.first_name }}</p>",
      brand: BRAND,
    });
    expect(json.preview.email.html).toContain("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(json.preview.email.html).not.toContain("<script>alert");

    const broken = await post(shop, "thank_you", { intent: "preview", subject: "Hi", body: "<p>Hi</p>\n\n{% if customer.first_name %}oops", brand: BRAND });
    expect(broken.status).toBe(200);
    expect(broken.json.preview).toEqual({ ok: false, problem: { field: "body", line: 3, message: "tag {% if customer.first_name %} not closed" } });
  });
});

describe("save", () => {
  it("stores a valid template and the next real send uses it; the default text is stored as the default", async () => {
    const shop = await newShop("save");
    const saved = await post(shop, "thank_you", editorInput());
    expect(saved).toEqual({ status: 200, json: { intent: "save", saved: true } });
    const settings = await followupSettings(db, shop);
    expect(settings.flows.thank_you).toEqual({ enabled: true, timing: 2, subject: editorInput().subject, body: editorInput().body });
    expect(settings.brand).toEqual({ color: "#8a4b2a", logoUrl: null });

    // The worker, 2 h after payment, sends it through a real SMTP server.
    const who = { ...customer(), firstName: "Robin" };
    await paidOrder(shop, who, 1040, "2026-05-12T15:00:00Z", [BEANS]);
    const report = await dispatchDueMessages({ shop, now: new Date("2026-05-12T17:00:00Z"), compose: composeFollowup, mailer: createMailer(smtp.url) });
    expect(report).toMatchObject({ sent: 1 });
    const mail = smtp.received.find((m) => m.envelopeTo.includes(who.email))!;
    expect(mail.subject).toBe("Thanks, Robin! #1040 is brewing");
    expect(mail.html).toContain("Your beans are being roasted today.");
    expect(mail.html).toContain("border-bottom:3px solid #8a4b2a");

    const { DEFAULT_TEMPLATES } = await import("~/modules/followups/templates");
    await post(shop, "thank_you", editorInput({ subject: DEFAULT_TEMPLATES.thank_you.subject, body: DEFAULT_TEMPLATES.thank_you.body }));
    expect((await followupSettings(db, shop)).flows.thank_you).toMatchObject({ subject: null, body: null });
  });

  it("refuses Liquid that does not parse or render, a bad timing or colour, with the line, and changes nothing", async () => {
    const shop = await newShop("refuse");
    await post(shop, "nps", editorInput({ timing: 20 }));
    const before = (await db.shop.findUniqueOrThrow({ where: { shop } })).settings;

    const badBody = await post(shop, "nps", editorInput({ timing: 21, body: "<p>Hi</p>\n{{ customer.first_name | shout }}" }));
    expect(badBody.status).toBe(400);
    expect(badBody.json.errors.template).toEqual({ field: "body", line: 2, message: "undefined filter: shout" });
    expect(badBody.json.message).toBe("Nothing was saved: fix what is marked below.");

    const badSubject = await post(shop, "nps", editorInput({ subject: "{{ order.name" }));
    expect(badSubject.json.errors.template).toMatchObject({ field: "subject", line: 1 });
    const renderError = await post(shop, "nps", editorInput({ subject: "{{ shop.name | append }}" }));
    expect(renderError.json.errors.template).toMatchObject({ field: "subject", line: 1, message: "append expect 2 arguments" });
    const blank = await post(shop, "nps", editorInput({ body: "  " }));
    expect(blank.json.errors.template).toMatchObject({ field: "body", message: "Write a body, or reset the template to the default." });

    const rest = await post(shop, "nps", editorInput({ timing: 91, brand: { color: "green", logoUrl: "http://insecure.test/logo.png" } }));
    expect(rest.status).toBe(400);
    expect(rest.json.errors).toEqual({
      timing: "NPS survey: timing must be 1–90 days.",
      brand: { color: "Use a hex colour such as #2c6e49.", logoUrl: "Use an https:// image address, or leave it blank to show your store's name." },
    });
    expect((await db.shop.findUniqueOrThrow({ where: { shop } })).settings).toBe(before);
  });

  it("saves re-order intervals per product and refuses one out of range", async () => {
    const shop = await newShop("intervals");
    await paidOrder(shop, customer(), 1001, "2026-03-01T10:00:00Z", [BEANS, MUG]);
    const page = await adminFetch(app, shop, "/app/flows/reorder?_data=routes/app.flows_.$flow");
    const data = (await page.json()) as Json;
    expect(data.intervals.rows.map((r: Json) => r.title).sort()).toEqual(["Kenya AA", "Stoneware Mug"]);

    const saved = await post(shop, "reorder", editorInput({ timing: 3, intervals: { [BEANS.productId]: "30" } }));
    expect(saved.status).toBe(200);
    const refused = await post(shop, "reorder", editorInput({ timing: 3, intervals: { [BEANS.productId]: "21", [MUG.productId]: "400" } }));
    expect(refused.status).toBe(400);
    expect(refused.json.errors.intervals).toEqual([`Product ${MUG.productId}: a re-order interval must be 7–365 days, or blank.`]);
    const rows = await db.productReplenishment.findMany({ where: { shop }, orderBy: { title: "asc" } });
    expect(rows.map((r) => [r.title, r.merchantDays])).toEqual([["Kenya AA", 30]]);
  });

  it("answers 404 for a flow that does not exist", async () => {
    const shop = await newShop("unknown");
    for (const init of [{}, { method: "POST", body: JSON.stringify(editorInput()), headers: { "Content-Type": "application/json" } }]) {
      const response = await adminFetch(app, shop, "/app/flows/birthday", init);
      await response.text();
      expect(response.status).toBe(404);
    }
  });

  it("saves the merchant's goes-well-with picks with their titles", async () => {
    const shop = await newShop("picks");
    const picks = [
      { id: "7001", title: "Pour-over Kettle" },
      { id: "7002", title: "Ceramic Dripper" },
    ];
    expect((await post(shop, "goes_with", editorInput({ timing: 10, picks }))).status).toBe(200);
    const settings = await followupSettings(db, shop);
    expect(settings.recommendations).toEqual(["7001", "7002"]);
    expect(settings.recommendationTitles).toEqual({ "7001": "Pour-over Kettle", "7002": "Ceramic Dripper" });
    const refused = await post(shop, "goes_with", editorInput({ timing: 10, picks: [{ id: "gid://shopify/Product/1", title: "x" }] }));
    expect(refused.json.errors.picks).toEqual(["A picked product could not be read: choose it again."]);
  });
});

describe("send a test to me", () => {
  it("sends the rendered draft, marked [Test], to the store's contact email; no customer message is recorded, the test is logged", async () => {
    const shop = await newShop("test-send");
    await paidOrder(shop, { ...customer(), firstName: "Mira" }, 1001, "2026-03-01T10:00:00Z");
    await db.message.deleteMany({ where: { shop } });
    process.env.SMTP_URL = smtp.url;
    const { status, json } = await post(shop, "delivery_checkin", {
      intent: "test",
      subject: "Arrived safely, {{ customer.first_name }}?",
      body: "{% button links.checkin_ok %}Yes{% endbutton %}",
      brand: BRAND,
    });
    expect(status).toBe(200);
    expect(json.test).toEqual({ sent: true, to: "owner@larch-ember.test" });
    expect(json.tests).toMatchObject({ left: 4, perHour: 5, recent: [{ to: "owner@larch-ember.test", flow: "Delivery check-in", outcome: "sent" }] });
    const mail = smtp.received.find((m) => m.envelopeTo.includes("owner@larch-ember.test") && m.subject === "[Test] Arrived safely, Mira?")!;
    expect(mail.from?.value[0]?.name).toBe("Larch & Ember Coffee");
    expect(mail.replyTo?.value[0]?.address).toBe("owner@larch-ember.test");
    expect(mail.html).toContain(">Yes</a>");
    expect(rawHeader(mail, "List-Unsubscribe")).toBeUndefined();
    expect(await db.message.count({ where: { shop } })).toBe(0);

    smtp.mode = "refuse";
    const refused = await post(shop, "delivery_checkin", { intent: "test", subject: "x", body: "y", brand: BRAND });
    smtp.mode = "accept";
    expect(refused.status).toBe(502);
    expect(refused.json.test).toMatchObject({ sent: false, reason: "failed", message: expect.stringContaining("The mail server did not take the test: ") });
    expect(refused.json.tests.recent[0]).toMatchObject({ outcome: "failed", detail: expect.any(String) });
  });

  it("says mail is not configured, instead of pretending, when there is no SMTP_URL", async () => {
    const shop = await newShop("no-smtp");
    const before = smtp.received.length;
    const { status, json } = await post(shop, "thank_you", { intent: "test", subject: "x", body: "y", brand: BRAND });
    expect(status).toBe(503);
    expect(json.test).toEqual({
      sent: false,
      reason: "not_configured",
      message: "Mail isn't set up on this server (no SMTP_URL): follow-ups wait in the outbox, and this test was not sent.",
    });
    expect(smtp.received.length).toBe(before);
  });
});

describe("the editor in Chromium", () => {
  const VIEWPORTS = [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ];
  const KETTLE = product(15, "Pour-over Kettle", "64.00");
  let shop: string;
  beforeAll(async () => {
    shop = await newShop("editor-page");
    const lena = { ...customer(), firstName: "Lena", lastName: "Vogel" };
    await paidOrder(shop, lena, 2001, "2026-03-01T10:00:00Z", [BEANS, KETTLE]);
    await paidOrder(shop, lena, 2002, "2026-04-01T10:00:00Z", [BEANS, GRINDER]);
  });

  for (const viewport of VIEWPORTS) {
    it(`previews the draft live as the merchant types, without script errors or overflow (${viewport.name})`, async () => {
      const { page, problems } = await openPage(browser, viewport.width, viewport.height, { Authorization: `Bearer ${await sessionToken(shop)}` });
      await page.goto(`${app.url}/app/flows/thank_you`, { waitUntil: "networkidle" });
      const frame = page.frameLocator('iframe[title="Email preview"]');
      await expect.poll(() => frame.getByText("Hand Grinder").first().isVisible()).toBe(true);
      expect(await page.getByTestId("preview-subject").textContent()).toBe("Thank you for your order, Lena");
      expect(await page.getByText("Your latest order, #2002 from Lena Vogel.").isVisible()).toBe(true);

      const body = page.getByLabel("Body");
      await body.click();
      await body.press("End");
      await page.keyboard.press("Control+End");
      await page.keyboard.type("\n<p>PS: fresh beans every Friday, {{ customer.first_name }}.</p>");
      await expect.poll(() => frame.getByText("PS: fresh beans every Friday, Lena.").isVisible(), { timeout: 5000 }).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await screenshot(page, `admin-flow-editor-${viewport.name}`);

      // A broken tag: the error and its line in place, the last good preview kept (dimmed).
      await page.keyboard.type("\n{% if order.name %}");
      await expect
        .poll(
          () =>
            page
              .getByText(/Line \d+: tag \{% if order.name %\} not closed/)
              .first()
              .isVisible(),
          { timeout: 5000 },
        )
        .toBe(true);
      expect(await frame.getByText("PS: fresh beans every Friday, Lena.").isVisible()).toBe(true);
      await screenshot(page, `admin-flow-editor-error-${viewport.name}`);
      await page.getByRole("button", { name: /Go to line \d+/ }).click();
      expect(await body.evaluate((area: HTMLTextAreaElement) => area.value.slice(area.selectionStart, area.selectionEnd))).toBe("{% if order.name %}");
      // The plain-text part, as a text-only mail client shows it.
      await page.getByRole("button", { name: "Plain text" }).click();
      expect(await page.getByTestId("preview-text").textContent()).toContain("PS: fresh beans every Friday, Lena.\n\n--\nYou're receiving this");
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      expect(problems.errors).toEqual([]);
      await page.context().close();
    });
  }

  it("the re-order page lists each product's interval, and goes-with picks come from App Bridge's resource picker", async () => {
    const { page, problems } = await openPage(browser, 1280, 900, { Authorization: `Bearer ${await sessionToken(shop)}` });
    // From the Flows page: each flow's name opens its editor.
    await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: "Re-order reminder", exact: true }).click();
    await expect.poll(() => page.getByText("How long each product lasts").isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/app/flows/reorder");
    await page.getByLabel("Re-order interval for Kenya AA").fill("28");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByText("Saved.", { exact: false }).isVisible()).toBe(true);
    expect((await db.productReplenishment.findFirstOrThrow({ where: { shop, title: "Kenya AA" } })).merchantDays).toBe(28);
    await screenshot(page, "admin-flow-editor-reorder-desktop");

    // App Bridge stands in for the admin here: its picker answers with a product sold before and a new one.
    await page.addInitScript((kettle) => {
      const admin = window as unknown as { shopify: object; toasts?: string[] };
      admin.shopify = {
        toast: { show: (message: string) => (admin.toasts ??= []).push(message) },
        resourcePicker: async () => [
          { id: `gid://shopify/Product/${kettle}`, title: "Pour-over Kettle" },
          { id: "gid://shopify/Product/7002", title: "Ceramic Dripper" },
        ],
      };
    }, KETTLE.productId);
    await page.goto(`${app.url}/app/flows/goes_with`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Choose products" }).click();
    await expect.poll(() => page.getByText("Ceramic Dripper").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { toasts?: string[] }).toasts)).toEqual(["Saved"]);
    expect((await followupSettings(db, shop)).recommendations).toEqual([KETTLE.productId, "7002"]);
    // The preview's cards: what the store has sold beyond the order, then the picks; each product once.
    const frame = page.frameLocator('iframe[title="Email preview"]');
    await expect.poll(() => frame.getByText("Ceramic Dripper").isVisible()).toBe(true);
    expect(await frame.getByText("Pour-over Kettle").count()).toBe(1);
    await screenshot(page, "admin-flow-editor-goes-with-desktop");
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });
});
