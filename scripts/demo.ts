// `npm run demo`: the app end to end, offline, with no Shopify account. A fresh SQLite
// database, the real built server, the demo shop installed through the real token-exchange
// path (Shopify's servers stood in for at the HTTP edge), then a day of HMAC-signed webhooks
// through the real endpoints. Keeps serving so the admin can be opened in a browser.
//   --port <n>   listen there (default PORT or 3000; 0 picks a free port)
//   --exit       replay the day, print the summary, and stop (used by the test suite)
//   --now <ISO>  take this as the real time (the suite proves the demo at any hour with it)
// The demo runs on its own clock: the day it replays is four weeks ago, each webhook sent at
// its moment, and the worker run at chosen hours of the shop's day, so every flow is due and
// inside the send window whatever the hour is where it runs.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

if (process.env.NODE_ENV === "production") {
  console.error("The demo stands in for Shopify and signs its own session tokens: it refuses to run with NODE_ENV=production.");
  process.exit(1);
}

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: options } = parseArgs({
  options: { port: { type: "string", default: process.env.PORT ?? "3000" }, exit: { type: "boolean", default: false }, now: { type: "string" } },
});
const realNow = options.now ? new Date(options.now) : new Date();
if (Number.isNaN(realNow.getTime())) {
  console.error(`--now must be an ISO time, e.g. 2026-11-30T03:00:00Z (got ${options.now})`);
  process.exit(1);
}
const dataDir = join(root, ".demo");
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

Object.assign(process.env, {
  NODE_ENV: "development",
  DATABASE_URL: `file:${join(dataDir, "demo.sqlite")}`,
  SHOPIFY_API_KEY: "aftercare-demo",
  SHOPIFY_API_SECRET: randomBytes(24).toString("hex"),
  SHOPIFY_LOG_LEVEL: "error",
});

function step(label: string, run: () => void) {
  const started = Date.now();
  run();
  console.log(`✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

step("fresh SQLite database at .demo/demo.sqlite", () => {
  const result = spawnSync(process.execPath, ["scripts/setup-db.mjs"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    process.exit(result.status ?? 1);
  }
});
const { buildIfStale } = await import("./build-if-stale.mjs");
step("app build is current", () => buildIfStale());

const { getJwt } = await import("@shopify/shopify-api/test-helpers");
const { ACCESS_SCOPES } = await import("../app/modules/shopify-admin/scopes");
const { replyToInstall, replyToProductQueries, standInForShopify } = await import("../dev/shopify/admin");
type HeldDiscount = import("../dev/shopify/admin").HeldDiscount;
const { CATALOGUE, DEMO_PROFILE, DEMO_SHOP, LISTINGS, REORDER_DAYS } = await import("./demo/store");
const { replayDay } = await import("./demo/day");
const { instantAt, localTime } = await import("../app/modules/messaging/timing");
const { now, setNow } = await import("../app/modules/clock");

/** What App Bridge adds inside Shopify admin: a fresh session token on every admin request. */
async function asShopifyAdmin(request: Request): Promise<Request> {
  const path = new URL(request.url).pathname;
  if (!(path === "/app" || path.startsWith("/app/")) || request.headers.has("authorization")) return request;
  const { token } = await getJwt(DEMO_SHOP.replace(".myshopify.com", ""), process.env.SHOPIFY_API_KEY!, process.env.SHOPIFY_API_SECRET!);
  const headers = new Headers(request.headers);
  headers.set("authorization", `Bearer ${token}`);
  return new Request(request, { headers, duplex: "half" } as RequestInit);
}

/** The app must know its own URL before it loads, so a requested port 0 is resolved first. */
async function choosePort(requested: number): Promise<number> {
  if (requested !== 0) return requested;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
const port = await choosePort(Number(options.port));
const url = `http://localhost:${port}`;
process.env.SHOPIFY_APP_URL = url;

const shopify = standInForShopify();
replyToInstall(shopify, { shop: DEMO_SHOP, scopes: ACCESS_SCOPES.join(","), profile: DEMO_PROFILE });
// The product suggestions read the shop's catalogue through the Admin API.
const shopifyDiscounts: HeldDiscount[] = [];
const shopifyMetafields = replyToProductQueries(shopify, DEMO_SHOP, LISTINGS, undefined, shopifyDiscounts);

const { createAppServer } = await import("../server/http");
const server = await createAppServer({ buildDir: fileURLToPath(new URL("../build", import.meta.url)), wrapRequest: asShopifyAdmin });
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const app = { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };

/** 08:00 in the shop's time zone, four weeks before the real date: the weeks after it have all happened. */
function morningFourWeeksAgo(zone: string): Date {
  const day = localTime(new Date(realNow.getTime() - 28 * 24 * 3600_000), zone);
  return instantAt(zone, day.year, day.month, day.day, 8);
}
const opensAt = morningFourWeeksAgo(DEMO_PROFILE.ianaTimezone);
const shopHour = (day: number, hour: number) => new Date(opensAt.getTime() + day * 24 * 3600_000 + (hour - 8) * 3600_000);
setNow(new Date(opensAt.getTime() - 3600_000)); // installed an hour before the day opens
// The merchant opens the app from their admin: token exchange, then afterAuth reads the shop.
const install = await fetch(`${url}/app`, { headers: { "User-Agent": "Mozilla/5.0 Chrome/140 (demo)" } });
await install.body?.cancel();
if (install.status !== 200) throw new Error(`Installing the demo shop answered ${install.status}`);
console.log(`✓ ${DEMO_PROFILE.name} (${DEMO_SHOP}) installed`);

// The merchant works through the admin's own routes, as App Bridge would send them.
const merchant = (path: string, body: URLSearchParams | object) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "User-Agent": "Mozilla/5.0 Chrome/140 (demo)", ...(body instanceof URLSearchParams ? {} : { "Content-Type": "application/json" }) },
    body: body instanceof URLSearchParams ? body : JSON.stringify(body),
  }).then(async (response) => {
    await response.body?.cancel();
    if (response.status !== 200) console.error(`✗ The merchant's request to ${path} was answered ${response.status}`);
  });
