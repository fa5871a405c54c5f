// The follow-ups that are about products: re-order reminders (the merchant's interval, the
// learned one, the customer's own choice), goes-well-with and after-return suggestions.
// Signed webhooks into the built app, the worker with a moved clock, a real SMTP server, and
// Shopify's Admin API stood in for at the HTTP edge with its documented answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { now, setNow } from "~/modules/clock";
import { learnDueIntervals } from "~/modules/followups";
import { saveMerchantIntervals } from "~/modules/followups/replenishment";
import { createMailer, type Mailer } from "~/modules/messaging/mailer";
import { deliver, startApp, type RunningApp } from "./support/app";
import { installSession } from "./support/admin";
import { BEANS, customer, FILTERS, GRINDER, installShop, MUG, product, runWorkerAt } from "./support/followups";
import { fulfillmentPayload, orderPayload, refundPayload, toShopifyJson, type ProductLine } from "./support/payloads";
import { answerAdminGraphql, replyToProductQueries, standInForShopify, throttled, type ShopifyEdge, type StandInProduct } from "./support/shopify-edge";
import { startSmtpSink, type SmtpSink } from "./support/smtp";

let app: RunningApp;
let smtp: SmtpSink;
let mailer: Mailer;
let edge: ShopifyEdge;
beforeAll(async () => {
  [app, smtp] = await Promise.all([startApp(), startSmtpSink()]);
  mailer = createMailer(smtp.url);
  edge = standInForShopify();
});
afterAll(async () => {
  mailer.close();
  await Promise.all([smtp.close(), app.close(), edge.restore()]);
});
afterEach(() => setNow(null));

const DAY = 86_400_000;
const mailTo = (email: string) => smtp.received.filter((mail) => mail.envelopeTo.includes(email));
const workerAt = (shop: string, at: string) => runWorkerAt(shop, at, mailer);
const flowMessages = (shop: string, flow: string) => db.message.findMany({ where: { shop, flow }, orderBy: { dueAt: "asc" } });

async function paidOrder(shop: string, who: ReturnType<typeof customer>, createdAt: string, lines: ProductLine[]) {
  const order = orderPayload({ customer: { ...who }, createdAt, lines });
  await deliver(app, "orders/paid", toShopifyJson(order), { shop });
  return order;
}

