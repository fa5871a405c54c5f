-- CreateTable
CREATE TABLE "ProductRatingSync" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,
    "syncedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "ProductRatingSync_pkey" PRIMARY KEY ("shop","productId")
);

-- CreateIndex
CREATE INDEX "ProductRatingSync_retryAt_idx" ON "ProductRatingSync"("retryAt");

