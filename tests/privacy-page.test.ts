// The store's privacy page through signed app proxy requests against the built server: two
// customers of two shops each see only what the app holds about them; a guest is asked to sign
// in; unsigned, tampered and repeated requests are refused, and so is a form posted without the
// page's token. Turning a kind of email off keeps the outbox from sending it; a request to be
// deleted reaches the merchant's inbox, and once approved there the same erasure as
// customers/redact runs. Liquid in a shopper's own words is shown, never run.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { CAPABILITIES } from "~/modules/capabilities";
import { dispatchDueMessages, composeByFlow } from "~/modules/messaging/dispatch";
import { createMailer } from "~/modules/messaging/mailer";
import { deliver, startApp, uniqueShop, type RunningApp } from "./support/app";
import { adminFetch, installSession } from "./support/admin";
import { customer, product } from "./support/followups";
import { orderPayload, toShopifyJson } from "./support/payloads";
import { signedQuery } from "./support/proxy";

let app: RunningApp;
const shopA = uniqueShop("privacy-a");
const shopB = uniqueShop("privacy-b");
const ana = { ...customer(), firstName: "Ana", lastName: "Lima" };
const ben = { ...customer(), firstName: "Ben", lastName: "Okafor" };
const MUG = product(61, "Speckled Mug", "28.00", "Fernhill");

beforeAll(async () => {
  app = await startApp();
  for (const [shop, who, number] of [
    [shopA, ana, 5001],
    [shopB, ben, 6001],
  ] as const) {
    await installSession(shop);
    await db.shop.create({
      data: { shop, name: shop === shopA ? "Fernhill Ceramics" : "Quill & Co", currency: "EUR", timezone: "Europe/Berlin", installedAt: new Date() },
    });
    await deliver(app, "orders/paid", toShopifyJson(orderPayload({ customer: who, number, lines: [MUG] })), { shop });
  }
  // Ana asked a question whose words hold Liquid: shown, never run.
  await db.question.create({
    data: {
      id: randomUUID(),
      shop: shopA,
      productId: MUG.productId,
      productTitle: MUG.title,
      askerName: "Ana",
      askerEmail: ana.email,
      body: "{{ shop.secret }}?",
      status: "pending",
      createdAt: new Date(),
    },
  });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const pageUrl = (shop: string, customerId = "", pairs: [string, string][] = []) => `${app.url}/proxy/privacy?${signedQuery(shop, pairs, { customerId })}`;
const tokenIn = (html: string) => /name="token" value="([^"]+)"/.exec(html)![1]!;
const submit = (url: string, fields: [string, string][]) => fetch(url, { method: "POST", body: new URLSearchParams(fields) });

