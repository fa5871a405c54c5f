// Every link in a follow-up email is opened by mail scanners before the shopper sees it. Over
// real HTTP into the built server: a GET of any of them (and of the links on the pages they
// open) changes nothing; only the page's button, a POST, records the answer. And an erased
// review photo is gone from the app and is not cached as immutable.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { now } from "~/modules/clock";
import { signLink, type LinkPurpose } from "~/modules/messaging/tokens";
import { startApp, uniqueShop, type RunningApp } from "../support/app";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const PRODUCT = "7001";

/** A shop with one delivered order and one sent email of each kind that carries one-click links. */
async function shopWithEmails() {
  const shop = uniqueShop("links");
  await db.shop.create({ data: { shop, name: "Fernhill Ceramics" } });
  await db.customer.create({ data: { shop, id: "301", email: "robin@example.com", firstName: "Robin", lastName: "Quill" } });
  await db.order.create({
    data: {
      shop,
      id: "8001",
      name: "#1001",
      customerId: "301",
      currency: "EUR",
      totalMinor: 3000,
      processedAt: new Date(),
      shopifyUpdatedAt: new Date(),
      createdAt: new Date(),
      lineItems: { create: [{ id: "80011", productId: PRODUCT, title: "Stoneware Mug", quantity: 1, priceMinor: 3000 }] },
    },
  });
  const message = async (flow: string) => {
    const id = randomUUID();
    await db.message.create({
      data: {
        id,
        shop,
        key: `order:8001:${flow}:0`,
        flow,
        orderId: "8001",
        customerId: "301",
        dueAt: now(),
        status: "sent",
        sentAt: now(),
        toAddress: "robin@example.com",
        productIds: JSON.stringify([PRODUCT]),
      },
    });
    return id;
  };
  const link = async (flow: string, purpose: LinkPurpose, path: string) =>
    `${app.url}/${path}/${signLink({ shop, message: await message(flow), purpose, expires: now().getTime() + 86_400_000 })}`;
  return {
    shop,
    checkin: await link("delivery_checkin", "checkin", "feedback"),
    nps: await link("nps", "nps", "feedback"),
    reorder: await link("reorder", "reorder", "reorder"),
    review: await link("review_request", "review", "review"),
    unsubscribe: await link("thank_you", "unsubscribe", "unsubscribe"),
  };
}

/** Everything a one-click link could change. */
async function effects(shop: string) {
  const [feedback, cases, choices, own, reviews, unsubscribes] = await Promise.all([
    db.feedback.findMany({ where: { shop }, select: { kind: true, answer: true, score: true, comment: true } }),
    db.customerCase.count({ where: { shop } }),
    db.reorderChoice.count({ where: { shop } }),
    db.message.count({ where: { shop, key: { startsWith: "choice:" } } }),
    db.review.count({ where: { shop } }),
    db.unsubscribe.count({ where: { shop } }),
  ]);
  return { feedback, cases, choices, own, reviews, unsubscribes };
}
const NOTHING = { feedback: [], cases: 0, choices: 0, own: 0, reviews: 0, unsubscribes: 0 };

const post = (url: string, fields: Record<string, string>) => fetch(url, { method: "POST", body: new URLSearchParams(fields) });

