// Hostile requests to the storefront endpoints behind the app proxy, over real HTTP into the
// built server: who the shopper is comes only from Shopify's own single values, bodies are
// refused before they are read whole, rate limits key on the address Shopify saw, and a
// product's title is the store's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { MAX_PHOTO_BYTES } from "~/modules/reviews/limits";
import { startApp, uniqueShop, type RunningApp } from "../support/app";
import { proxyUrl, streamPost } from "../support/proxy";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const PRODUCT = "4321";
const DRAFT = { product_id: PRODUCT, rating: "5", title: "Great", body: "Heavy, oiled, does not slide.", authorName: "Ana" };
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;

/** A shop whose mirror knows the product (someone's order of it) and a customer who bought it. */
async function shopWithBuyer(label: string) {
  const shop = uniqueShop(label);
  await db.customer.create({ data: { shop, id: "501", email: "sam@example.com", firstName: "Sam", lastName: "Kaur" } });
  await db.order.create({
    data: {
      shop,
      id: "9001",
      name: "#1001",
      customerId: "501",
      currency: "EUR",
      totalMinor: 4500,
      processedAt: new Date(),
      shopifyUpdatedAt: new Date(),
      createdAt: new Date(),
      lineItems: { create: [{ id: "90011", productId: PRODUCT, title: "Walnut Serving Board", quantity: 1, priceMinor: 4500 }] },
    },
  });
  return shop;
}

function form(fields: Record<string, string>, photos: Blob[] = []) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  for (const photo of photos) body.append("photos", photo, "photo.jpg");
  return body;
}

const postReview = (url: string, body: FormData, from = nextAddress()) => fetch(url, { method: "POST", body, headers: { "X-Forwarded-For": from } });

