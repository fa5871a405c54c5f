-- AlterTable
ALTER TABLE "LoyaltyAccount" ADD COLUMN "tier" TEXT,
ADD COLUMN "tierCheckedAt" TIMESTAMP(3),
ADD COLUMN "birthMonth" INTEGER,
ADD COLUMN "birthDay" INTEGER;

-- CreateIndex
CREATE INDEX "LoyaltyAccount_tierCheckedAt_idx" ON "LoyaltyAccount"("tierCheckedAt");

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_birthMonth_birthDay_idx" ON "LoyaltyAccount"("shop", "birthMonth", "birthDay");
