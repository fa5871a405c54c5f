// Each product's counts of published reviews (what the storefront list and the star sync read)
// stay equal to the reviews themselves through every path that changes what is published:
// a review through the email link, moderation, a CSV import, a customer's erasure, and two
// changes of one product at once.
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { CAPABILITIES } from "~/modules/capabilities";
import { redactCustomer } from "~/modules/privacy";
import { submitInvitedReview, type ReviewInvitation } from "~/modules/reviews";
import { importReviewsCsv } from "~/modules/reviews/csv";
import { setReviewStatus } from "~/modules/reviews/moderation";
import { productReviewsPage } from "~/modules/reviews/storefront";
import { uniqueShop } from "../../../tests/support/app";

const NOW = new Date("2026-11-20T10:00:00Z");
type Counts = { stars1: number; stars2: number; stars3: number; stars4: number; stars5: number; withPhotos: number };
const counts = (partial: Partial<Counts>): Counts => ({ stars1: 0, stars2: 0, stars3: 0, stars4: 0, stars5: 0, withPhotos: 0, ...partial });

/** The kept counts, and the same counted afresh from the reviews; both must be `expected` (null: no published review). */
async function expectCounts(shop: string, productId: string, expected: Counts | null) {
  const kept = await db.productReviewStats.findUnique({
    where: { shop_productId: { shop, productId } },
    select: { stars1: true, stars2: true, stars3: true, stars4: true, stars5: true, withPhotos: true },
  });
  const published = await db.review.findMany({
    where: { shop, productId, status: "published" },
    select: { rating: true, _count: { select: { photos: true } } },
  });
  const afresh =
    published.length === 0
      ? null
      : counts({
          ...Object.fromEntries([1, 2, 3, 4, 5].map((stars) => [`stars${stars}`, published.filter((r) => r.rating === stars).length])),
          withPhotos: published.filter((r) => r._count.photos > 0).length,
        });
  expect(afresh).toEqual(expected);
  expect(kept).toEqual(expected);
}

function invitation(shop: string, productId: string, customerId: string): ReviewInvitation {
  return {
    shop,
    storeName: "Count Goods",
    rewardOffer: null,
    rule: { minRating: 4, holdLinks: true },
    messageId: randomUUID(),
    orderId: randomUUID(),
    customerId,
    productId,
    productTitle: `Product ${productId}`,
    variantTitle: null,
    suggestedName: "A. B.",
    existing: null,
  };
}

const draft = (rating: number, photos: Buffer[] = []) => ({ rating, title: "", body: "Good.", authorName: "A. B.", photos });
const photo = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: "#8a5a3c" } })
    .png()
    .toBuffer();
const idOf = async (shop: string, productId: string, rating: number) =>
  (await db.review.findFirstOrThrow({ where: { shop, productId, rating }, select: { id: true } })).id;