// The merchant launches the loyalty program with its defaults, before the day's orders.
await merchant("/app/loyalty", new URLSearchParams({ intent: "launch" }));
console.log("✓ the merchant launched the loyalty program: 1 point per $1.00, approved 14 days after delivery, $5.00 off for 500 points");
await merchant("/app/referrals", new URLSearchParams({ intent: "launch" }));
console.log("✓ the merchant launched the referral program: a friend gets 10% off a first order, the customer 500 points once it stands");

// The merchant tells the re-order reminder how long a bag of coffee lasts.
const { saveMerchantIntervals } = await import("../app/modules/followups/replenishment");
const titles = Object.fromEntries(Object.values(CATALOGUE).map((p) => [p.productId, p.title]));
await saveMerchantIntervals(DEMO_SHOP, REORDER_DAYS, titles);
console.log(
  `✓ the merchant set re-order intervals: ${Object.entries(REORDER_DAYS)
    .map(([id, days]) => `${titles[id]} ${days} days`)
    .join(", ")}`,
);

const sent = await replayDay(app, DEMO_SHOP, opensAt);
// The web tier only stored the deliveries; the worker applies them (in this process for the demo)
// and sends what is already due that evening: the thank-yous of the day's orders.
const { runWorker } = await import("../app/jobs/worker");
const { CAPABILITIES } = await import("../app/modules/capabilities");
const applied = await runWorker(CAPABILITIES, { once: true, now: shopHour(0, 18) });
console.log(`✓ the worker applied ${applied.deliveries} stored deliveries`);

