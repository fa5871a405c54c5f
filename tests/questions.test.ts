// Product questions and answers end to end: shoppers ask through the signed app proxy, the
// merchant moderates and answers through the admin's real routes, verified buyers invited by
// email answer on a phone in Chromium, the asker hears about answers through a real SMTP
// server, and the privacy webhooks erase and gather askers' and buyers' words.
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { CAPABILITIES } from "~/modules/capabilities";
import { composeByFlow, dispatchDueMessages } from "~/modules/messaging/dispatch";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { proxySignature } from "~/edge/proxy";
import { adminFetch, installSession, sessionToken } from "./support/admin";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { launchBrowser, openPage, screenshot } from "./support/browser";
import { customer, GRINDER, MUG, rawHeader } from "./support/followups";
import { orderPayload, toShopifyJson, type CustomerOptions } from "./support/payloads";
import { replyToProductQueries, standInForShopify } from "./support/shopify-edge";
import { startSmtpSink, type SmtpSink } from "./support/smtp";
import { FLOW_IDS } from "~/modules/followups";

let app: RunningApp;
let browser: Browser;
let smtp: SmtpSink;
let mailer: Mailer;
beforeAll(async () => {
  [app, browser, smtp] = await Promise.all([startApp(), launchBrowser(), startSmtpSink()]);
  mailer = createMailer(smtp.url);
});
afterAll(async () => {
  mailer?.close();
  await Promise.all([browser?.close(), app?.close(), smtp?.close()]);
});

const XSS_QUESTION = `Is it dishwasher-safe? <img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>`;
const XSS_NAME = `Sam <b>"the" tester</b> & co`;
/** Tomorrow at 16:00 UTC: inside the default send window (09–20) in New York, and after anything scheduled now. */
const tomorrowAfternoon = () => new Date(`${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T16:00:00Z`);

/** A shop with every follow-up flow off (only questions' emails go out), optionally inviting buyers. */
async function questionsShop(inviteBuyers: boolean): Promise<string> {
  const shop = uniqueShop("qa");
  await installSession(shop);
  const flows = Object.fromEntries(FLOW_IDS.map((id) => [id, { enabled: false }]));
  await db.shop.create({
    data: {
      shop,
      name: "Larch & Ember",
      contactEmail: "hello@larch.test",
      timezone: "America/New_York",
      installedAt: new Date(),
      settings: JSON.stringify({ followups: { flows }, reviews: { questions: { inviteBuyers } } }),
    },
  });
  // A guest's earlier order of both products: the mirror knows their titles (a question's title is the store's).
  const id = String(Date.now()) + String(Math.floor(Math.random() * 1000)).padStart(3, "0");
  await db.order.create({
    data: {
      shop,
      id,
      name: "#900",
      currency: "USD",
      totalMinor: 11300,
      processedAt: new Date("2026-01-05T12:00:00Z"),
      shopifyUpdatedAt: new Date("2026-01-05T12:00:00Z"),
      createdAt: new Date("2026-01-05T12:00:00Z"),
      lineItems: {
        create: [GRINDER, MUG].map((p, i) => ({
          id: `${id}${i}`,
          productId: p.productId,
          title: p.title,
          quantity: 1,
          priceMinor: Math.round(Number(p.price) * 100),
        })),
      },
    },
  });
  return shop;
}

