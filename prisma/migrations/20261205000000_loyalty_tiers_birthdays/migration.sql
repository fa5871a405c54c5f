-- AlterTable
ALTER TABLE "LoyaltyAccount" ADD COLUMN "tier" TEXT;
ALTER TABLE "LoyaltyAccount" ADD COLUMN "tierCheckedAt" DATETIME;
ALTER TABLE "LoyaltyAccount" ADD COLUMN "birthMonth" INTEGER;
ALTER TABLE "LoyaltyAccount" ADD COLUMN "birthDay" INTEGER;

-- CreateIndex
CREATE INDEX "LoyaltyAccount_tierCheckedAt_idx" ON "LoyaltyAccount"("tierCheckedAt");

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_birthMonth_birthDay_idx" ON "LoyaltyAccount"("shop", "birthMonth", "birthDay");