const { default: db } = await import("../app/db.server");
const outcomes = new Map(
  (await db.webhookDelivery.findMany({ where: { shop: DEMO_SHOP }, select: { webhookId: true, outcome: true, detail: true } })).map((d) => [d.webhookId, d]),
);
const clock = new Intl.DateTimeFormat("en-US", { timeZone: DEMO_PROFILE.ianaTimezone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" });
const seen = new Set<string>();
console.log(`\nA day at ${DEMO_PROFILE.name}, replayed as ${sent.length} signed webhooks (shop time, ${DEMO_PROFILE.ianaTimezone}):\n`);
for (const delivery of sent) {
  const recorded = outcomes.get(delivery.webhookId);
  const outcome = seen.has(delivery.webhookId) ? "duplicate, ignored" : `${recorded?.outcome ?? "not recorded"}: ${recorded?.detail ?? ""}`;
  seen.add(delivery.webhookId);
  console.log(`  ${clock.format(delivery.at)}  ${delivery.topic.padEnd(22)} ${delivery.status}  ${delivery.what}`);
  console.log(`  ${" ".repeat(35)}↳ ${outcome}`);
}
const counts = {
  customers: await db.customer.count({ where: { shop: DEMO_SHOP } }),
  orders: await db.order.count({ where: { shop: DEMO_SHOP } }),
  fulfillments: await db.fulfillment.count({ where: { shop: DEMO_SHOP } }),
  refunds: await db.refund.count({ where: { shop: DEMO_SHOP } }),
};
console.log(`\nThe app now holds ${counts.customers} customers, ${counts.orders} orders, ${counts.fulfillments} fulfillments and ${counts.refunds} refunds.`);

// The weeks after the day: the worker runs at moments in the future (the clock moves), and
// the follow-ups come due: thank-yous, check-ins, review requests, surveys.
const { emailFlowName } = await import("../app/modules/capabilities");
const checkpoints = [
  { day: 3, label: "two days later" },
  { day: 6, label: "five days on" },
  { day: 9, label: "a week on" },
  { day: 17, label: "after two weeks" },
  { day: 20, label: "three weeks on" },
  { day: 27, label: "four weeks on" },
];
console.log(`\nThe weeks after, with the worker run as if it were then (mail goes to the outbox: no SMTP_URL):`);
const printed = new Set<string>();
for (const { day, label } of [{ day: 0, label: "that evening, for the day's orders" }, ...checkpoints]) {
  const at = day === 0 ? shopHour(0, 18) : shopHour(day, 11);
  if (day > 0) await runWorker(CAPABILITIES, { once: true, now: at });
  const fresh = (await db.message.findMany({ where: { shop: DEMO_SHOP, sentAt: { not: null } }, orderBy: { sentAt: "asc" } })).filter(
    (m) => !printed.has(m.id),
  );
  for (const message of fresh) printed.add(message.id);
  console.log(`\n  ${label} (${clock.format(at)}, ${at.toISOString().slice(0, 10)}):`);
  for (const message of fresh) {
    const flow = emailFlowName(message.flow);
    console.log(`    ✉ ${flow.padEnd(18)} to ${message.toAddress!.padEnd(28)} “${message.subject}”`);
  }
  if (fresh.length === 0) console.log("    (nothing due)");
}
// The merchant and the shoppers act at noon of the last day; the worker runs then too.
setNow(shopHour(checkpoints.at(-1)!.day, 12));
const held = await db.message.findMany({ where: { shop: DEMO_SHOP, status: { in: ["cancelled", "suppressed"] } } });
if (held.length > 0) {
  console.log("\n  Held back, on purpose:");
  const orderIds = held.map((m) => m.orderId).filter((id): id is string => Boolean(id));
  const names = new Map(
    (await db.order.findMany({ where: { shop: DEMO_SHOP, id: { in: orderIds } }, select: { id: true, name: true } })).map((o) => [o.id, o.name]),
  );
  for (const message of held) {
    console.log(`    ✗ ${emailFlowName(message.flow)} for ${names.get(message.orderId ?? "") ?? "an order"}: ${message.detail}`);
  }
}

// Delivery promises, live from install with the defaults: the orders that never left were caught
// by the worker the day after their dispatch date, and their customers got an apology.
const { promisesPage } = await import("../app/modules/promises");
const promises = await promisesPage(DEMO_SHOP, now());
console.log(
  `\nDelivery promises (${promises.policy.dispatchDays} working days to dispatch, ${promises.policy.home} days in transit), as the Promises page shows them:`,
);
for (const broken of promises.broken) console.log(`  ⚠ ${broken.order}, ${broken.what.toLowerCase()}: ${broken.when}. ${broken.sent.text}.`);
const weeks = promises.weeks.filter((week) => week.settled > 0);
const settled = weeks.reduce((sum, week) => sum + week.settled, 0);
const onTime = weeks.reduce((sum, week) => sum + week.onTime, 0);
console.log(`  On time: ${onTime} of ${settled} settled orders (${weeks.map((week) => `week of ${week.week}: ${week.rate}%`).join(", ")}).`);

// A detractor answered: Tomás's low score opens a conversation; the merchant replies in the
// inbox, Tomás answers on the conversation page, and the merchant resolves it.
const { answerSurveys, answerTheDetractor, DETRACTOR } = await import("./demo/inbox");
const surveyed = await answerSurveys(url);
const detractor = await answerTheDetractor(url, merchant, () => runWorker(CAPABILITIES, { once: true }));
console.log("\nThe inbox, where a person answers:");
if (detractor) {
  console.log(
    `  Tomás scored the shop ${DETRACTOR.score} of 10 in his NPS email (“${DETRACTOR.comment}”): a detractor, so a conversation opened in the inbox.`,
  );
  console.log(`  The merchant replied from the admin; the reply went by email, Reply-To the store: “${detractor.replySubject}” (${detractor.replyStatus}).`);
  console.log(
    `  Tomás answered on the conversation page its link opens (“${DETRACTOR.answer}”): back in the thread, and the conversation ${detractor.reopened === "open" ? "opened again" : `stayed ${detractor.reopened}`}.`,
  );
  console.log(`  The merchant resolved it: ${detractor.status}, ${detractor.thread} messages in the thread.`);
} else console.log("  ✗ Tomás's survey was not found");
const { npsPage } = await import("../app/modules/feedback/nps");
const { offlineGraphql } = await import("../app/modules/shopify-admin/offline");
const nps = await npsPage(DEMO_SHOP, now(), await offlineGraphql(DEMO_SHOP));
console.log(
  `  NPS from ${surveyed + 1} answers (Maya 10 and a little more, Priya 8, Tomás 4): ${nps.nps! > 0 ? "+" : ""}${nps.nps}; by product type: ${(nps.segments.productTypes ?? []).map((s) => `${s.name} ${s.nps! > 0 ? "+" : ""}${s.nps}`).join(", ")}. The NPS page charts it by week.`,
);

// Review settings: a 10% code for every published review (whatever its rating), and buyers
// invited to answer questions.
await merchant("/app/reviews/settings", {
  minRating: "4",
  holdLinks: true,
  reward: "discount",
  valueType: "percentage",
  value: "10",
  expiresInDays: "30",
  inviteBuyers: true,
});

// Customers answer their review requests; the merchant replies to one; the stars reach Shopify.
// What the orders earned: pending from payment, approved by the worker once the return window passed.
const members = await db.loyaltyAccount.findMany({ where: { shop: DEMO_SHOP }, orderBy: { customerId: "asc" } });
const memberNames = new Map(
  (await db.customer.findMany({ where: { shop: DEMO_SHOP, id: { in: members.map((m) => m.customerId) } } })).map((c) => [c.id, c.firstName ?? c.email]),
);
console.log("\nLoyalty points, four weeks on:");
for (const member of members) {
  const entries = await db.loyaltyEntry.findMany({ where: { shop: DEMO_SHOP, customerId: member.customerId }, orderBy: { createdAt: "asc" } });
  const story = entries.map((e) => `${e.kind} ${e.balanceDelta || e.pendingDelta}`).join(", ");
  console.log(`  ${memberNames.get(member.customerId) ?? "a customer"}: ${member.balance} approved, ${member.pending} pending (${story})`);
}

const { reviewIdOf } = await import("../app/modules/reviews/rewards");
const { answerReviewRequests, askOnStorefront, GUEST_REVIEW, QUESTION, serveProductPage, writeStorefrontReview } = await import("./demo/reviews");
const requests = await db.message.findMany({
  where: { shop: DEMO_SHOP, flow: "review_request", step: 0, status: "outbox" },
  select: { toAddress: true, html: true },
});
console.log("\nReviews, through the links in those emails:");
for (const line of await answerReviewRequests(url, requests)) console.log(`  ★ ${line}`);
// The merchant moderates through the admin's own routes: a public reply to Maya, and Priya's
// honest 2-star review answered and published.
const reviewBy = (authorName: string) => db.review.findFirst({ where: { shop: DEMO_SHOP, authorName } });
const maya = await reviewBy("Maya C.");
if (maya) await merchant(`/app/reviews/${maya.id}`, new URLSearchParams({ intent: "reply", reply: "Thank you, Maya! The next Guji lot lands in March." }));
const priya = await reviewBy("Priya N.");
if (priya) {
  await merchant(`/app/reviews/${priya.id}`, new URLSearchParams({ intent: "reply", reply: "Sorry about the chip, Priya: a replacement mug is on its way." }));
  await merchant(`/app/reviews/${priya.id}`, new URLSearchParams({ intent: "publish" }));
  console.log("  The merchant, in the admin: replied to Maya; answered Priya's 2-star review and published it (it had waited for a look).");
}
await runWorker(CAPABILITIES, { once: true });
for (const review of await db.review.findMany({ where: { shop: DEMO_SHOP }, orderBy: { createdAt: "asc" } })) {
  console.log(
    `  ${review.status === "published" ? "✓ published" : "… waiting for the merchant"}: ${review.authorName} on ${review.productTitle}${review.reply ? " (the store replied)" : ""}`,
  );
}
for (const reward of await db.reward.findMany({ where: { shop: DEMO_SHOP }, orderBy: { createdAt: "asc" } })) {
  const review = await db.review.findUniqueOrThrow({ where: { id: reviewIdOf(reward.sourceKey) }, select: { authorName: true, rating: true } });
  const mail = reward.messageId ? await db.message.findUnique({ where: { id: reward.messageId }, select: { status: true } }) : null;
  const created = reward.status === "issued" && shopifyDiscounts.some((d) => d.code === reward.code);
  console.log(
    `  🎁 ${review.authorName} (${review.rating}★) earned a 10% code: ${created ? `${reward.code}, created in Shopify` : reward.status}${mail ? `, emailed (${mail.status})` : ""}`,
  );
}
const cases = await db.customerCase.count({ where: { shop: DEMO_SHOP, kind: "low_rating" } });
console.log(`  ${cases} low rating opened a case for a personal reply; the stars of ${shopifyMetafields.size / 3} products were written to Shopify.`);
const storefront = await serveProductPage(url, process.env.SHOPIFY_API_SECRET!, shopifyMetafields, "ethiopia");
const list = await (await fetch(`${storefront.url}/apps/aftercare/reviews?product_id=${CATALOGUE.ethiopia.productId}`)).json();
console.log(
  `  The product page (the theme extension's own Liquid): ${CATALOGUE.ethiopia.title} shows ${list.average} stars from ${list.count} review${list.count === 1 ? "" : "s"}${list.reviews.some((r: { reply: string | null }) => r.reply) ? ", with the store's reply" : ""}.`,
);
const guest = await writeStorefrontReview(storefront.url, "ethiopia", GUEST_REVIEW);
console.log(
  `  A guest wrote one on that page (“${GUEST_REVIEW.title}”): ${guest.status === 201 ? `${(await guest.json()).status}, unverified, waiting for the merchant in the admin` : `answered ${guest.status}`}.`,
);

// A shopper asks a question on the product page; the merchant answers it in the admin (which
// publishes it); the worker tells the shopper.
const askedStatus = (await askOnStorefront(storefront.url, "ethiopia", QUESTION)).status;
const question = await db.question.findFirst({ where: { shop: DEMO_SHOP, askerEmail: QUESTION.email } });
if (question)
  await merchant(
    `/app/questions/${question.id}`,
    new URLSearchParams({ intent: "answer", answer: "Yes: every bag is stamped with its roast date on the back." }),
  );
await runWorker(CAPABILITIES, { once: true });
const notice = await db.message.findFirst({ where: { shop: DEMO_SHOP, flow: "question_answered" } });
const questions = await (await fetch(`${storefront.url}/apps/aftercare/questions?product_id=${CATALOGUE.ethiopia.productId}`)).json();
console.log(
  `\nQuestions and answers:\n  ${QUESTION.name} asked “${QUESTION.question}” on the product page (${askedStatus === 201 ? "sent" : `answered ${askedStatus}`}); the merchant answered it in the admin.`,
);
const invited = await db.message.count({ where: { shop: DEMO_SHOP, flow: "question_invite" } });
console.log(`  Publishing it invited ${invited} recent buyer${invited === 1 ? "" : "s"} who accepted marketing to answer too (never the asker).`);
console.log(
  `  The answer notice to ${QUESTION.name}: ${notice ? `“${notice.subject}”, ${notice.status === "scheduled" ? `waiting for the send window (${notice.dueAt.toISOString()})` : notice.status === "outbox" ? "written to the outbox (no SMTP_URL)" : notice.status}` : "not written"}. The product page lists ${questions.count} answered question${questions.count === 1 ? "" : "s"}.`,
);

// Referrals, from four weeks on: Maya refers Lena, who orders; Maya is rewarded after the
// return window and spends her points.
const { FRIEND, referAFriend } = await import("./demo/referrals");
const story = await referAFriend(url, process.env.SHOPIFY_API_SECRET!, shopHour, (at) => runWorker(CAPABILITIES, { once: true, now: at }));
const { referralsAdminPage } = await import("../app/modules/referrals");
const referrals = (await referralsAdminPage(DEMO_SHOP, null)).referrals;
const lena = referrals.find((r) => r.friend.startsWith(FRIEND.firstName));
const codeHeld = shopifyDiscounts.some((d) => d.code === story.code && d.customers.length === 0);
console.log(`\nReferrals, through the storefront's refer-a-friend block:`);
console.log(`  Maya opened the block and got her code ${story.code}${codeHeld ? ", created in Shopify for any customer, once each" : ""}.`);
console.log(`  Lena followed Maya's link: sent on to ${story.landing}, where Shopify puts the code on her cart.`);
console.log(
  `  Lena ordered with it (${lena?.orderName ?? "no order"}); the merchant's Referrals page shows it ${lena?.status ?? "missing"}${lena?.status === "rewarded" ? ": Maya earned 500 points once the 30-day return window after delivery had passed" : ""}.`,
);
console.log(
  `  Maya redeemed ${story.redeemed} points for $5.00 off: ${story.rewardCode ? `code ${story.rewardCode}, created in Shopify` : "no code yet"}; ${story.balanceAfter} points left.`,
);

if (sent.some((delivery) => delivery.status !== 200)) {
  console.error("✗ Some deliveries were not accepted (see the status column).");
  process.exitCode = 1;
}
if (options.exit) {
  await storefront.close();
  await db.$disconnect();
  await app.close();
  await shopify.restore();
} else {
  console.log(`
Open the admin as the merchant sees it (the demo signs requests the way App Bridge does):
  ${url}/app            home: install state, counts, latest webhook deliveries
  ${url}/app/flows      the follow-up flows: on/off, timing, sent and waiting
  ${url}/app/flows/thank_you   one flow's editor: its email in Liquid, a live preview, a test to yourself
  ${url}/app/inbox      conversations: Tomás's low score, answered and resolved
  ${url}/app/nps        NPS by week, promoters and detractors, by first or repeat order and product type
  ${url}/app/activity   every follow-up email; open one to read it as sent
  ${url}/app/reviews    the customers' reviews: publish, hide, reply, import and export CSV
  ${url}/app/questions  shoppers' questions: answer, publish, hide
  ${url}/app/loyalty    the points program: launched, what customers hold and have pending
  ${url}/app/referrals  the referral program: Lena's order, referred by Maya, rewarded
  ${url}/app/promises   delivery promises: the late orders caught and apologised for, the on-time rate by week
  ${storefront.url}${storefront.path}   a product page as shoppers see it, with the stars and reviews
  ${url}/app/privacy    privacy requests, with Jonas's data export to download

Ctrl-C stops the demo; its database stays at .demo/demo.sqlite until the next run.`);
  // Back to real time, and a worker kept running, so deliveries sent to the demo from now on are applied too.
  setNow(null);
  const worker = new AbortController();
  void runWorker(CAPABILITIES, { signal: worker.signal });
  const stop = () => {
    worker.abort();
    server.close(() => process.exit(process.exitCode ?? 0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
