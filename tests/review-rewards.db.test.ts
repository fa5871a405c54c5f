// Rewards for published reviews, end to end: the review published (by the customer's
// auto-publish, the merchant, or in bulk) records one reward in the same transaction; the
// worker creates the discount code with discountCodeBasicCreate against Shopify's Admin API
// stood in for at the HTTP edge (answering as documented, keeping the discounts it holds); the
// reward email goes to a real SMTP server. Crashes, taken codes, refusals and throttling; the
// settings page saved and refused through real HTTP requests into the built app.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { rewardOwnersOf } from "~/modules/capability";
import { CAPABILITIES } from "~/modules/capabilities";
import { backoffDelayMs } from "~/modules/jobs/lease";
import { composeByFlow, dispatchDueMessages } from "~/modules/messaging/dispatch";
import { createMailer } from "~/modules/messaging/mailer";
import { signLink } from "~/modules/messaging/tokens";
import { eraseShop, gatherCustomerData, redactCustomer } from "~/modules/privacy";
import { setProgramStatus } from "~/modules/loyalty";
import { setReviewStatus } from "~/modules/reviews/moderation";
import { parseReviewSettings } from "~/modules/reviews/settings";
import { issueDueRewards, REWARD_BACKOFF } from "~/modules/rewards";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { adminFetch, installSession } from "./support/admin";
import { newId } from "./support/payloads";
import { rawHeader } from "./support/followups";
import { startSmtpSink, type SmtpSink } from "./support/smtp";
import {
  answerAdminGraphql,
  answerDiscountCalls,
  costExtension,
  JSON_REPLY,
  standInForShopify,
  throttled,
  type HeldDiscount,
  type HttpReply,
  type ShopifyEdge,
} from "./support/shopify-edge";

let app: RunningApp;
let edge: ShopifyEdge;
let smtp: SmtpSink;
beforeAll(async () => {
  [app, smtp] = await Promise.all([startApp(), startSmtpSink()]);
  edge = standInForShopify();
});
afterAll(async () => {
  await app?.close();
  await edge?.restore();
  await smtp?.close();
});

const NOW = new Date("2026-11-20T12:00:00Z"); // noon in the shop's zone (UTC): inside the send window
const later = (ms: number) => new Date(NOW.getTime() + ms);
const DAY = 86_400_000;
const CODE = /^THANKS-[2-9A-HJKMNP-Z]{6}$/;

const PERCENT_10 = { kind: "discount", valueType: "percentage", value: 10, expiresInDays: 30 };

async function shopOffering(reward: object, currency = "USD") {
  const shop = uniqueShop("rewards");
  await installSession(shop);
  await db.shop.create({
    data: {
      shop,
      name: "Larch & Ember",
      contactEmail: "hello@larch.test",
      currency,
      timezone: "UTC",
      installedAt: NOW,
      settings: JSON.stringify({ reviews: { reward } }),
    },
  });
  return shop;
}

type ReviewOptions = {
  rating?: number;
  email?: string | null;
  orderEmail?: string | null;
  source?: string;
  withCustomer?: boolean;
  status?: string;
  verified?: boolean;
};
/** A customer, their order and their review of it, waiting for the merchant. */
async function reviewBy(shop: string, options: ReviewOptions = {}) {
  const customerId = options.withCustomer === false ? null : newId();
  const orderId = newId();
  const email = options.email === undefined ? `robin.${randomUUID().slice(0, 6)}@example.com` : options.email;
  if (customerId) await db.customer.create({ data: { shop, id: customerId, email, firstName: "Robin", lastName: "Quill" } });
  await db.order.create({
    data: {
      shop,
      id: orderId,
      name: "#1001",
      customerId,
      email: options.orderEmail ?? null,
      currency: "USD",
      totalMinor: 4200,
      processedAt: NOW,
      shopifyUpdatedAt: NOW,
    },
  });
  const id = randomUUID();
  await db.review.create({
    data: {
      id,
      shop,
      productId: "7001",
      productTitle: "Ember Blend <250 g>",
      orderId,
      customerId,
      rating: options.rating ?? 4,
      body: "Rich & smooth.",
      authorName: "Robin Q.",
      verified: options.verified ?? true,
      source: options.source ?? "email",
      status: options.status ?? "pending",
      createdAt: NOW,
      publishedAt: options.status === "published" ? NOW : null,
    },
  });
  return { id, customerId, orderId, email };
}

