-- CreateTable
CREATE TABLE "ProductRatingSync" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "changedAt" DATETIME NOT NULL,
    "syncedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" DATETIME,
    "leaseUntil" DATETIME,
    "lastError" TEXT,

    PRIMARY KEY ("shop", "productId")
);

-- CreateIndex
CREATE INDEX "ProductRatingSync_retryAt_idx" ON "ProductRatingSync"("retryAt");

