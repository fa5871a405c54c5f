-- AlterTable
ALTER TABLE "LoyaltyAccount" ADD COLUMN "expiryWarnedAt" DATETIME;

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_updatedAt_idx" ON "LoyaltyAccount"("shop", "updatedAt");