describe("who the shopper is", () => {
  it("refuses a logged_in_customer_id the shopper added beside Shopify's (both signed), and stores nothing", async () => {
    const shop = await shopWithBuyer("dup");
    // The shopper's URL carried ?logged_in_customer_id=501; Shopify appended its own (a guest: empty).
    const url = proxyUrl(app.url, "reviews", shop, [["logged_in_customer_id", "501"]], { customerId: "" });
    expect(new URL(url).searchParams.getAll("logged_in_customer_id")).toEqual(["501", ""]);
    const response = await postReview(url, form({ ...DRAFT, email: "x@example.com" }));
    expect(response.status).toBe(401);
    expect(await db.review.count({ where: { shop } })).toBe(0);
    // The same the other way round, and on the list and the questions.
    const reversed = proxyUrl(app.url, "reviews", shop, [["logged_in_customer_id", ""]], { customerId: "501" });
    expect((await postReview(reversed, form(DRAFT))).status).toBe(401);
    expect(
      (
        await fetch(
          proxyUrl(app.url, "reviews", shop, [
            ["product_id", PRODUCT],
            ["logged_in_customer_id", "501"],
          ]),
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await fetch(
          proxyUrl(app.url, "questions", shop, [
            ["product_id", PRODUCT],
            ["logged_in_customer_id", "501"],
          ]),
        )
      ).status,
    ).toBe(401);
    expect(await db.review.count({ where: { shop } })).toBe(0);
  });

  for (const customerId of ["1 OR 1=1", "-1", "１２", "12a", "0x1F", " 501"]) {
    it(`refuses a signed customer id ${JSON.stringify(customerId)} on every proxy endpoint`, async () => {
      const shop = await shopWithBuyer("cid");
      expect((await postReview(proxyUrl(app.url, "reviews", shop, [], { customerId }), form(DRAFT))).status).toBe(401);
      expect((await fetch(proxyUrl(app.url, "reviews", shop, [["product_id", PRODUCT]], { customerId }))).status).toBe(401);
      expect((await fetch(proxyUrl(app.url, "questions", shop, [["product_id", PRODUCT]], { customerId }))).status).toBe(401);
      const question = new URLSearchParams({ product_id: PRODUCT, name: "Sam", email: "sam@example.com", question: "Is it oiled?" });
      expect((await fetch(proxyUrl(app.url, "questions", shop, [], { customerId }), { method: "POST", body: question })).status).toBe(401);
      expect(await db.review.count({ where: { shop } })).toBe(0);
      expect(await db.question.count({ where: { shop } })).toBe(0);
    });
  }

  it("refuses a repeated product_id, page or sort, signed or not", async () => {
    const shop = await shopWithBuyer("rep");
    for (const pairs of [
      [
        ["product_id", PRODUCT],
        ["product_id", "999"],
      ],
      [
        ["product_id", PRODUCT],
        ["page", "1"],
        ["page", "2"],
      ],
      [
        ["product_id", PRODUCT],
        ["sort", "newest"],
        ["sort", "lowest"],
      ],
      [
        ["product_id", PRODUCT],
        ["path_prefix", "/apps/evil"],
      ],
    ] as [string, string][][]) {
      for (const path of ["reviews", "questions"] as const) {
        const response = await fetch(proxyUrl(app.url, path, shop, pairs));
        expect(response.status, `${path} ${JSON.stringify(pairs)}`).toBe(401);
        await response.body?.cancel();
      }
    }
    expect((await fetch(proxyUrl(app.url, "reviews", shop, [["product_id", PRODUCT]]))).status).toBe(200);
  });
});

describe("bodies are capped before they are read whole", () => {
  it("refuses a declared 200 MB at once, reading almost none of it: reviews with 413, questions by a reset", async () => {
    const shop = await shopWithBuyer("len");
    const started = Date.now();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const reply = await streamPost(
      proxyUrl(app.url, "reviews", shop),
      { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(200 * 1024 * 1024), "X-Forwarded-For": nextAddress() },
      (function* () {
        for (let sent = 0; sent < 200 * 1024 * 1024; sent += chunk.length) yield chunk;
      })(),
    );
    expect(reply.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(reply.sentBytes).toBeLessThan(20 * 1024 * 1024);
    // A question's form holds 32 kB: the server throws away at most that much more, then resets
    // the connection (app/edge/form-body.ts), before its 413 is written. The client's next read
    // or write meets the reset.
    const questions = await streamPost(
      proxyUrl(app.url, "questions", shop),
      { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(200 * 1024 * 1024), "X-Forwarded-For": nextAddress() },
      (function* () {
        for (let sent = 0; sent < 200 * 1024 * 1024; sent += chunk.length) yield chunk;
      })(),
    );
    expect(questions).toMatchObject({ status: null, error: expect.stringMatching(/ECONNRESET|EPIPE/) });
    expect(questions.sentBytes).toBeLessThan(20 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await db.question.count({ where: { shop } })).toBe(0);
  });

  it("refuses 150 parts of 5 MB streamed chunked (no Content-Length) early, without the server's memory growing by the body", async () => {
    const shop = await shopWithBuyer("parts");
    const boundary = "----hostile";
    const photo = Buffer.alloc(1024 * 1024, 0xff);
    const before = process.memoryUsage().rss;
    const reply = await streamPost(
      proxyUrl(app.url, "reviews", shop),
      { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Transfer-Encoding": "chunked", "X-Forwarded-For": nextAddress() },
      (function* () {
        for (const [name, value] of Object.entries({ ...DRAFT, email: "x@example.com" })) {
          yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
        }
        for (let part = 0; part < 150; part++) {
          yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="p${part}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
          for (let mb = 0; mb < 5; mb++) yield photo;
          yield Buffer.from("\r\n");
        }
        yield Buffer.from(`--${boundary}--\r\n`);
      })(),
    );
    const grown = process.memoryUsage().rss - before;
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ errors: { photos: "Add at most 3 photos." } });
    expect(reply.sentBytes).toBeLessThan(40 * 1024 * 1024); // of 750 MB
    expect(grown).toBeLessThan(200 * 1024 * 1024);
    expect(await db.review.count({ where: { shop } })).toBe(0);
  });

  it("refuses the fourth photo as soon as its part starts, and a body past the cap without a length", async () => {
    const shop = await shopWithBuyer("four");
    const small = new Blob([Buffer.alloc(1024, 1)], { type: "image/jpeg" });
    const four = await postReview(proxyUrl(app.url, "reviews", shop), form({ ...DRAFT, email: "x@example.com" }, [small, small, small, small]));
    expect(four.status).toBe(413);
    expect(await four.json()).toEqual({ errors: { photos: "Add at most 3 photos." } });

    // Many small fields, chunked: refused by their count.
    const many = await streamPost(
      proxyUrl(app.url, "reviews", shop),
      { "Content-Type": "multipart/form-data; boundary=b", "Transfer-Encoding": "chunked", "X-Forwarded-For": nextAddress() },
      Array.from({ length: 5000 }, (_, i) => Buffer.from(`--b\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nx\r\n`)),
    );
    expect(many, JSON.stringify(many)).toMatchObject({ status: 413 });
    // Three photos just under 5 MB each and one big text field: past the whole-body cap.
    const big = new Blob([Buffer.alloc(MAX_PHOTO_BYTES - 10, 1)], { type: "image/jpeg" });
    const whole = await postReview(proxyUrl(app.url, "reviews", shop), form({ ...DRAFT, email: "x@example.com", body: "é".repeat(20_000) }, [big, big, big]));
    expect(whole.status).toBe(413);
    // A malformed multipart body is a 400, not a crash.
    const malformed = await fetch(proxyUrl(app.url, "reviews", shop), {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=zz", "X-Forwarded-For": nextAddress() },
      body: "--zz\r\nContent-Disposition: nope\r\n\r\nx",
    });
    expect(malformed.status).toBe(400);
    expect(await db.review.count({ where: { shop } })).toBe(0);
  });

  it("caps the questions form the same way", async () => {
    const shop = await shopWithBuyer("qcap");
    const chunked = await streamPost(
      proxyUrl(app.url, "questions", shop),
      { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked", "X-Forwarded-For": nextAddress() },
      Array.from({ length: 2000 }, () => Buffer.from(`question=${"q".repeat(1000)}&`)),
    );
    expect(chunked.status).toBe(413);
    const file = new FormData();
    file.set("product_id", PRODUCT);
    file.set("question", "Is it oiled?");
    file.append("photos", new Blob(["x"]), "x.jpg");
    expect((await fetch(proxyUrl(app.url, "questions", shop), { method: "POST", body: file, headers: { "X-Forwarded-For": nextAddress() } })).status).toBe(413);
    expect(await db.question.count({ where: { shop } })).toBe(0);
  });
});

describe("rate limits key on the address Shopify saw", () => {
  it("a sixth review from one address gets 429 whatever the shopper puts first in X-Forwarded-For", async () => {
    const shop = await shopWithBuyer("xff");
    const real = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const spoofed = `10.${i}.${i}.${i}, 192.0.2.${i}`;
      statuses.push((await postReview(proxyUrl(app.url, "reviews", shop), form({ ...DRAFT, email: `guest${i}@example.com` }), `${spoofed}, ${real}`)).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(await db.review.count({ where: { shop } })).toBe(5);
  });
});

describe("a product's title is the store's", () => {
  it("ignores a forged product_title, and refuses a product the store does not know", async () => {
    const shop = await shopWithBuyer("title");
    const forged = await postReview(proxyUrl(app.url, "reviews", shop), form({ ...DRAFT, email: "guest@example.com", product_title: "<b>FREE</b> gift card" }));
    expect(forged.status).toBe(201);
    expect(await db.review.findFirstOrThrow({ where: { shop } })).toMatchObject({ productTitle: "Walnut Serving Board" });

    // No order of it in the mirror, and the Admin API cannot be asked (no offline session).
    const unknown = await postReview(
      proxyUrl(app.url, "reviews", shop),
      form({ ...DRAFT, product_id: "777", email: "other@example.com", product_title: "Anything" }),
    );
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors).toEqual({ product: expect.stringContaining("can't be found") });
    expect(await db.review.count({ where: { shop, productId: "777" } })).toBe(0);
  });
});

describe("static assets", () => {
  it("answers a malformed escape with 400 and no stack trace", async () => {
    for (const path of ["/assets/%E0%A4%A", "/assets/%", "/favicon.ico%FF"]) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path).toBe(400);
      const body = await response.text();
      expect(body).not.toMatch(/URIError|at |\.mjs/);
    }
  });
});