describe("the privacy page", () => {
  it("is a page of the shop (Liquid) for the signed-in customer: what is held and why, their own only", async () => {
    const response = await fetch(pageUrl(shopA, ana.id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/liquid");
    const html = await response.text();
    expect(html).toContain("Your data at Fernhill Ceramics");
    expect(html).toContain(ana.email);
    expect(html).toMatch(/<span class="count">1<\/span> · <strong>Your orders<\/strong> <span class="muted">\(#5001\)<\/span>/);
    expect(html).toMatch(/<span class="count">1<\/span> · <strong>Your questions<\/strong>/);
    expect(html).not.toContain(ben.email);
    expect(html).not.toContain("{{");
    // Ben, at the other shop, sees his own; Ana's id at Ben's shop holds nothing.
    const bens = await (await fetch(pageUrl(shopB, ben.id))).text();
    expect(bens).toContain("Your data at Quill &amp; Co");
    expect(bens).toContain("#6001");
    expect(bens).not.toContain(ana.email);
    const anaAtB = await (await fetch(pageUrl(shopB, ana.id))).text();
    expect(anaAtB).not.toContain(ana.email);
    expect(anaAtB).not.toContain("#5001");
  });

  it("asks a guest to sign in, and refuses what Shopify did not sign", async () => {
    const guest = await (await fetch(pageUrl(shopA))).text();
    expect(guest).toContain("Sign in to see what we hold about you");
    expect(guest).toContain('href="/account/login?return_url=%2Fapps%2Faftercare%2Fprivacy"');
    expect((await fetch(`${app.url}/proxy/privacy?shop=${shopA}&logged_in_customer_id=${ana.id}`)).status).toBe(401);
    const tampered = pageUrl(shopA, ben.id).replace(`logged_in_customer_id=${ben.id}`, `logged_in_customer_id=${ana.id}`);
    expect((await fetch(tampered)).status).toBe(401);
    // A customer id repeated beside the one Shopify adds is signed too: refused.
    expect((await fetch(pageUrl(shopA, ana.id, [["logged_in_customer_id", ben.id]]))).status).toBe(401);
    expect((await submit(pageUrl(shopA), [["intent", "delete"]])).status).toBe(403);
  });

  it("keeps the emails a customer turned off from being sent; answers to their own asks always go", async () => {
    const url = pageUrl(shopA, ana.id);
    const token = tokenIn(await (await fetch(url)).text());
    expect(
      (
        await submit(pageUrl(shopA, ana.id), [
          ["intent", "emails"],
          ["on", "thank_you"],
        ])
      ).status,
    ).toBe(403); // no token
    expect(
      (
        await submit(pageUrl(shopA, ana.id), [
          ["intent", "emails"],
          ["token", tokenIn(await (await fetch(pageUrl(shopB, ben.id))).text())],
        ])
      ).status,
    ).toBe(403); // Ben's
    const saved = await submit(pageUrl(shopA, ana.id), [
      ["intent", "emails"],
      ["token", token],
      ["on", "thank_you"],
      ["on", "nps"],
    ]);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Your email choices are saved.");
    const off = (await db.emailChoice.findMany({ where: { shop: shopA, customerId: ana.id } })).map((c) => c.flow);
    expect(off).toContain("review_request");
    expect(off).not.toContain("thank_you");
    expect(off).not.toContain("case_reply");

    // The outbox: the thank-you goes; a review request to her is held back.
    const due = new Date(Date.now() + 86_400_000);
    const [thanks, review] = await Promise.all(
      ["thank_you", "review_request"].map((flow) =>
        db.message.create({
          data: { id: randomUUID(), shop: shopA, key: `privacy-test:${flow}`, flow, customerId: ana.id, dueAt: new Date(), status: "scheduled" },
        }),
      ),
    );
    await dispatchDueMessages({ shop: shopA, now: due, compose: composeByFlow(CAPABILITIES), mailer: createMailer(""), limit: 10 });
    expect(await db.message.findUniqueOrThrow({ where: { id: review!.id } })).toMatchObject({
      status: "suppressed",
      detail: "the customer turned these emails off",
    });
    expect((await db.message.findUniqueOrThrow({ where: { id: thanks!.id } })).status).not.toBe("suppressed");
  });

  it("a customer writing to the store opens a conversation in the inbox, in their own words", async () => {
    const token = tokenIn(await (await fetch(pageUrl(shopA, ana.id))).text());
    expect(
      (
        await submit(pageUrl(shopA, ana.id), [
          ["intent", "message"],
          ["body", "Where is my order?"],
        ])
      ).status,
    ).toBe(403);
    expect(
      (
        await submit(pageUrl(shopA, ana.id), [
          ["intent", "message"],
          ["token", token],
          ["body", "  "],
        ])
      ).status,
    ).toBe(400);
    const sent = await submit(pageUrl(shopA, ana.id), [
      ["intent", "message"],
      ["token", token],
      ["body", "Can I change the glaze on #5001? {{ order }}"],
    ]);
    expect(await sent.text()).toContain("Your message is with the store.");
    const conversation = await db.customerCase.findFirstOrThrow({ where: { shop: shopA, kind: "message", customerId: ana.id } });
    expect(conversation).toMatchObject({ status: "open" });
    expect(await db.caseMessage.findMany({ where: { shop: shopA, caseId: conversation.id } })).toMatchObject([
      { author: "customer", body: "Can I change the glaze on #5001? {{ order }}" },
    ]);
    const inbox = await (await adminFetch(app, shopA, "/app/inbox")).text();
    expect(inbox).toContain("Ana Lima");
    expect(inbox).toContain("Wrote to the store: “Can I change the glaze on #5001?");
    expect(await db.customerCase.count({ where: { shop: shopB, kind: "message" } })).toBe(0);
  });

  it("a request to be deleted waits in the merchant's inbox; approved there, the customer is erased", async () => {
    const url = pageUrl(shopA, ana.id);
    const token = tokenIn(await (await fetch(url)).text());
    const asked = await submit(pageUrl(shopA, ana.id), [
      ["intent", "delete"],
      ["token", token],
    ]);
    expect(await asked.text()).toContain("Your request is with the store.");
    expect(
      await (
        await submit(pageUrl(shopA, ana.id), [
          ["intent", "delete"],
          ["token", token],
        ])
      ).text(),
    ).toContain("You have already asked");
    const request = await db.customerCase.findFirstOrThrow({ where: { shop: shopA, kind: "deletion_request" } });
    expect(request).toMatchObject({ customerId: ana.id, status: "open" });
    expect(await (await adminFetch(app, shopA, "/app/inbox")).text()).toContain("Deletion request");

    const erase = (shop: string) =>
      adminFetch(app, shop, `/app/inbox/${request.id}?_data=${encodeURIComponent("routes/app.inbox_.$id")}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "erase" }),
      });
    expect((await erase(shopB)).status).toBe(404);
    expect((await erase(shopA)).status).toBe(200);
    expect(await db.customer.count({ where: { shop: shopA, id: ana.id } })).toBe(0);
    expect(await db.question.count({ where: { shop: shopA, askerEmail: ana.email } })).toBe(0);
    expect(await db.emailChoice.count({ where: { shop: shopA, customerId: ana.id } })).toBe(0);
    expect(await db.order.findFirstOrThrow({ where: { shop: shopA, name: "#5001" } })).toMatchObject({ customerId: null, email: null });
    expect(await db.customerCase.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ customerId: null, status: "resolved" });
    expect((await erase(shopA)).status).toBe(404);
    // Ben, at the other shop, is untouched.
    expect(await db.customer.count({ where: { shop: shopB, id: ben.id } })).toBe(1);
  });
});
