-- AlterTable
ALTER TABLE "LoyaltyAccount" ADD COLUMN "expiryWarnedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_updatedAt_idx" ON "LoyaltyAccount"("shop", "updatedAt");