type CreateVariables = {
  discount: {
    title: string;
    code: string;
    startsAt: string;
    endsAt: string;
    context: { customers: { add: string[] } };
    customerGets: { value: { percentage?: number; discountAmount?: { amount: string; appliesOnEachItem: boolean } }; items: { all: boolean } };
    appliesOncePerCustomer: boolean;
    usageLimit: number;
  };
};
type Reply = HttpReply;
const ok = (data: object): Reply => ({ statusCode: 200, data: { data, extensions: costExtension() }, responseOptions: JSON_REPLY });
const THROTTLED: Reply = {
  statusCode: 200,
  data: throttled(),
  responseOptions: JSON_REPLY,
};
const TOO_MANY_REQUESTS: Reply = {
  statusCode: 429,
  data: { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." },
  responseOptions: { headers: { ...JSON_REPLY.headers, "retry-after": "2.0" } },
};

/**
 * The shop's discounts as Shopify keeps them: discountCodeBasicCreate adds one (or answers
 * TAKEN for a code it holds), codeDiscountNodeByCode finds one by its code (case-insensitive).
 * `createReplies[n]`, when given, answers the n-th create call instead (it may still `hold` it).
 */
function shopifyDiscounts(shop: string, createReplies: ((variables: CreateVariables, hold: (v: CreateVariables) => Reply) => Reply)[] = []) {
  const held: HeldDiscount[] = [];
  const creates: CreateVariables[] = [];
  const lookups: string[] = [];
  const hold = (variables: CreateVariables): Reply => ({
    statusCode: 200,
    data: answerDiscountCalls(held, { query: "mutation CreateCodeDiscount", variables })!,
    responseOptions: JSON_REPLY,
  });
  answerAdminGraphql(edge, shop, (body) => {
    if (/mutation CreateCodeDiscount/.test(body.query)) {
      const variables = body.variables as CreateVariables;
      creates.push(variables);
      const custom = createReplies[creates.length - 1];
      return custom ? custom(variables, hold) : hold(variables);
    }
    if (/query DiscountByCode/.test(body.query)) {
      lookups.push(String(body.variables.code));
      return answerDiscountCalls(held, body)!;
    }
    throw new Error(`unexpected Admin API call: ${body.query}`);
  });
  return { held, creates, lookups };
}

const issue = (shop: string, at: Date) => issueDueRewards(at, { shop, owners: rewardOwnersOf(CAPABILITIES) });
async function send(shop: string, at: Date) {
  const mailer = createMailer(smtp.url);
  try {
    return await dispatchDueMessages({ shop, now: at, compose: composeByFlow(CAPABILITIES), mailer });
  } finally {
    mailer.close(); // an open pooled connection would keep the SMTP server from closing
  }
}
const rewardOf = (shop: string, reviewId: string) => db.reward.findUnique({ where: { shop_sourceKey: { shop, sourceKey: `review:${reviewId}` } } });
const mailsTo = (address: string) => smtp.received.filter((mail) => mail.envelopeTo.includes(address));

async function merchantPublishes(shop: string, id: string, intent: "publish" | "hide" = "publish") {
  const response = await adminFetch(app, shop, `/app/reviews/${id}?_data=${encodeURIComponent("routes/app.reviews_.$id")}`, {
    method: "POST",
    body: new URLSearchParams({ intent }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

async function reviewPage(shop: string, id: string): Promise<string> {
  const response = await adminFetch(app, shop, `/app/reviews/${id}`);
  expect(response.status).toBe(200);
  return response.text();
}

describe("a reward for a published review", () => {
  it("a 1-star review published twice at once earns one code, created once by two workers, and one email", async () => {
    const shop = await shopOffering(PERCENT_10);
    const discounts = shopifyDiscounts(shop);
    const { id, customerId, email } = await reviewBy(shop, { rating: 1 });

    await Promise.all([merchantPublishes(shop, id), merchantPublishes(shop, id)]);
    expect(await db.reward.count({ where: { shop } })).toBe(1);
    expect(await rewardOf(shop, id)).toMatchObject({
      status: "recorded",
      customerId,
      valueType: "percentage",
      value: 10,
      currency: "USD",
      expiresInDays: 30,
      code: null,
    });
    expect(await reviewPage(shop, id)).toContain("Reward waiting: the discount code is being created.");

    const reports = await Promise.all([issue(shop, NOW), issue(shop, NOW)]);
    expect(reports.map((r) => r.issued).sort()).toEqual([0, 1]);
    expect(discounts.creates).toHaveLength(1);
    expect(discounts.creates[0]).toEqual({
      discount: {
        title: "Thanks for your review",
        code: expect.stringMatching(CODE),
        startsAt: NOW.toISOString(),
        endsAt: later(30 * DAY).toISOString(),
        context: { customers: { add: [`gid://shopify/Customer/${customerId}`] } },
        customerGets: { value: { percentage: 0.1 }, items: { all: true } },
        appliesOncePerCustomer: true,
        usageLimit: 1,
      },
    });
    const code = discounts.creates[0]!.discount.code;
    const reward = await rewardOf(shop, id);
    expect(reward).toMatchObject({ status: "issued", code, shopifyId: discounts.held[0]!.id, endsAt: later(30 * DAY), issuedAt: NOW, leaseOwner: null });

    await Promise.all([send(shop, NOW), send(shop, NOW)]);
    const mails = mailsTo(email!);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toBe("Thanks for your review — here is 10% off your next order");
    expect(mail!.from?.value[0]).toMatchObject({ name: "Larch & Ember" });
    expect(mail!.html).toContain(`>${code}</div>`);
    expect(mail!.html).toContain("Ember Blend &lt;250 g&gt;"); // the product title, escaped
    expect(mail!.html).toContain(`href="https://${shop}/discount/${code}"`);
    expect(mail!.text).toContain(code);
    expect(mail!.text).toContain("10% off everything · valid until Dec 20, 2026");
    expect(mail!.text).toContain(`Shop with your code: https://${shop}/discount/${code}`);
    expect(mail!.text).toMatch(/Unsubscribe: https:\/\/aftercare\.test\/unsubscribe\//);
    expect(rawHeader(mail!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(await db.message.findFirst({ where: { shop, flow: "review_reward" } })).toMatchObject({ status: "sent", marketing: false, customerId });
    expect(await reviewPage(shop, id)).toContain(`Code ${code} sent on Nov 20, 12:00 PM`);

    // Hidden, then published again: the reward stays, and nothing new is earned or created.
    await merchantPublishes(shop, id, "hide");
    await merchantPublishes(shop, id);
    expect(await db.reward.count({ where: { shop } })).toBe(1);
    expect(await rewardOf(shop, id)).toMatchObject({ status: "issued", code });
    expect(await issue(shop, later(DAY))).toEqual({ issued: 0, retrying: 0, refused: 0, held: 0 });
    await send(shop, later(DAY));
    expect(discounts.creates).toHaveLength(1);
    expect(mailsTo(email!)).toHaveLength(1);
  });

  it("the rating plays no part: 1 and 5 stars published in bulk earn the same fixed amount in the shop's currency", async () => {
    const shop = await shopOffering({ kind: "discount", valueType: "fixed_amount", value: 550, expiresInDays: 14 }, "EUR");
    const discounts = shopifyDiscounts(shop);
    const low = await reviewBy(shop, { rating: 1 });
    const high = await reviewBy(shop, { rating: 5 });
    expect(await setReviewStatus(shop, [low.id, high.id], "published", NOW)).toBe(2);
    const [a, b] = await Promise.all([rewardOf(shop, low.id), rewardOf(shop, high.id)]);
    const terms = (r: typeof a) => ({ valueType: r!.valueType, value: r!.value, currency: r!.currency, expiresInDays: r!.expiresInDays, status: r!.status });
    expect(terms(a)).toEqual(terms(b));

    expect(await issue(shop, NOW)).toMatchObject({ issued: 2 });
    const sent = discounts.creates.map(({ discount }) => ({ ...discount, code: "", context: null }));
    expect(sent[0]).toEqual(sent[1]);
    expect(sent[0]!.customerGets).toEqual({ value: { discountAmount: { amount: "5.50", appliesOnEachItem: false } }, items: { all: true } });
    await send(shop, NOW);
    expect(mailsTo(low.email!)[0]!.subject).toBe("Thanks for your review — here is €5.50 off your next order");
    expect(mailsTo(high.email!)[0]!.subject).toBe("Thanks for your review — here is €5.50 off your next order");
  });

  it("auto-published at submission through the review page: recorded at once, and the thank-you says a code is coming", async () => {
    const shop = await shopOffering(PERCENT_10);
    const { customerId, orderId } = await reviewBy(shop);
    await db.review.deleteMany({ where: { shop } }); // only the order: the customer writes the review now
    await db.lineItem.create({ data: { shop, id: newId(), orderId, productId: "7002", title: "Larch Mug", quantity: 1, priceMinor: 2400 } });
    const request = await db.message.create({
      data: {
        id: randomUUID(),
        shop,
        key: `order:${orderId}:review_request:0`,
        flow: "review_request",
        orderId,
        customerId,
        dueAt: NOW,
        status: "sent",
        productIds: JSON.stringify(["7002"]),
      },
    });
    const token = signLink({ shop, message: request.id, purpose: "review", expires: Date.now() + DAY });
    const form = new FormData();
    for (const [name, value] of Object.entries({ rating: "5", title: "", body: "Holds heat for ages.", authorName: "Robin Q." })) form.set(name, value);
    // Encoded up front: the Shopify stand-in's dispatcher passes local requests through, but not a streamed FormData body.
    const encoded = new Request(app.url, { method: "POST", body: form });
    const response = await fetch(`${app.url}/review/${token}?product=7002`, {
      method: "POST",
      headers: { "Content-Type": encoded.headers.get("content-type")! },
      body: await encoded.arrayBuffer(),
    });
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain("It&#x27;s live on the store now");
    expect(page).toContain("As a thank-you, we&#x27;ll email you a 10% discount code for your next order.");
    const review = await db.review.findFirstOrThrow({ where: { shop, productId: "7002" } });
    expect(review.status).toBe("published");
    expect(await rewardOf(shop, review.id)).toMatchObject({ status: "recorded", customerId, orderId });
  });

  it("in loyalty points: posted once at the publish, no code and no email; nothing while the loyalty program is off", async () => {
    const shop = await shopOffering({ kind: "points", points: 75 });
    const review = await reviewBy(shop, { rating: 2 });
    expect(await setReviewStatus(shop, [review.id], "published", NOW)).toBe(1);
    expect(await db.loyaltyEntry.count({ where: { shop } })).toBe(0); // the loyalty program is off
    const launched = await shopOffering({ kind: "points", points: 75 });
    await setProgramStatus(launched, "live");
    const first = await reviewBy(launched, { rating: 2 });
    expect(await setReviewStatus(launched, [first.id], "published", NOW)).toBe(1);
    await setReviewStatus(launched, [first.id], "hidden", NOW);
    await setReviewStatus(launched, [first.id], "published", NOW);
    const customerId = (await db.review.findUniqueOrThrow({ where: { id: first.id } })).customerId!;
    expect(await db.loyaltyEntry.findMany({ where: { shop: launched }, select: { customerId: true, kind: true, balanceDelta: true, reason: true } })).toEqual([
      { customerId, kind: "bonus", balanceDelta: 75, reason: "Thank you for your review" },
    ]);
    expect(await db.reward.count({ where: { shop: launched } })).toBe(0);
  });

  it("earns nothing: imported, no customer, no address, not a verified buyer, or no reward offered", async () => {
    const shop = await shopOffering(PERCENT_10);
    const imported = await reviewBy(shop, { source: "import" });
    // A logged-in shopper's storefront review of something they did not buy.
    const unverified = await reviewBy(shop, { source: "storefront", verified: false });
    const anonymous = await reviewBy(shop, { withCustomer: false, orderEmail: "guest@example.com" });
    const noAddress = await reviewBy(shop, { email: null });
    const orderAddressOnly = await reviewBy(shop, { email: null, orderEmail: "order-only@example.com" });
    await setReviewStatus(shop, [imported.id, unverified.id, anonymous.id, noAddress.id, orderAddressOnly.id], "published", NOW);
    expect((await db.reward.findMany({ where: { shop } })).map((r) => r.sourceKey)).toEqual([`review:${orderAddressOnly.id}`]);

    const without = await shopOffering({ kind: "none" });
    const plain = await reviewBy(without);
    await setReviewStatus(without, [plain.id], "published", NOW);
    expect(await db.reward.count({ where: { shop: without } })).toBe(0);
    // Published before rewards were offered: publishing it again later earns nothing either.
    await db.shop.update({ where: { shop: without }, data: { settings: JSON.stringify({ reviews: { reward: PERCENT_10 } }) } });
    await setReviewStatus(without, [plain.id], "hidden", NOW);
    await setReviewStatus(without, [plain.id], "published", NOW);
    expect(await db.reward.count({ where: { shop: without } })).toBe(0);
  });
});

describe("creating the code in Shopify", () => {
  it("a worker whose answer from Shopify was lost after the code was created adopts that code instead of creating a second", async () => {
    const shop = await shopOffering(PERCENT_10);
    // Shopify creates the discount, and the worker never hears back (it died, or the answer was lost).
    const discounts = shopifyDiscounts(shop, [
      (variables, hold) => (hold(variables), { statusCode: 503, data: { errors: "Service unavailable" }, responseOptions: JSON_REPLY }),
    ]);
    const { id } = await reviewBy(shop);
    await setReviewStatus(shop, [id], "published", NOW);
    expect(await issue(shop, NOW)).toEqual({ issued: 0, retrying: 1, refused: 0, held: 0 });
    const stored = await rewardOf(shop, id);
    expect(stored).toMatchObject({
      status: "issuing",
      attempts: 1,
      code: discounts.creates[0]!.discount.code,
      retryAt: later(backoffDelayMs(REWARD_BACKOFF, 1)),
    });
    expect(discounts.held).toHaveLength(1);

    expect(await issue(shop, later(backoffDelayMs(REWARD_BACKOFF, 1)))).toMatchObject({ issued: 1 });
    expect(discounts.creates).toHaveLength(1); // looked up, not created again
    expect(discounts.lookups).toEqual([stored!.code]);
    expect(await rewardOf(shop, id)).toMatchObject({ status: "issued", code: stored!.code, shopifyId: discounts.held[0]!.id, endsAt: later(30 * DAY) });
    expect(await db.message.count({ where: { shop, flow: "review_reward" } })).toBe(1);
  });

  it("a code another discount holds is replaced by a new one; another refusal is recorded and shown to the merchant", async () => {
    const shop = await shopOffering(PERCENT_10);
    const discounts = shopifyDiscounts(shop, [
      // The merchant's own discount already has the code this worker chose.
      (variables, hold) => hold({ discount: { ...variables.discount, context: { customers: { add: ["gid://shopify/Customer/1"] } } } }) && hold(variables),
    ]);
    const { id } = await reviewBy(shop);
    await setReviewStatus(shop, [id], "published", NOW);
    expect(await issue(shop, NOW)).toMatchObject({ issued: 1 });
    const [first, second] = discounts.creates.map((c) => c.discount.code);
    expect(second).not.toBe(first);
    expect(await rewardOf(shop, id)).toMatchObject({ status: "issued", code: second });

    const refusing = await shopOffering(PERCENT_10);
    const refusals = shopifyDiscounts(refusing, [
      () =>
        ok({
          discountCodeBasicCreate: {
            codeDiscountNode: null,
            userErrors: [{ field: ["basicCodeDiscount", "context"], code: "INVALID", message: "Customer does not exist" }],
          },
        }),
    ]);
    const refused = await reviewBy(refusing);
    await setReviewStatus(refusing, [refused.id], "published", NOW);
    expect(await issue(refusing, NOW)).toEqual({ issued: 0, retrying: 0, refused: 1, held: 0 });
    expect(await rewardOf(refusing, refused.id)).toMatchObject({ status: "refused", lastError: "Customer does not exist" });
    expect(await issue(refusing, later(DAY))).toEqual({ issued: 0, retrying: 0, refused: 0, held: 0 }); // not tried again
    expect(refusals.creates).toHaveLength(1);
    expect(await reviewPage(refusing, refused.id)).toContain("Reward failed: Customer does not exist");
  });

  it("waits with growing pauses while Shopify throttles (THROTTLED, then HTTP 429), then creates the code once", async () => {
    const shop = await shopOffering(PERCENT_10);
    const discounts = shopifyDiscounts(shop, [() => THROTTLED, () => TOO_MANY_REQUESTS]);
    const { id } = await reviewBy(shop);
    await setReviewStatus(shop, [id], "published", NOW);

    expect(await issue(shop, NOW)).toEqual({ issued: 0, retrying: 1, refused: 0, held: 0 });
    expect(await rewardOf(shop, id)).toMatchObject({ status: "issuing", attempts: 1, retryAt: later(60_000), lastError: expect.stringMatching(/Throttled/) });
    expect(await issue(shop, later(30_000))).toEqual({ issued: 0, retrying: 0, refused: 0, held: 0 }); // still resting
    expect(discounts.creates).toHaveLength(1);

    expect(await issue(shop, later(60_000))).toEqual({ issued: 0, retrying: 1, refused: 0, held: 0 });
    expect(await rewardOf(shop, id)).toMatchObject({ attempts: 2, retryAt: later(60_000 + 120_000), lastError: expect.stringMatching(/throttling/i) });

    expect(await issue(shop, later(180_000))).toMatchObject({ issued: 1 });
    expect(discounts.creates).toHaveLength(3);
    expect(discounts.held).toHaveLength(1);
    expect(await rewardOf(shop, id)).toMatchObject({ status: "issued", attempts: 2, lastError: null });
  });
});

describe("privacy", () => {
  it("customers/redact erases a customer's rewards, data_request gathers them, shop/redact leaves none", async () => {
    const shop = await shopOffering(PERCENT_10);
    shopifyDiscounts(shop);
    const mine = await reviewBy(shop);
    const theirs = await reviewBy(shop);
    await setReviewStatus(shop, [mine.id, theirs.id], "published", NOW);
    await issue(shop, NOW);
    const request = { customerId: mine.customerId, email: mine.email, phone: null, orderIds: [mine.orderId], requestId: "9999" };

    await db.$transaction((tx) => gatherCustomerData(tx, shop, request, NOW, CAPABILITIES));
    const exported = JSON.parse((await db.dataRequest.findFirstOrThrow({ where: { shop } })).export) as { reviewRewards: { code: string }[] };
    expect(exported.reviewRewards).toEqual([expect.objectContaining({ code: (await rewardOf(shop, mine.id))!.code, valueType: "percentage", value: 10 })]);

    await db.$transaction((tx) => redactCustomer(tx, shop, request, CAPABILITIES));
    expect(await rewardOf(shop, mine.id)).toBeNull();
    expect(await rewardOf(shop, theirs.id)).not.toBeNull();

    await db.$transaction((tx) => eraseShop(tx, shop));
    expect(await db.reward.count({ where: { shop } })).toBe(0);
  });
});

describe("the review settings page", () => {
  const DATA = `?_data=${encodeURIComponent("routes/app.reviews_.settings")}`;
  const post = async (shop: string, body: object) => {
    const response = await adminFetch(app, shop, `/app/reviews/settings${DATA}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const form = { minRating: "5", holdLinks: true, reward: "discount", valueType: "fixed_amount", value: "7.50", expiresInDays: "45", inviteBuyers: true };

  it("shows the sections, saves a valid form and keeps the shop's other settings", async () => {
    const shop = await shopOffering({ kind: "none" }, "EUR");
    await db.shop.update({ where: { shop }, data: { settings: JSON.stringify({ followups: { sendWindow: { from: 8, to: 18 } }, reviews: {} }) } });
    const page = await adminFetch(app, shop, "/app/reviews/settings");
    const html = await page.text();
    expect(page.status).toBe(200);
    for (const text of ["Publishing", "Reward for a review", "Questions", "Hold reviews that contain links for a look first", "4 and 5 stars"])
      expect(html).toContain(text);

    const saved = await post(shop, form);
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ saved: true, form: { ...form, value: "7.50" } });
    const stored = await db.shop.findUniqueOrThrow({ where: { shop } });
    expect(parseReviewSettings(stored.settings)).toEqual({
      publish: { minRating: 5, holdLinks: true },
      reward: { kind: "discount", valueType: "fixed_amount", value: 750, expiresInDays: 45 },
      questions: { inviteBuyers: true },
    });
    expect(JSON.parse(stored.settings).followups).toEqual({ sendWindow: { from: 8, to: 18 } });

    // Never publish by itself, no reward: saved as asked.
    expect((await post(shop, { ...form, minRating: "6", reward: "none", inviteBuyers: false })).status).toBe(200);
    expect(parseReviewSettings((await db.shop.findUniqueOrThrow({ where: { shop } })).settings)).toMatchObject({
      publish: { minRating: 6 },
      reward: { kind: "none" },
      questions: { inviteBuyers: false },
    });
  });

  it("refuses a bad form with a message per field and changes nothing", async () => {
    const shop = await shopOffering(PERCENT_10, "JPY");
    const before = (await db.shop.findUniqueOrThrow({ where: { shop } })).settings;
    const cases: [object, Record<string, string>][] = [
      [
        { ...form, valueType: "percentage", value: "150", expiresInDays: "3" },
        { value: "Enter a whole percentage from 1 to 100.", expiresInDays: "Enter a number of days from 7 to 365." },
      ],
      [{ ...form, value: "5.5" }, { value: "Enter an amount from ¥1 to ¥10,000,000, in whole units." }],
      [
        { ...form, value: "ten", minRating: "2" },
        { value: "Enter an amount from ¥1 to ¥10,000,000, in whole units.", minRating: "Choose which reviews go live by themselves." },
      ],
    ];
    for (const [body, errors] of cases) {
      const refused = await post(shop, body);
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({ saved: false, errors, message: "Nothing was saved: fix what is marked below." });
    }
    const unreadable = await adminFetch(app, shop, `/app/reviews/settings${DATA}`, {
      method: "POST",
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(unreadable.status).toBe(400);
    await unreadable.text();
    expect((await db.shop.findUniqueOrThrow({ where: { shop } })).settings).toBe(before);
  });
});
