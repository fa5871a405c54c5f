// Random and malformed app proxy requests, into the built server over real HTTP: repeated
// keys, odd and broken percent-encodings, huge values, values of the wrong type, bad signatures
// and valid signatures over hostile values; form bodies of every shape. Whatever comes, the
// answer is never a 5xx, the server keeps answering, and nothing is half-written: every stored
// review or question is one the server said 201 to.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { now } from "~/modules/clock";
import { proxySignature } from "~/edge/proxy";
import { startApp, uniqueShop, type RunningApp } from "../support/app";

let app: RunningApp;
let shop: string;
beforeAll(async () => {
  app = await startApp();
  shop = uniqueShop("prop");
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
      lineItems: { create: [{ id: "90011", productId: "4321", title: "Walnut Serving Board", quantity: 1, priceMinor: 4500 }] },
    },
  });
});
afterAll(() => app.close());

const RUNS = { numRuns: 150 };
const KEYS = ["shop", "signature", "timestamp", "logged_in_customer_id", "path_prefix", "product_id", "page", "sort", "hmac"];

/** A value as hostile as it gets: unicode, numbers out of range, injections, huge, empty. */
const hostileValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    "-1",
    "0",
    "1e309",
    "NaN",
    "１２",
    "1 OR 1=1",
    "' OR '1'='1",
    "<script>",
    "../../etc/passwd",
    "\u0000",
    "4321",
    "501",
    "99999999999999999999999",
  ),
  fc.integer().map(String),
  fc.nat({ max: 8000 }).map((n) => "9".repeat(n)),
);
/** Raw query fragments, encoded or not: broken escapes and stray separators included. */
const rawPair = fc.oneof(
  fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })), hostileValue).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
  fc.constantFrom("%", "%E0%A4%A", "product_id=%FF", "=", "&", "a=b=c", "product_id", "page[]=1", "sort=%00", "shop=evil.myshopify.com"),
);
const rawQuery = fc.array(rawPair, { maxLength: 12 }).map((pairs) => pairs.join("&"));

type Signing = "valid" | "none" | "bad" | "stale" | "other-shop";
const signing = fc.constantFrom<Signing>("valid", "valid", "valid", "none", "bad", "stale", "other-shop");

/** The query as Shopify would forward it (its parameters added) and signed as `how` says, over whatever the shopper sent. */
function forwarded(raw: string, how: Signing, customerId: string): string {
  const query = new URLSearchParams(raw);
  if (how === "none") return raw;
  query.append("shop", how === "other-shop" ? "other.myshopify.com" : shop);
  query.append("logged_in_customer_id", customerId);
  query.append("path_prefix", "/apps/aftercare");
  query.append("timestamp", String(Math.floor(now().getTime() / 1000) - (how === "stale" ? 600 : 0)));
  query.append("signature", how === "bad" ? "0".repeat(64) : proxySignature(query, process.env.SHOPIFY_API_SECRET!));
  // The shopper's raw fragments first, exactly as typed; Shopify's additions after.
  const added = [...query.entries()].slice([...new URLSearchParams(raw).keys()].length);
  return [raw, new URLSearchParams(added).toString()].filter(Boolean).join("&");
}
const customerId = fc.oneof(fc.constant(""), fc.constant("501"), hostileValue);

async function expectAlive() {
  const response = await fetch(`${app.url}/proxy/reviews?product_id=1`);
  expect(response.status).toBe(401);
  await response.body?.cancel();
}

let created = { reviews: 0, questions: 0 };

describe("random proxy queries", () => {
  it("GET on either endpoint is never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("reviews", "questions"), rawQuery, signing, customerId, async (path, raw, how, customer) => {
        const response = await fetch(`${app.url}/proxy/${path}?${forwarded(raw, how, customer)}`);
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        if (how === "other-shop" && response.status === 200) {
          // Shopify signs for every shop that installed the app: another shop is answered from its own data (none), never this one's.
          expect(JSON.parse(text)).toMatchObject({ count: 0 });
        } else if (how !== "valid") expect([400, 401, 404, 405, 414, 431]).toContain(response.status);
      }),
      RUNS,
    );
    await expectAlive();
  });
});

