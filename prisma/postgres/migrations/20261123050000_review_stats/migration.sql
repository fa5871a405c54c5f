-- CreateTable
CREATE TABLE "ProductReviewStats" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "stars1" INTEGER NOT NULL,
    "stars2" INTEGER NOT NULL,
    "stars3" INTEGER NOT NULL,
    "stars4" INTEGER NOT NULL,
    "stars5" INTEGER NOT NULL,
    "withPhotos" INTEGER NOT NULL,

    CONSTRAINT "ProductReviewStats_pkey" PRIMARY KEY ("shop","productId")
);

-- Backfill: the counts of the reviews published so far (kept up to date by the app from now on).
INSERT INTO "ProductReviewStats" ("shop", "productId", "stars1", "stars2", "stars3", "stars4", "stars5", "withPhotos")
SELECT r."shop", r."productId",
    SUM(CASE WHEN r."rating" = 1 THEN 1 ELSE 0 END),
    SUM(CASE WHEN r."rating" = 2 THEN 1 ELSE 0 END),
    SUM(CASE WHEN r."rating" = 3 THEN 1 ELSE 0 END),
    SUM(CASE WHEN r."rating" = 4 THEN 1 ELSE 0 END),
    SUM(CASE WHEN r."rating" = 5 THEN 1 ELSE 0 END),
    SUM(CASE WHEN EXISTS (SELECT 1 FROM "ReviewPhoto" p WHERE p."reviewId" = r."id") THEN 1 ELSE 0 END)
FROM "Review" r
WHERE r."status" = 'published'
GROUP BY r."shop", r."productId";

