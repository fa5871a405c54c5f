-- CreateTable
CREATE TABLE "ReviewReward" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "orderId" TEXT,
    "valueType" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "expiresInDays" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "code" TEXT,
    "discountId" TEXT,
    "endsAt" TIMESTAMP(3),
    "messageId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "issuedAt" TIMESTAMP(3),

    CONSTRAINT "ReviewReward_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReviewReward_status_retryAt_idx" ON "ReviewReward"("status", "retryAt");

-- CreateIndex
CREATE INDEX "ReviewReward_shop_customerId_idx" ON "ReviewReward"("shop", "customerId");

-- CreateIndex
CREATE INDEX "ReviewReward_shop_messageId_idx" ON "ReviewReward"("shop", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewReward_shop_reviewId_key" ON "ReviewReward"("shop", "reviewId");

