// The reviews CSV import at the sizes a store moving from another app brings: past the point
// where one query held every id (996 rows on SQLite), up to the documented 50,000 rows, and
// refused with a clear 4xx, naming the limit, above the row count or the file size.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "~/modules/reviews/csv";
import { startApp, uniqueShop, type RunningApp } from "../support/app";
import { adminFetch, installSession } from "../support/admin";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

async function shopInstalled() {
  const shop = uniqueShop("csv-big");
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "Big Import", installedAt: new Date() } });
  return shop;
}

const importPath = "/app/reviews/import?_data=routes%2Fapp.reviews_.import";
function upload(shop: string, csv: string | Blob) {
  const form = new FormData();
  form.set("file", csv instanceof Blob ? csv : new Blob([csv], { type: "text/csv" }), "reviews.csv");
  return adminFetch(app, shop, importPath, { method: "POST", body: form });
}

const isPending = (i: number) => i % 3 === 0;

/** `count` distinct reviews over `products` products, every third one pending. */
function reviewsCsv(count: number, products: number) {
  const lines = ["product_id,product_title,rating,body,author,status,created_at"];
  for (let i = 0; i < count; i++) {
    const product = 7_000_000 + (i % products);
    lines.push(
      `${product},Product ${product},${(i % 5) + 1},Review number ${i} of a big import,Writer ${i},${isPending(i) ? "pending" : "published"},2025-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`,
    );
  }
  return lines.join("\n");
}

/** How many of those products have a published review. */
const productsPublished = (count: number, products: number) =>
  new Set(
    Array.from({ length: count }, (_, i) => i)
      .filter((i) => !isPending(i))
      .map((i) => i % products),
  ).size;

describe("reviews CSV import at size", () => {
  it("imports more rows than one query could name, and a second time adds none", async () => {
    const shop = await shopInstalled();
    const csv = reviewsCsv(1_200, 1_100);
    const first = await upload(shop, csv);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ imported: 1_200, duplicates: 0 });
    const again = await upload(shop, csv);
    expect(await again.json()).toEqual({ imported: 0, duplicates: 1_200 });
    expect(await db.review.count({ where: { shop } })).toBe(1_200);
    // Every product with a published review is marked for the star sync and counted.
    expect(await db.productRatingSync.count({ where: { shop } })).toBe(productsPublished(1_200, 1_100));
    expect(await db.productReviewStats.count({ where: { shop } })).toBe(productsPublished(1_200, 1_100));
  });

  it(`imports ${MAX_IMPORT_ROWS.toLocaleString("en")} rows (each its own product) in one file`, async () => {
    const shop = await shopInstalled();
    const csv = reviewsCsv(MAX_IMPORT_ROWS, MAX_IMPORT_ROWS);
    const started = performance.now();
    const response = await upload(shop, csv);
    const seconds = (performance.now() - started) / 1000;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ imported: MAX_IMPORT_ROWS, duplicates: 0 });
    console.info(`imported ${MAX_IMPORT_ROWS} reviews (${(csv.length / 1e6).toFixed(1)} MB) in ${seconds.toFixed(1)} s`);
    expect(await db.review.count({ where: { shop } })).toBe(MAX_IMPORT_ROWS);
    const published = await db.review.count({ where: { shop, status: "published" } });
    expect(await db.productReviewStats.count({ where: { shop } })).toBe(published);
  }, 60_000);

  it("refuses a file with more rows than the limit, naming both numbers, and imports none", async () => {
    const shop = await shopInstalled();
    const response = await upload(shop, reviewsCsv(MAX_IMPORT_ROWS + 1, 10));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ line: 0, message: "The file has 50,001 reviews: import at most 50,000 at a time (split it in parts)." }],
    });
    expect(await db.review.count({ where: { shop } })).toBe(0);
  });

  it("refuses a file over the size limit with 413 before reading it, naming the limit", async () => {
    const shop = await shopInstalled();
    const header = "product_id,product_title,rating,body,author,created_at\n";
    const response = await upload(shop, new Blob([header, "x".repeat(MAX_IMPORT_BYTES)], { type: "text/csv" }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [{ line: 0, message: "The file is larger than 20 MB: split it in parts." }] });
    expect(await db.review.count({ where: { shop } })).toBe(0);
  });
});