/** A form body of any shape: multipart with or without files, URL-encoded, JSON, garbage. */
const field = fc.tuple(
  fc.oneof(
    fc.constantFrom("product_id", "rating", "title", "body", "authorName", "email", "product_title", "name", "question", "product_url", "photos"),
    fc.string({ maxLength: 8 }),
  ),
  hostileValue,
);
const body = fc.oneof(
  fc.record({ kind: fc.constant("multipart" as const), fields: fc.array(field, { maxLength: 14 }), files: fc.nat({ max: 5 }), good: fc.boolean() }),
  fc.record({ kind: fc.constant("multipart" as const), fields: fc.array(field, { maxLength: 2 }), files: fc.constant(0), good: fc.constant(true) }),
  fc.record({ kind: fc.constant("urlencoded" as const), fields: fc.array(field, { maxLength: 14 }), files: fc.constant(0), good: fc.boolean() }),
  fc.record({ kind: fc.constant("urlencoded" as const), fields: fc.array(field, { maxLength: 2 }), files: fc.constant(0), good: fc.constant(true) }),
  fc.record({
    kind: fc.constantFrom("json" as const, "garbage" as const),
    fields: fc.array(field, { maxLength: 4 }),
    files: fc.constant(0),
    good: fc.constant(false),
  }),
);
const GOOD = { product_id: "4321", rating: "4", body: "Solid and heavy.", authorName: "Ana", name: "Ana", question: "Is it oiled?" };

function request(shape: { kind: string; fields: [string, string][]; files: number; good: boolean }, email: string): RequestInit {
  const fields: [string, string][] = [
    ...(shape.good ? Object.entries(GOOD) : []),
    ...(shape.good ? [["email", email] as [string, string]] : []),
    ...shape.fields,
  ];
  if (shape.kind === "multipart") {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    for (let i = 0; i < shape.files; i++) form.append("photos", new Blob([Buffer.alloc(64, i)], { type: "image/jpeg" }), `p${i}.jpg`);
    return { method: "POST", body: form };
  }
  if (shape.kind === "urlencoded") return { method: "POST", body: new URLSearchParams(fields) };
  if (shape.kind === "json") return { method: "POST", body: JSON.stringify(Object.fromEntries(fields)), headers: { "Content-Type": "application/json" } };
  return {
    method: "POST",
    body: "--x\r\nContent-Disposition: form-data\r\n\r\n" + fields.map((f) => f.join("=")).join("\r\n"),
    headers: { "Content-Type": "multipart/form-data; boundary=x" },
  };
}

describe("random form bodies", () => {
  it("POST to either endpoint is never a 5xx, and only a 201 stores anything", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("reviews", "questions"),
        fc.oneof(fc.constant(""), rawQuery),
        fc.constantFrom<Signing>("valid", "valid", "bad"),
        customerId,
        body,
        async (path, raw, how, customer, shape) => {
          const init = request(shape, `p${++n}@example.com`);
          // A fresh address each time: the rate limits are tested elsewhere.
          const headers = new Headers(init.headers);
          headers.set("X-Forwarded-For", `192.0.2.1, 10.9.${n >> 8}.${n & 255}`);
          const response = await fetch(`${app.url}/proxy/${path}?${forwarded(raw, how, customer)}`, { ...init, headers });
          const text = await response.text();
          expect(response.status, text).toBeLessThan(500);
          if (response.status === 201) created = { ...created, [path]: created[path as "reviews" | "questions"] + 1 };
        },
      ),
      RUNS,
    );
    await expectAlive();
    expect(await db.review.count({ where: { shop } })).toBe(created.reviews);
    expect(await db.question.count({ where: { shop } })).toBe(created.questions);
    // Each stored review is whole: its photos all there (none of these bodies held a real image).
    expect(await db.reviewPhoto.count({ where: { shop } })).toBe(0);
    expect(created.reviews + created.questions).toBeGreaterThan(0); // the well-formed share did get through
  });
});