describe("one-click links from the emails", () => {
  it("a scanner's GET of every link (and of every link on the pages they open) changes nothing", async () => {
    const { shop, checkin, nps, reorder, review, unsubscribe } = await shopWithEmails();
    const links = [
      `${checkin}?answer=ok`,
      `${checkin}?answer=problem`,
      checkin,
      ...Array.from({ length: 11 }, (_, score) => `${nps}?score=${score}`),
      nps,
      ...["2", "4", "8", "never"].map((weeks) => `${reorder}?product=${PRODUCT}&weeks=${weeks}`),
      `${reorder}?product=${PRODUCT}`,
      ...[1, 2, 3, 4, 5].map((rating) => `${review}?product=${PRODUCT}&rating=${rating}`),
      unsubscribe,
    ];
    for (const url of links) {
      for (const method of ["GET", "HEAD"]) {
        const response = await fetch(url, { method });
        expect(response.status, `${method} ${url}`).toBe(200);
        const html = method === "GET" ? await response.text() : "";
        // The links on the page itself, followed too (a scanner crawls).
        for (const [, href] of html.matchAll(/href="(\?[^"]+)"/g)) {
          const onPage = await fetch(new URL(href!.replaceAll("&amp;", "&"), url));
          expect(onPage.status).toBe(200);
          await onPage.body?.cancel();
        }
      }
    }
    expect(await effects(shop)).toEqual(NOTHING);
  });

  it("the check-in's buttons record: all good closes nothing, a problem opens one case, its comment fills it", async () => {
    const { shop, checkin } = await shopWithEmails();
    expect(await (await fetch(`${checkin}?answer=ok`)).text()).toContain("Yes, all good");
    expect((await post(`${checkin}?answer=ok`, { answer: "ok" })).status).toBe(200);
    expect((await effects(shop)).feedback).toEqual([{ kind: "checkin", answer: "ok", score: null, comment: null }]);
    expect((await effects(shop)).cases).toBe(0);

    const problem = await post(`${checkin}?answer=problem`, { answer: "problem", comment: "Chipped rim" });
    expect(await problem.text()).toContain("someone from the store will be in touch");
    expect(await db.customerCase.findFirstOrThrow({ where: { shop } })).toMatchObject({
      kind: "delivery_problem",
      status: "open",
      summary: "Delivery problem: Chipped rim",
    });
  });

  it("the survey records the score only when sent from the page", async () => {
    const { shop, nps } = await shopWithEmails();
    const page = await (await fetch(`${nps}?score=9`)).text();
    expect(page).toContain("Send my 9");
    expect((await post(`${nps}?score=9`, { score: "9", comment: "Lovely glaze" })).status).toBe(200);
    expect((await effects(shop)).feedback).toEqual([{ kind: "nps", answer: null, score: 9, comment: "Lovely glaze" }]);
  });

  it("the re-order choice is recorded by the page's button, and a forged choice by POST is refused", async () => {
    const { shop, reorder } = await shopWithEmails();
    const url = `${reorder}?product=${PRODUCT}&weeks=4`;
    expect(await (await fetch(url)).text()).toContain("In 4 weeks");
    expect((await post(url, { weeks: "400" })).status).toBe(400);
    expect(await effects(shop)).toEqual(NOTHING);
    const chosen = await post(url, { weeks: "4" });
    expect(await chosen.text()).toContain("We&#x27;ll remind you then");
    expect(await effects(shop)).toMatchObject({ choices: 1, own: 1 });
  });

  it("unsubscribes only from the page's button or a mail client's one-click POST", async () => {
    const { shop, unsubscribe } = await shopWithEmails();
    expect((await post(unsubscribe, { "List-Unsubscribe": "One-Click" })).status).toBe(200);
    expect(await db.unsubscribe.findFirstOrThrow({ where: { shop } })).toMatchObject({ email: "robin@example.com", source: "one-click" });
  });
});

describe("review photos", () => {
  it("are revalidated rather than cached for good, and an erased photo is a 404", async () => {
    const shop = uniqueShop("photo");
    const reviewId = randomUUID();
    const photoId = randomUUID();
    await db.review.create({
      data: {
        id: reviewId,
        shop,
        productId: PRODUCT,
        productTitle: "Stoneware Mug",
        rating: 5,
        body: "Lovely.",
        authorName: "R.",
        source: "storefront",
        status: "published",
        verified: false,
        createdAt: new Date(),
        photos: { create: [{ id: photoId, shop, position: 0, mimeType: "image/webp", width: 40, height: 30, bytes: Buffer.from("webp") }] },
      },
    });
    const url = `${app.url}/review-photos/${photoId}`;
    const served = await fetch(url);
    expect(served.status).toBe(200);
    const cache = served.headers.get("cache-control")!;
    expect(cache).not.toContain("immutable");
    expect(Number(/max-age=(\d+)/.exec(cache)![1])).toBeLessThanOrEqual(300);
    const etag = served.headers.get("etag")!;
    expect((await fetch(url, { headers: { "If-None-Match": etag } })).status).toBe(304);

    await db.review.delete({ where: { id: reviewId } }); // erasure takes the photos with the review
    const gone = await fetch(url);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("cache-control") ?? "").not.toContain("immutable");
    expect((await fetch(url, { headers: { "If-None-Match": etag } })).status).toBe(404);
  });
});
