-- AlterTable
ALTER TABLE "Order" ADD COLUMN "shippingKey" TEXT;

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "advocateId" TEXT NOT NULL,
    "friendCustomerId" TEXT,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "flags" TEXT NOT NULL DEFAULT '[]',
    "reason" TEXT,
    "decidedBy" TEXT,
    "decidedAt" DATETIME,
    "rewardedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Reward_shop_code_idx" ON "Reward"("shop", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_orderId_key" ON "Referral"("shop", "orderId");

-- CreateIndex
CREATE INDEX "Referral_shop_advocateId_status_idx" ON "Referral"("shop", "advocateId", "status");

-- CreateIndex
CREATE INDEX "Referral_shop_code_createdAt_idx" ON "Referral"("shop", "code", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_status_createdAt_idx" ON "Referral"("status", "createdAt");