/** The URL Shopify's app proxy forwards a storefront request to, signed as Shopify signs it. */
function proxied(shop: string, query: Record<string, string> = {}, options: { secret?: string; customerId?: string } = {}) {
  const params = new URLSearchParams({
    ...query,
    shop,
    logged_in_customer_id: options.customerId ?? "",
    path_prefix: "/apps/aftercare",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  params.set("signature", proxySignature(params, options.secret ?? process.env.SHOPIFY_API_SECRET!));
  return `${app.url}/proxy/questions?${params}`;
}

type Ask = { product_id?: string; product_title?: string; product_url?: string; name?: string; email?: string; question?: string };

/** Posts the widget's form through the proxy, from one shopper address. */
async function ask(shop: string, fields: Ask, options: { ip?: string; customerId?: string; secret?: string; multipart?: boolean } = {}) {
  const values: Record<string, string> = {
    product_id: GRINDER.productId,
    product_url: "/products/hand-grinder",
    name: "Sam",
    email: "sam@example.com",
    question: "Does it grind fine enough for espresso?",
    ...fields,
  };
  let body: FormData | URLSearchParams;
  if (options.multipart) {
    body = new FormData();
    for (const [key, value] of Object.entries(values)) body.set(key, value);
  } else body = new URLSearchParams(values);
  const response = await fetch(proxied(shop, {}, options), { method: "POST", body, headers: { "X-Forwarded-For": `10.0.0.1, ${options.ip ?? randomIp()}` } });
  return { status: response.status, body: await response.json() };
}

const randomIp = () => `203.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

async function admin(shop: string, path: string, fields: Record<string, string | string[]>) {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(key, v);
  const response = await adminFetch(app, shop, path, { method: "POST", body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  return { status: response.status, text: await response.text() };
}

async function buys(shop: string, who: CustomerOptions, processedAt: string, lines = [GRINDER]) {
  await deliver(app, "orders/paid", toShopifyJson(orderPayload({ customer: who, createdAt: processedAt, lines })), { shop });
}

/** What the worker does for this shop at `at`: sends what is due through the real SMTP server. */
const runWorker = (shop: string, at: Date) => dispatchDueMessages({ shop, now: at, compose: composeByFlow(CAPABILITIES), mailer });
const mailTo = (email: string) => smtp.received.filter((mail) => mail.envelopeTo.includes(email));

describe("the storefront through the app proxy", () => {
  it("takes a question (urlencoded or multipart) that waits for the merchant, stored exactly; refuses unsigned and invalid posts", async () => {
    const shop = await questionsShop(false);
    expect((await ask(shop, {}, { secret: "forged" })).status).toBe(401);
    const unsignedGet = await fetch(`${app.url}/proxy/questions?product_id=1&shop=${shop}`);
    expect(unsignedGet.status).toBe(401);
    await unsignedGet.body?.cancel();

    const invalid = await ask(shop, { name: " ", email: "not-an-email", question: "" });
    expect(invalid).toEqual({
      status: 422,
      body: {
        errors: {
          name: "Add the name to show with your question.",
          email: "Check your email address: it should look like name@example.com.",
          question: "Write your question.",
        },
      },
    });
    expect((await ask(shop, { product_id: "abc" })).status).toBe(400);
    expect(await db.question.count({ where: { shop } })).toBe(0);

    const saved = await ask(shop, { name: XSS_NAME, email: "Sam@Example.com", question: XSS_QUESTION }, { customerId: "7123456789012345678", multipart: true });
    expect(saved).toEqual({ status: 201, body: { status: "pending" } });
    await ask(shop, { product_url: "https://evil.example/products/hand-grinder" });
    const [first, second] = await db.question.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
    expect(first).toMatchObject({
      body: XSS_QUESTION,
      askerName: XSS_NAME,
      askerEmail: "sam@example.com",
      customerId: "7123456789012345678",
      status: "pending",
      productUrl: "/products/hand-grinder",
      productTitle: "Hand Grinder",
    });
    expect(second).toMatchObject({ customerId: null, productUrl: null }); // only a path on the shop's own storefront is kept

    // Nothing shows on the storefront until the merchant publishes it.
    const before = await (await fetch(proxied(shop, { product_id: GRINDER.productId }))).json();
    expect(before).toEqual({ productId: GRINDER.productId, page: 1, pages: 1, count: 0, questions: [] });
  });

  it("names the product as the store does: a forged title is ignored, a product the mirror does not know is read from the Admin API, an unknown one is refused", async () => {
    const shop = await questionsShop(false);
    expect((await ask(shop, { product_title: "Claim your prize at evil.example" })).status).toBe(201);
    expect(await db.question.findFirst({ where: { shop }, select: { productTitle: true } })).toEqual({ productTitle: "Hand Grinder" });

    const edge = standInForShopify();
    try {
      replyToProductQueries(edge, shop, [
        { id: "9771000000000001", title: "Travel Kettle", handle: "travel-kettle", productType: "Kettles", vendor: "Larch & Ember", price: "45.00" },
      ]);
      expect((await ask(shop, { product_id: "9771000000000001", product_title: "Forged" })).status).toBe(201);
      expect(await db.question.findFirst({ where: { shop, productId: "9771000000000001" }, select: { productTitle: true } })).toEqual({
        productTitle: "Travel Kettle",
      });
      const unknown = await ask(shop, { product_id: "9772000000000001", product_title: "Not sold here" });
      expect(unknown).toEqual({ status: 422, body: { errors: { product: "This product can't be found in the store any more. Please reload the page." } } });
      expect(await db.question.count({ where: { shop, productId: "9772000000000001" } })).toBe(0);
    } finally {
      await edge.restore();
    }
  });

  it("limits posts per shopper address and per email", async () => {
    const shop = await questionsShop(false);
    const ip = randomIp();
    for (let i = 0; i < 3; i++) expect((await ask(shop, { email: "eager@example.com" })).status).toBe(201);
    const sameEmail = await ask(shop, { email: "EAGER@example.com" });
    expect(sameEmail.status).toBe(429);
    expect(sameEmail.body.error).toContain("Please wait");
    for (let i = 0; i < 10; i++) expect((await ask(shop, { email: `shopper${i}@example.com` }, { ip })).status).toBe(201);
    expect((await ask(shop, { email: "someone-else@example.com" }, { ip })).status).toBe(429);
    expect(await db.question.count({ where: { shop } })).toBe(13);
  });

  it("lists published questions with published answers, answered first then newest, five a page, text as JSON strings, with ETag revalidation", async () => {
    const shop = await questionsShop(false);
    const other = await questionsShop(false);
    const at = (minute: number) => new Date(Date.parse("2026-11-20T10:00:00Z") + minute * 60_000);
    const question = (minute: number, status: string, body = `Question ${minute}`, productId = GRINDER.productId, on = shop) =>
      db.question.create({
        data: {
          id: randomUUID(),
          shop: on,
          productId,
          productTitle: "Hand Grinder",
          askerName: "Sam",
          askerEmail: "sam@example.com",
          body,
          status,
          createdAt: at(minute),
        },
      });
    for (let minute = 0; minute < 6; minute++) await question(minute, "published");
    const xss = await question(7, "published", XSS_QUESTION);
    await question(8, "pending");
    await question(9, "hidden");
    await question(10, "published", "Other product", MUG.productId);
    await question(11, "published", "Other shop", GRINDER.productId, other);
    const answered = await db.question.findFirstOrThrow({ where: { shop, body: "Question 1" } });

    expect((await admin(shop, `/app/questions/${answered.id}`, { intent: "answer", answer: "Yes: <b>fine</b> enough & then some." })).status).toBe(200);
    // A buyer's answer waiting for the merchant, and a hidden one, stay off the storefront.
    await db.questionAnswer.createMany({
      data: [
        {
          id: randomUUID(),
          shop,
          questionId: xss.id,
          body: "Pending buyer answer",
          authorName: "Robin Q.",
          kind: "buyer",
          customerId: "1",
          status: "pending",
          createdAt: at(20),
        },
        {
          id: randomUUID(),
          shop,
          questionId: xss.id,
          body: "Hidden buyer answer",
          authorName: "Ann B.",
          kind: "buyer",
          customerId: "2",
          status: "hidden",
          createdAt: at(21),
        },
      ],
    });

    const response = await fetch(proxied(shop, { product_id: GRINDER.productId }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await response.json();
    expect(body).toMatchObject({ productId: GRINDER.productId, page: 1, pages: 2, count: 7 });
    expect(body.questions.map((q: { body: string }) => q.body)).toEqual(["Question 1", XSS_QUESTION, "Question 5", "Question 4", "Question 3"]);
    expect(body.questions[0]).toEqual({
      id: answered.id,
      body: "Question 1",
      author: "Sam",
      date: "2026-11-20",
      answers: [{ body: "Yes: <b>fine</b> enough & then some.", author: "Larch & Ember", kind: "store", date: new Date().toISOString().slice(0, 10) }],
    });
    expect(body.questions[1]).toMatchObject({ body: XSS_QUESTION, answers: [] }); // a JSON string, exactly as written
    const second = await (await fetch(proxied(shop, { product_id: GRINDER.productId, page: "2" }))).json();
    expect(second.questions.map((q: { body: string }) => q.body)).toEqual(["Question 2", "Question 0"]);

    const again = await fetch(proxied(shop, { product_id: GRINDER.productId }), { headers: { "If-None-Match": response.headers.get("etag")! } });
    expect(again.status).toBe(304);
    await again.body?.cancel();
    const bad = await fetch(proxied(shop, { product_id: GRINDER.productId, page: "0" }));
    expect(bad.status).toBe(400);
    await bad.body?.cancel();
  });
});

describe("moderation in the admin", () => {
  it("publishes and hides in bulk, answers as the store (publishing the question), moderates buyers' answers; another shop can touch none of it", async () => {
    const shop = await questionsShop(false);
    for (const question of [XSS_QUESTION, "Is the handle foldable?", "How long does a bag last?"]) await ask(shop, { question, name: XSS_NAME });
    const [xss, foldable, bag] = await db.question.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });

    const list = await adminFetch(app, shop, "/app/questions");
    const html = await list.text();
    expect(list.status).toBe(200);
    expect(html).toContain("3 waiting for you");
    expect(html).not.toContain('<img src=x onerror="window.__pwned = 1">'); // rendered escaped
    expect(html).toContain("&lt;img src=x onerror=");

    expect((await admin(shop, "/app/questions", { intent: "publish", id: [xss!.id, foldable!.id] })).status).toBe(200);
    expect(await db.question.count({ where: { shop, status: "published" } })).toBe(2);
    expect((await admin(shop, "/app/questions", { intent: "hide", id: [foldable!.id] })).status).toBe(200);
    expect((await admin(shop, "/app/questions", { intent: "delete", id: [bag!.id] })).status).toBe(400);

    expect((await admin(shop, `/app/questions/${bag!.id}`, { intent: "answer", answer: "  " })).status).toBe(400);
    expect((await admin(shop, `/app/questions/${bag!.id}`, { intent: "answer", answer: "About three weeks at two cups a day." })).status).toBe(200);
    expect(await db.question.findUniqueOrThrow({ where: { id: bag!.id } })).toMatchObject({ status: "published", answered: true });
    // Rewriting the store's answer keeps one answer (and tells the asker only once).
    await admin(shop, `/app/questions/${bag!.id}`, { intent: "answer", answer: "About three weeks at two cups a day, four if you're frugal." });
    expect(await db.questionAnswer.findMany({ where: { shop, questionId: bag!.id }, select: { body: true, kind: true } })).toEqual([
      { body: "About three weeks at two cups a day, four if you're frugal.", kind: "store" },
    ]);
    expect(await db.message.count({ where: { shop, flow: "question_answered" } })).toBe(1);

    const buyerAnswer = await db.questionAnswer.create({
      data: {
        id: randomUUID(),
        shop,
        questionId: xss!.id,
        body: "Top rack only, <i>in my experience</i>.",
        authorName: "Robin Q.",
        kind: "buyer",
        customerId: "55",
        status: "pending",
        createdAt: new Date(),
      },
    });
    const page = await (await adminFetch(app, shop, `/app/questions/${xss!.id}`)).text();
    expect(page).toContain("Top rack only, &lt;i&gt;in my experience&lt;/i&gt;.");
    expect(page).toContain("Robin Q., verified buyer");

    // Another shop knows the ids but finds nothing and changes nothing.
    const intruder = await questionsShop(false);
    expect((await adminFetch(app, intruder, `/app/questions/${xss!.id}`)).status).toBe(404);
    expect((await admin(intruder, `/app/questions/${xss!.id}`, { intent: "publish-answer", answerId: buyerAnswer.id })).status).toBe(404);
    expect((await admin(intruder, "/app/questions", { intent: "hide", id: [xss!.id] })).text).toContain('"changed":0');
    expect((await admin(intruder, `/app/questions/${xss!.id}`, { intent: "answer", answer: "Spam" })).status).toBe(404);

    expect((await admin(shop, `/app/questions/${bag!.id}`, { intent: "publish-answer", answerId: buyerAnswer.id })).status).toBe(404); // not that question's answer
    expect((await admin(shop, `/app/questions/${xss!.id}`, { intent: "publish-answer", answerId: buyerAnswer.id })).status).toBe(200);
    expect(await db.question.findUniqueOrThrow({ where: { id: xss!.id } })).toMatchObject({ status: "published", answered: true });
    expect((await admin(shop, `/app/questions/${xss!.id}`, { intent: "hide-answer", answerId: buyerAnswer.id })).status).toBe(200);
    expect(await db.question.findUniqueOrThrow({ where: { id: xss!.id } })).toMatchObject({ answered: false });
    await admin(shop, `/app/questions/${xss!.id}`, { intent: "publish-answer", answerId: buyerAnswer.id });
    expect(await db.message.count({ where: { shop, flow: "question_answered" } })).toBe(2); // once per answer, however often it is republished
  });
});

describe("verified buyers invited to answer", () => {
  /** A shop whose grinder was bought by several customers, and a logged-in buyer's question about it. */
  async function boughtByMany(inviteBuyers: boolean) {
    const shop = await questionsShop(inviteBuyers);
    const person = (first: string, last: string, marketing = "subscribed") => ({ ...customer(marketing), firstName: first, lastName: last });
    const buyers = {
      asker: person("Sam", "Asker"),
      newest: person("Maya", "Chen"),
      noConsent: person("Nico", "Nope", "not_subscribed"),
      unsubscribed: person("Uma", "Gone"),
      second: person("Robin", "Quill"),
      third: person("Ada", "Lovel"),
      oldest: person("Otto", "Old"),
    };
    const dates: Record<keyof typeof buyers, string> = {
      asker: "2026-11-15T12:00:00Z",
      newest: "2026-11-14T12:00:00Z",
      noConsent: "2026-11-13T12:00:00Z",
      unsubscribed: "2026-11-12T12:00:00Z",
      second: "2026-11-11T12:00:00Z",
      third: "2026-11-10T12:00:00Z",
      oldest: "2026-11-09T12:00:00Z",
    };
    for (const [key, who] of Object.entries(buyers)) await buys(shop, who, dates[key as keyof typeof buyers]);
    await buys(shop, person("Mo", "Mugonly"), "2026-11-16T12:00:00Z", [MUG]); // bought something else
    await db.unsubscribe.create({ data: { shop, email: buyers.unsubscribed.email, at: new Date(), source: "link" } });
    await ask(shop, { name: "Sam", email: buyers.asker.email, question: XSS_QUESTION }, { customerId: buyers.asker.id });
    const question = await db.question.findFirstOrThrow({ where: { shop } });
    return { shop, buyers, question };
  }

  it("invites the three most recent buyers who accepted marketing, never the asker, exactly once; the buyer answers on a phone; the asker hears of it once", async () => {
    const { shop, buyers, question } = await boughtByMany(true);
    await admin(shop, "/app/questions", { intent: "publish", id: question.id });
    await admin(shop, "/app/questions", { intent: "hide", id: question.id });
    await admin(shop, "/app/questions", { intent: "publish", id: question.id }); // published again: nobody new
    const invites = await db.message.findMany({ where: { shop, flow: "question_invite" }, orderBy: { customerId: "asc" } });
    expect(invites.map((m) => m.customerId).sort()).toEqual([buyers.newest.id, buyers.second.id, buyers.third.id].sort());
    expect(invites.every((m) => m.marketing && m.status === "scheduled")).toBe(true);

    // The worker sends them through SMTP, each with the question escaped and a signed link.
    const report = await runWorker(shop, tomorrowAfternoon());
    expect(report.sent).toBe(3);
    const [mail] = mailTo(buyers.newest.email);
    expect(mail!.subject).toBe("Can you help another shopper with the Hand Grinder?");
    expect(mail!.html).toContain("Is it dishwasher-safe? &lt;img src=x onerror=&#34;window.__pwned = 1&#34;&gt;&lt;script&gt;");
    expect(mail!.html).not.toContain("<img src=x");
    expect(mail!.text).toContain(XSS_QUESTION);
    expect(mail!.html).toContain("Maya C.");
    expect(rawHeader(mail!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(mailTo(buyers.asker.email)).toEqual([]);
    const answerLink = (html: string) => /href="https:\/\/aftercare\.test(\/answer\/[^"]+)"/.exec(html)![1]!;

    // Maya answers on her phone; script in the question stays inert.
    const { page, problems } = await openPage(browser, 390, 844);
    await page.goto(`${app.url}${answerLink(mail!.html as string)}`, { waitUntil: "networkidle" });
    expect(await page.getByRole("heading", { name: "A question about the Hand Grinder" }).isVisible()).toBe(true);
    expect(await page.getByText(XSS_QUESTION).isVisible()).toBe(true);
    expect(await page.getByText("Shown as “Maya C.”, verified buyer").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.locator("#answer").fill("Yes, <b>top rack</b> for two years now.");
    await screenshot(page, "shopper-answer-form-phone");
    await page.getByRole("button", { name: "Post my answer" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Thank you for your answer" }).isVisible()).toBe(true);
    await screenshot(page, "shopper-answer-thanks-phone");
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems.errors).toEqual([]);
    await page.context().close();
    const answer = await db.questionAnswer.findFirstOrThrow({ where: { shop, customerId: buyers.newest.id } });
    expect(answer).toMatchObject({ body: "Yes, <b>top rack</b> for two years now.", authorName: "Maya C.", kind: "buyer", status: "pending" });

    // One answer per buyer: the same link again (without JavaScript) says it is done.
    const again = await fetch(`${app.url}${answerLink(mail!.html as string)}`, { method: "POST", body: new URLSearchParams({ answer: "Second thoughts" }) });
    expect(await again.text()).toContain("You&#x27;ve answered this one");
    expect(await db.questionAnswer.count({ where: { shop, questionId: question.id } })).toBe(1);
    expect((await fetch(`${app.url}/answer/bm90LWEtdG9rZW4.bm9wZQ`)).status).toBe(404);

    // Nothing is shown nor sent to the asker until the merchant publishes the answer.
    expect(await runWorker(shop, tomorrowAfternoon())).toMatchObject({ sent: 0 });
    await admin(shop, `/app/questions/${question.id}`, { intent: "publish-answer", answerId: answer.id });
    await admin(shop, `/app/questions/${question.id}`, { intent: "hide-answer", answerId: answer.id });
    await admin(shop, `/app/questions/${question.id}`, { intent: "publish-answer", answerId: answer.id });
    expect(await runWorker(shop, tomorrowAfternoon())).toMatchObject({ sent: 1 });
    expect(await runWorker(shop, tomorrowAfternoon())).toMatchObject({ sent: 0 });
    const notices = mailTo(buyers.asker.email);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe("Your question about the Hand Grinder has an answer");
    expect(notices[0]!.html).toContain("Maya C., a verified buyer, answered:");
    expect(notices[0]!.html).toContain("Yes, &lt;b&gt;top rack&lt;/b&gt; for two years now.");
    expect(notices[0]!.html).toContain(`href="https://${shop}/products/hand-grinder"`);
    expect(notices[0]!.text).toContain("Yes, <b>top rack</b> for two years now.");
    expect((await db.questionAnswer.findUniqueOrThrow({ where: { id: answer.id } })).askerNotifiedAt).toBeInstanceOf(Date);
    const published = await (await fetch(proxied(shop, { product_id: GRINDER.productId }))).json();
    expect(published.questions[0].answers).toEqual([
      { body: "Yes, <b>top rack</b> for two years now.", author: "Maya C.", kind: "buyer", date: expect.any(String) },
    ]);

    // The emails as customers see them, on a desktop mail client and a phone.
    const invite = await db.message.findFirstOrThrow({ where: { shop, flow: "question_invite", customerId: buyers.newest.id } });
    const notice = await db.message.findFirstOrThrow({ where: { shop, flow: "question_answered" } });
    for (const [name, html] of [
      ["question_invite", invite.html!],
      ["question_answered", notice.html!],
    ] as const) {
      for (const width of [600, 375]) {
        const view = await openPage(browser, width, 800);
        await view.page.setContent(html, { waitUntil: "load" });
        expect(await view.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
        expect(await view.page.getByText("Unsubscribe from these emails").isVisible()).toBe(true);
        await screenshot(view.page, `email-${name}-${width}`);
        expect(view.problems.errors).toEqual([]);
        await view.page.context().close();
      }
    }
  });

  it("invites nobody when the shop does not ask buyers to answer", async () => {
    const { shop, question } = await boughtByMany(false);
    await admin(shop, "/app/questions", { intent: "publish", id: question.id });
    expect(await db.message.count({ where: { shop, flow: "question_invite" } })).toBe(0);
  });
});

describe("privacy", () => {
  it("customers/redact erases an anonymous asker's questions (by email) and a buyer's answers; data_request gathers them; shop/redact leaves nothing", async () => {
    const shop = await questionsShop(false);
    const asker = customer();
    const buyer = customer();
    await ask(shop, { email: asker.email, name: "Anon Asker", question: "Asked anonymously, with my email only" });
    await ask(shop, { email: "bystander@example.com", question: "Someone else's question" });
    const asked = (body: string) => db.question.findFirst({ where: { shop, body } });
    const [mine, theirs] = [await asked("Asked anonymously, with my email only"), await asked("Someone else's question")];
    await db.questionAnswer.create({
      data: {
        id: randomUUID(),
        shop,
        questionId: theirs!.id,
        body: "The buyer's own words",
        authorName: "Robin Q.",
        kind: "buyer",
        customerId: buyer.id,
        status: "published",
        createdAt: new Date(),
      },
    });
    await db.question.update({ where: { id: theirs!.id }, data: { status: "published", answered: true } });

    const request = (who: { id: string; email: string }, extra: object = {}) =>
      toShopifyJson({ shop_id: 1, shop_domain: shop, customer: { id: who.id, email: who.email }, orders_to_redact: [], ...extra });
    await deliver(app, "customers/data_request", request(asker, { data_request: { id: 77 } }), { shop });
    await deliver(app, "customers/data_request", request(buyer, { data_request: { id: 78 } }), { shop });
    const exports = await db.dataRequest.findMany({ where: { shop }, orderBy: { requestId: "asc" } });
    expect(JSON.parse(exports[0]!.export).questions).toMatchObject({
      questions: [{ body: "Asked anonymously, with my email only", askerEmail: asker.email }],
      answers: [],
    });
    expect(JSON.parse(exports[1]!.export).questions).toMatchObject({
      questions: [],
      answers: [{ body: "The buyer's own words", question: { body: "Someone else's question" } }],
    });

    await deliver(app, "customers/redact", request(asker), { shop });
    await deliver(app, "customers/redact", request(buyer), { shop });
    expect(await db.question.findUnique({ where: { id: mine!.id } })).toBeNull();
    expect(await db.questionAnswer.count({ where: { shop } })).toBe(0);
    expect(await db.question.findUniqueOrThrow({ where: { id: theirs!.id } })).toMatchObject({ answered: false }); // the bystander's question stays

    await deliver(app, "app/uninstalled", toShopifyJson({ id: 1, name: "Larch & Ember", domain: shop, myshopify_domain: shop }), { shop });
    await deliver(app, "shop/redact", toShopifyJson({ shop_id: 1, shop_domain: shop }), { shop }); // Shopify's, 48 h after the uninstall
    expect(await db.question.count({ where: { shop } })).toBe(0);
  });
});

// Pages a signed link plays no part in: looked at once, not again with the clock a year ahead.
describe.runIf(process.env.TEST_DATABASE !== "year-ahead")("the admin pages in Chromium", () => {
  it("lists questions with their views and answers one, on a desktop and a phone", async () => {
    const shop = await questionsShop(false);
    await ask(shop, { name: XSS_NAME, question: XSS_QUESTION });
    await ask(shop, { name: "Jordan", question: "How loud is it compared with an electric grinder?", product_id: MUG.productId });
    await ask(shop, { name: "Priya", question: "Can the burrs be replaced when they wear out?" });
    const [, , burrs] = await db.question.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
    await admin(shop, `/app/questions/${burrs!.id}`, { intent: "answer", answer: "Yes: replacement burr sets are on the spare parts page." });

    const { page, problems } = await openPage(browser, 1280, 900, { Authorization: `Bearer ${await sessionToken(shop)}` });
    await page.goto(`${app.url}/app/questions`, { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText("2 waiting for you").isVisible()).toBe(true);
    expect(await page.getByText(XSS_QUESTION).isVisible()).toBe(true); // shown as written, never as markup
    await screenshot(page, "admin-questions-desktop");
    await page.goto(`${app.url}/app/questions?show=unanswered`, { waitUntil: "networkidle" });
    await expect.poll(() => page.locator("tbody tr").count()).toBe(2);
    await page.getByText(XSS_QUESTION).click();
    await expect.poll(() => page.getByText("Your answer").isVisible()).toBe(true);
    await page.getByLabel("Answer").fill("Yes, top rack. The burrs come out for a rinse too.");
    await page.getByRole("button", { name: "Post answer" }).click();
    await expect.poll(() => page.getByText("Answer saved.").isVisible()).toBe(true);
    await screenshot(page, "admin-question-desktop");
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems.errors).toEqual([]);
    await page.context().close();

    const phone = await openPage(browser, 390, 844, { Authorization: `Bearer ${await sessionToken(shop)}` });
    await phone.page.goto(`${app.url}/app/questions`, { waitUntil: "networkidle" });
    await expect.poll(() => phone.page.getByText("How loud is it compared").first().isVisible()).toBe(true);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(phone.page, "admin-questions-phone");
    expect(phone.problems.errors).toEqual([]);
    await phone.page.context().close();
  });
});