describe("per-product review counts", () => {
  it("follow reviews published, held, hidden, imported and erased", async () => {
    const shop = uniqueShop("counts");
    const other = uniqueShop("counts-other");

    // Through the email link: 5 stars with a photo publishes at once, 3 stars waits.
    expect(await submitInvitedReview(invitation(shop, "501", "c-1"), draft(5, [await photo()]), NOW)).toEqual({ kind: "saved", status: "published" });
    expect(await submitInvitedReview(invitation(shop, "501", "c-2"), draft(3), NOW)).toEqual({ kind: "saved", status: "pending" });
    expect(await submitInvitedReview(invitation(other, "501", "c-9"), draft(4), NOW)).toEqual({ kind: "saved", status: "published" });
    await expectCounts(shop, "501", counts({ stars5: 1, withPhotos: 1 }));

    // Moderation: the waiting one published, the one with the photo hidden.
    expect(await setReviewStatus(shop, [await idOf(shop, "501", 3)], "published", NOW)).toBe(1);
    await expectCounts(shop, "501", counts({ stars3: 1, stars5: 1, withPhotos: 1 }));
    expect(await setReviewStatus(shop, [await idOf(shop, "501", 5)], "hidden", NOW)).toBe(1);
    await expectCounts(shop, "501", counts({ stars3: 1 }));

    // A CSV import counts what it publishes, and importing it again changes nothing.
    const csv = [
      "product_id,product_title,rating,body,author,status,created_at",
      "501,Product 501,4,Fine,Ana P.,published,2026-03-14",
      "501,Product 501,4,Fine too,Jon D.,,2026-03-15",
      "501,Product 501,1,Broken,Kim L.,pending,2026-03-16",
      "502,Product 502,2,Meh,Ana P.,published,2026-03-17",
    ].join("\n");
    expect(await importReviewsCsv(shop, csv, NOW)).toEqual({ imported: 4, duplicates: 0 });
    await expectCounts(shop, "501", counts({ stars3: 1, stars4: 2 }));
    await expectCounts(shop, "502", counts({ stars2: 1 }));
    expect(await importReviewsCsv(shop, csv, NOW)).toEqual({ imported: 0, duplicates: 4 });
    await expectCounts(shop, "501", counts({ stars3: 1, stars4: 2 }));

    // customers/redact: the customer's published review stops counting.
    await db.$transaction((tx) => redactCustomer(tx, shop, { customerId: "c-2", email: null, phone: null, orderIds: [], requestId: null }, CAPABILITIES));
    await expectCounts(shop, "501", counts({ stars4: 2 }));

    // A product whose last published review is hidden has no counts left.
    expect(await setReviewStatus(shop, [await idOf(shop, "502", 2)], "hidden", NOW)).toBe(1);
    await expectCounts(shop, "502", null);

    // Nothing of it reached the other shop's product of the same id.
    await expectCounts(other, "501", counts({ stars4: 1 }));
  });

  it("are what the storefront page shows, beside the page's reviews and their photos (raw SQL, so checked on each database)", async () => {
    const shop = uniqueShop("counts");
    await submitInvitedReview(invitation(shop, "701", "c-1"), draft(5, [await photo(), await photo()]), new Date("2026-11-18T10:00:00Z"));
    await submitInvitedReview(invitation(shop, "701", "c-2"), draft(4), new Date("2026-11-19T10:00:00Z"));
    const page = await productReviewsPage(shop, "701", "newest", 1);
    expect(page).toMatchObject({ productId: "701", average: 4.5, count: 2, histogram: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 }, sort: "newest", page: 1, pages: 1 });
    expect(page.reviews.map(({ id, photos, ...review }) => [typeof id, photos.length, review])).toEqual([
      ["string", 0, { rating: 4, title: null, body: "Good.", author: "A. B.", verified: true, date: "2026-11-19", reply: null }],
      ["string", 2, { rating: 5, title: null, body: "Good.", author: "A. B.", verified: true, date: "2026-11-18", reply: null }],
    ]);
    const withPhotos = await productReviewsPage(shop, "701", "photos", 1);
    expect(withPhotos.reviews).toHaveLength(1);
    expect(withPhotos.reviews[0]!.photos).toEqual([
      { url: expect.stringMatching(/^https:\/\/aftercare\.test\/review-photos\/[\w-]+$/), width: 40, height: 30 },
      { url: expect.stringMatching(/^https:\/\/aftercare\.test\/review-photos\/[\w-]+$/), width: 40, height: 30 },
    ]);
    expect(await productReviewsPage(shop, "702", "newest", 1)).toEqual({
      productId: "702",
      average: null,
      count: 0,
      histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
      sort: "newest",
      page: 1,
      pages: 1,
      reviews: [],
    });
  });

  it("are right when two changes to one product's reviews are saved at the same time", async () => {
    const shop = uniqueShop("counts");
    const held = { minRating: 6, holdLinks: true }; // nothing publishes by itself
    for (const [customer, rating] of [
      ["c-1", 5],
      ["c-2", 4],
      ["c-3", 2],
      ["c-4", 1],
    ] as const) {
      await submitInvitedReview({ ...invitation(shop, "601", customer), rule: held }, draft(rating), NOW);
    }
    await expectCounts(shop, "601", null);
    const ids = await Promise.all([5, 4, 2, 1].map((rating) => idOf(shop, "601", rating)));
    await Promise.all(ids.map((id) => setReviewStatus(shop, [id], "published", NOW)));
    await expectCounts(shop, "601", counts({ stars1: 1, stars2: 1, stars4: 1, stars5: 1 }));
    await Promise.all([setReviewStatus(shop, [ids[0]!], "hidden", NOW), setReviewStatus(shop, [ids[3]!], "hidden", NOW)]);
    await expectCounts(shop, "601", counts({ stars2: 1, stars4: 1 }));
  });
});