/** Follows a link from a mail the way a browser does, and reads the page. */
async function follow(url: string, choose?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url.replace("https://aftercare.test", app.url), choose ? { method: "POST", body: new URLSearchParams({ weeks: choose }) } : {});
  return { status: response.status, body: await response.text() };
}
/** Opens an email's choice link, then presses the page's button for it, as the customer does. */
async function choose(url: string): Promise<{ status: number; body: string }> {
  const opened = await follow(url);
  if (opened.status !== 200) return opened;
  return follow(url, new URL(url).searchParams.get("weeks")!);
}
const hrefs = (html: string, pattern: RegExp) =>
  [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&")).filter((url) => pattern.test(url));

describe("re-order reminder", () => {
  it("goes the merchant's interval minus 3 days after the order, with a cart that rebuilds it and the customer's own choices", async () => {
    const shop = await installShop();
    await installSession(shop);
    const who = customer();
    // The merchant's intervals apply to products the shop has sold: one earlier order names them.
    await paidOrder(shop, customer(), "2026-09-01T15:00:00Z", [BEANS, FILTERS, GRINDER]);
    await saveMerchantIntervals(shop, { [BEANS.productId]: "30", [FILTERS.productId]: "33", [GRINDER.productId]: "" });

    const order = await paidOrder(shop, who, "2026-11-02T15:00:00Z", [{ ...BEANS, quantity: 2 }, FILTERS, GRINDER]);
    await deliver(app, "orders/paid", toShopifyJson(order), { shop }); // a duplicate schedules nothing more
    const [reminder, ...others] = (await flowMessages(shop, "reorder")).filter((m) => m.orderId === String(order.id));
    expect(others).toHaveLength(0);
    // Beans (30 days) and filters (33) run out within a week of each other: one reminder, 3 days before the first.
    expect(reminder).toMatchObject({ status: "scheduled", marketing: true, step: 30 });
    expect(JSON.parse(reminder!.productIds).sort()).toEqual([BEANS.productId, FILTERS.productId].sort());
    expect(reminder!.dueAt.toISOString()).toBe(new Date(Date.parse("2026-11-02T15:00:00Z") + 27 * DAY).toISOString());

    await workerAt(shop, "2026-11-29T14:00:00Z");
    expect(await db.message.findUniqueOrThrow({ where: { id: reminder!.id } })).toMatchObject({ status: "scheduled" });
    await workerAt(shop, "2026-11-29T15:00:00Z");
    expect(await db.message.findUniqueOrThrow({ where: { id: reminder!.id } })).toMatchObject({ status: "sent" });
    const [mail, ...again] = mailTo(who.email).filter((m) => m.messageId === `<${reminder!.id}@aftercare.test>`);
    expect(again).toHaveLength(0);
    expect(mail!.subject).toBe("Running low, Robin?");
    expect(mail!.text).toContain("about 4 weeks since your order");
    const cart = `https://${shop}/cart/${BEANS.variantId}:2,${FILTERS.variantId}:1`;
    expect(hrefs(mail!.html as string, /\/cart\//)).toEqual([cart]);
    expect(mail!.html).not.toContain("Hand Grinder");
    // The plain-text part links to a page that asks, rather than four long links per item.
    const ask = /Not yet\? Choose when we remind you: (\S+)/.exec(mail!.text!)![1]!;
    expect((await follow(ask)).body).toContain("When should we remind you about Kenya AA?");

    // "Remind me in 4 weeks" about the filters: remembered, and their own reminder is scheduled.
    const [fourWeeks] = hrefs(mail!.html as string, new RegExp(`/reorder/.+product=${FILTERS.productId}&weeks=4`));
    // The page runs in the app server, on the app's clock (pinned by the worker run above).
    const clickedAt = now().getTime();
    const page = await choose(fourWeeks!);
    expect(page.status).toBe(200);
    expect(page.body).toContain("We&#x27;ll send you a note about Paper Filters around");
    await choose(fourWeeks!); // a second click moves nothing and adds nothing
    const own = (await flowMessages(shop, "reorder")).filter((m) => m.key.startsWith("choice:"));
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ status: "scheduled", marketing: false, productIds: JSON.stringify([FILTERS.productId]) });
    expect(own[0]!.dueAt.getTime() - clickedAt).toBeGreaterThanOrEqual(28 * DAY);
    expect(own[0]!.dueAt.getTime() - clickedAt).toBeLessThan(28 * DAY + 60_000);
    expect(
      await db.reorderChoice.findUniqueOrThrow({ where: { shop_customerId_productId: { shop, customerId: String(who.id), productId: FILTERS.productId } } }),
    ).toMatchObject({ days: 28 });

    // Their choice wins over the merchant's 33 days on their next order.
    const next = await paidOrder(shop, who, "2026-12-01T15:00:00Z", [FILTERS]);
    const planned = (await flowMessages(shop, "reorder")).find((m) => m.orderId === String(next.id));
    expect(planned).toMatchObject({ step: 28 });

    // "Never" for the beans: nothing more about them, now or on later orders.
    const [never] = hrefs(mail!.html as string, new RegExp(`/reorder/.+product=${BEANS.productId}&weeks=never`));
    expect((await choose(never!)).body).toContain("We won&#x27;t remind you about Kenya AA again");
    const later = await paidOrder(shop, who, "2026-12-05T15:00:00Z", [BEANS]);
    expect((await flowMessages(shop, "reorder")).filter((m) => m.orderId === String(later.id))).toEqual([]);

    // A forged or altered link changes nothing.
    expect((await follow(fourWeeks!.replace(/weeks=4/, "weeks=400"))).status).toBe(400);
    expect((await follow(fourWeeks!, "400")).status).toBe(400);
    expect((await follow(fourWeeks!.replace(/\/reorder\/[^.]+/, "/reorder/eyJmb3JnZWQiOnRydWV9"), "4")).status).toBe(404);
  });

  it("learns the median re-purchase interval once three customers bought again, and skips a reminder when they re-ordered", async () => {
    const shop = await installShop();
    const gaps = [20, 22, 40];
    for (const gap of gaps) {
      const who = customer();
      await paidOrder(shop, who, "2026-06-01T15:00:00Z", [MUG]);
      await paidOrder(shop, who, new Date(Date.parse("2026-06-01T15:00:00Z") + gap * DAY).toISOString(), [MUG]);
    }
    await paidOrder(shop, customer(), "2026-06-03T15:00:00Z", [MUG, GRINDER]); // bought once: no gap
    expect((await flowMessages(shop, "reorder")).length).toBe(0); // nothing learned yet

    await learnDueIntervals(new Date("2026-08-01T00:00:00Z"));
    expect(await db.productReplenishment.findUniqueOrThrow({ where: { shop_productId: { shop, productId: MUG.productId } } })).toMatchObject({
      learnedDays: 22,
      learnedFrom: 3,
    });
    expect(await db.productReplenishment.findUnique({ where: { shop_productId: { shop, productId: GRINDER.productId } } })).toMatchObject({
      learnedDays: null,
      learnedFrom: 0,
    });
    // Learned at most once a day per shop.
    await paidOrder(shop, customer(), "2026-07-01T15:00:00Z", [GRINDER]);
    await learnDueIntervals(new Date("2026-08-01T12:00:00Z"));
    expect((await db.shop.findUniqueOrThrow({ where: { shop } })).replenishmentLearnedAt!.toISOString()).toBe("2026-08-01T00:00:00.000Z");

    const who = customer();
    const order = await paidOrder(shop, who, "2026-09-01T15:00:00Z", [MUG]);
    const [reminder] = await flowMessages(shop, "reorder");
    expect(reminder).toMatchObject({ orderId: String(order.id), step: 22 });
    expect(reminder!.dueAt.toISOString()).toBe(new Date(Date.parse("2026-09-01T15:00:00Z") + 19 * DAY).toISOString());

    await paidOrder(shop, who, "2026-09-15T15:00:00Z", [MUG]); // they re-ordered before the reminder
    await workerAt(shop, "2026-09-20T15:00:00Z");
    expect(await db.message.findUniqueOrThrow({ where: { id: reminder!.id } })).toMatchObject({ status: "cancelled", detail: "re-ordered already" });
    expect(mailTo(who.email).filter((m) => m.subject?.startsWith("Running low"))).toHaveLength(0);
  });
});

const CATALOGUE: StandInProduct[] = [
  { id: BEANS.productId, title: "Kenya AA", handle: "kenya-aa", productType: "Coffee", vendor: "Test Roasters", price: "21.00" },
  { id: FILTERS.productId, title: "Paper Filters", handle: "paper-filters", productType: "Brewing", vendor: "Test Roasters", price: "7.50" },
  { id: GRINDER.productId, title: "Hand Grinder", handle: "hand-grinder", productType: "Brewing", vendor: "Comandante", price: "89.00" },
  { id: MUG.productId, title: "Stoneware Mug", handle: "stoneware-mug", productType: "Mugs", vendor: "Fernhill", price: "24.00" },
  { id: product(15, "", "").productId, title: "Glazed Cup", handle: "glazed-cup", productType: "Mugs", vendor: "Other Potter", price: "18.00" },
  {
    id: product(16, "", "").productId,
    title: "Travel Mug",
    handle: "travel-mug",
    productType: "Mugs",
    vendor: "Steelworks",
    price: "29.00",
    totalInventory: 0,
  },
  { id: product(17, "", "").productId, title: "Fernhill Jug", handle: "fernhill-jug", productType: "Jugs", vendor: "Fernhill", price: "38.00" },
  { id: product(18, "", "").productId, title: "Dripper", handle: "dripper", productType: "Brewing", vendor: "Test Roasters", price: "32.00", published: false },
];

describe("goes well with", () => {
  it("suggests what others bought with the order, not what the customer owns or cannot buy, 10 days after delivery, to subscribers only", async () => {
    const shop = await installShop("America/New_York", { recommendations: [product(17, "", "").productId] });
    await installSession(shop);
    const queries: string[] = [];
    replyToProductQueries(edge, shop, CATALOGUE, (body) => queries.push(JSON.stringify(body.variables)));
    const DRIPPER = product(18, "Dripper", "32.00");
    // Other customers' baskets: beans with filters (twice), beans with the grinder, beans with the unpublished dripper.
    await paidOrder(shop, customer(), "2026-10-01T15:00:00Z", [BEANS, FILTERS]);
    await paidOrder(shop, customer(), "2026-10-02T15:00:00Z", [BEANS, FILTERS, DRIPPER]);
    await paidOrder(shop, customer(), "2026-10-03T15:00:00Z", [BEANS, GRINDER]);

    const who = customer();
    await paidOrder(shop, who, "2026-09-01T15:00:00Z", [GRINDER]); // already owns the grinder
    const order = await paidOrder(shop, who, "2026-11-01T15:00:00Z", [BEANS]);
    const parcel = fulfillmentPayload(order.id, { createdAt: "2026-11-02T15:00:00Z", lineItems: order.line_items });
    await deliver(app, "fulfillments/create", toShopifyJson({ ...parcel, shipment_status: "delivered", updated_at: "2026-11-04T15:00:00Z" }), { shop });
    const [suggestion] = (await flowMessages(shop, "goes_with")).filter((m) => m.orderId === String(order.id));
    expect(suggestion!.dueAt.toISOString()).toBe("2026-11-14T15:00:00.000Z");

    await workerAt(shop, "2026-11-14T15:00:00Z");
    const mail = mailTo(who.email).find((m) => m.subject === "Made for what you bought at Test Roasters");
    expect(mail).toBeDefined();
    const html = mail!.html as string;
    // Filters (bought with beans twice) first; the merchant's pick fills in; not the grinder (owned) nor the dripper (not on sale).
    expect(hrefs(html, /\/products\//).filter((url, i, all) => all.indexOf(url) === i)).toEqual([
      `https://${shop.replace(".myshopify.com", ".example")}/products/paper-filters`,
      `https://${shop.replace(".myshopify.com", ".example")}/products/fernhill-jug`,
    ]);
    expect(html).toContain("$7.50");
    expect(html).toContain("cdn.shopify.com");
    expect(await db.message.findUniqueOrThrow({ where: { id: suggestion!.id } })).toMatchObject({
      status: "sent",
      productIds: JSON.stringify([FILTERS.productId, product(17, "", "").productId]),
    });
    expect(queries.some((q) => q.includes(`gid://shopify/Product/${FILTERS.productId}`))).toBe(true);

    // Without marketing consent nothing is suggested.
    const quiet = customer("not_subscribed");
    const quietOrder = await paidOrder(shop, quiet, "2026-11-01T16:00:00Z", [BEANS]);
    await deliver(
      app,
      "fulfillments/create",
      toShopifyJson(fulfillmentPayload(quietOrder.id, { createdAt: "2026-11-02T15:00:00Z", lineItems: quietOrder.line_items })),
      { shop },
    );
    await workerAt(shop, "2026-11-20T15:00:00Z");
    const held = (await flowMessages(shop, "goes_with")).find((m) => m.orderId === String(quietOrder.id));
    expect(held).toMatchObject({ status: "suppressed", detail: "no email marketing consent" });
  });

  it("waits when Shopify throttles the product query, then sends", async () => {
    const shop = await installShop();
    await installSession(shop);
    answerAdminGraphql(edge, shop, () => throttled(), { once: true });
    replyToProductQueries(edge, shop, CATALOGUE);
    await paidOrder(shop, customer(), "2026-10-01T15:00:00Z", [BEANS, FILTERS]);
    const who = customer();
    const order = await paidOrder(shop, who, "2026-11-01T15:00:00Z", [BEANS]);
    await deliver(app, "fulfillments/create", toShopifyJson(fulfillmentPayload(order.id, { createdAt: "2026-11-02T15:00:00Z", lineItems: order.line_items })), {
      shop,
    });
    const [suggestion] = await flowMessages(shop, "goes_with");
    const due = suggestion!.dueAt.toISOString();
    await workerAt(shop, due);
    expect(await db.message.findUniqueOrThrow({ where: { id: suggestion!.id } })).toMatchObject({
      status: "scheduled",
      detail: "waiting: Shopify's product data (Throttled)",
      dueAt: new Date(due),
    });
    await workerAt(shop, new Date(Date.parse(due) + 3_600_000 + 60_000).toISOString());
    expect(await db.message.findUniqueOrThrow({ where: { id: suggestion!.id } })).toMatchObject({ status: "sent" });
  });
});

describe("after a return", () => {
  it("suggests in-stock products of the returned one's type or maker, two days after the refund; a cancellation refund suggests nothing", async () => {
    const shop = await installShop();
    await installSession(shop);
    const queries: string[] = [];
    replyToProductQueries(edge, shop, CATALOGUE, (body) => queries.push(String(body.variables.query ?? "")));
    const who = customer();
    const order = await paidOrder(shop, who, "2026-11-01T15:00:00Z", [MUG, BEANS]);
    const mug = order.line_items.find((item: { product_id: string }) => String(item.product_id) === MUG.productId);
    await deliver(
      app,
      "refunds/create",
      toShopifyJson(refundPayload(order, { items: [{ lineItem: mug, quantity: 1, restockType: "return" }], createdAt: "2026-11-10T15:00:00Z" })),
      { shop },
    );
    const [suggestion] = await flowMessages(shop, "after_return");
    expect(suggestion!.dueAt.toISOString()).toBe("2026-11-12T15:00:00.000Z");

    await workerAt(shop, "2026-11-12T15:00:00Z");
    const [mail] = mailTo(who.email).filter((m) => m.subject === "Something else instead of your Stoneware Mug?");
    const html = mail!.html as string;
    expect(html).toContain("Glazed Cup"); // same type
    expect(html).toContain("Fernhill Jug"); // same maker
    expect(html).not.toContain("Travel Mug"); // out of stock
    expect(html).not.toContain("/products/stoneware-mug"); // the returned one itself
    expect(queries).toContain('(product_type:"Mugs" OR vendor:"Fernhill") AND status:active AND inventory_total:>0');

    const cancelled = await paidOrder(shop, customer(), "2026-11-01T16:00:00Z", [MUG]);
    await deliver(
      app,
      "refunds/create",
      toShopifyJson(
        refundPayload(cancelled, { items: [{ lineItem: cancelled.line_items[0], quantity: 1, restockType: "cancel" }], createdAt: "2026-11-10T15:00:00Z" }),
      ),
      { shop },
    );
    expect((await flowMessages(shop, "after_return")).filter((m) => m.orderId === String(cancelled.id))).toEqual([]);
  });
});
