// Reviews in and out as CSV through the admin's real routes: the documented columns both ways,
// an import that is all or nothing with each bad line named, re-importing adds nothing twice,
// text kept exactly (quotes, commas, new lines, script), and spreadsheet formulas made inert.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { startApp, uniqueShop, type RunningApp } from "./support/app";
import { adminFetch, installSession } from "./support/admin";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

async function shopInstalled() {
  const shop = uniqueShop("csv");
  await installSession(shop);
  await db.shop.create({ data: { shop, name: "CSV Goods", installedAt: new Date() } });
  return shop;
}

// Remix answers an action POSTed to a route with the page; ?_data returns the action's JSON.
const importPath = "/app/reviews/import?_data=routes%2Fapp.reviews_.import";
function uploadData(shop: string, csv: string) {
  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv" }), "reviews.csv");
  return adminFetch(app, shop, importPath, { method: "POST", body: form });
}

const GOOD = [
  "product_id,product_title,rating,title,body,author,verified,status,created_at,reply",
  '101,Kenya AA,5,"Bright, fruity","She said ""wow"".\nSecond line.",Maya C.,true,published,2026-03-14T09:30:00Z,Thanks Maya!',
  "101,Kenya AA,2,,Too acidic for me,Jon D.,false,pending,2026-03-15,",
  '102,Hand Grinder,4,<script>alert(1)</script>,"=HYPERLINK(""http://evil"")",Ana P.,yes,,2026-03-16,',
].join("\n");

describe("reviews CSV", () => {
  it("imports a file from another app, keeps every character, and exports the same columns back", async () => {
    const shop = await shopInstalled();
    const response = await uploadData(shop, GOOD);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ imported: 3, duplicates: 0 });
    const reviews = await db.review.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
    expect(reviews.map((r) => [r.productId, r.rating, r.title, r.status, r.verified, r.source])).toEqual([
      ["101", 5, "Bright, fruity", "published", true, "import"],
      ["101", 2, null, "pending", false, "import"],
      ["102", 4, "<script>alert(1)</script>", "published", true, "import"],
    ]);
    expect(reviews[0]!.body).toBe('She said "wow".\nSecond line.');
    expect(reviews[0]!.reply).toBe("Thanks Maya!");
    // Published ones mark their products for the star sync.
    expect((await db.productRatingSync.findMany({ where: { shop } })).map((r) => r.productId).sort()).toEqual(["101", "102"]);

    const again = await uploadData(shop, GOOD);
    expect(await again.json()).toEqual({ imported: 0, duplicates: 3 });
    expect(await db.review.count({ where: { shop } })).toBe(3);

    const exported = await adminFetch(app, shop, "/app/reviews/export");
    expect(exported.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(exported.headers.get("content-disposition")).toMatch(/^attachment; filename="reviews-\d{4}-\d\d-\d\d\.csv"$/);
    const csv = await exported.text();
    expect(csv.split("\n")[0]).toBe("product_id,product_title,rating,title,body,author,verified,status,created_at,reply");
    expect(csv).toContain(`'=HYPERLINK(""http://evil"")`); // a spreadsheet shows it as text, never runs it
    // The export imports back into another shop exactly.
    const other = await shopInstalled();
    expect(await (await uploadData(other, csv)).json()).toEqual({ imported: 3, duplicates: 0 });
    const copied = await db.review.findMany({ where: { shop: other }, orderBy: { createdAt: "asc" } });
    expect(copied.map((r) => [r.body, r.title, r.authorName, r.createdAt.toISOString()])).toEqual(
      reviews.map((r) => [r.body, r.title, r.authorName, r.createdAt.toISOString()]),
    );
  });

  it("imports nothing from a file with bad rows, and names each line's problems", async () => {
    const shop = await shopInstalled();
    const bad = [
      "product_id,product_title,rating,body,author,created_at",
      "101,Kenya AA,5,Lovely,Maya C.,2026-03-14",
      "abc,Kenya AA,6,,Jon D.,yesterday",
      "102,Grinder,4,Good,,2026-03-16",
    ].join("\n");
    const response = await uploadData(shop, bad);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          line: 3,
          message:
            "product_id must be Shopify's numeric product id; rating must be a whole number from 1 to 5; body is empty; created_at must be a date in the past (ISO 8601)",
        },
        { line: 4, message: "author is empty" },
      ],
    });
    expect(await db.review.count({ where: { shop } })).toBe(0);

    const noColumns = await uploadData(shop, "product,stars\n1,5");
    expect((await noColumns.json()).errors[0].message).toBe("Missing columns: product_id, product_title, rating, body, author, created_at.");
  });
});
