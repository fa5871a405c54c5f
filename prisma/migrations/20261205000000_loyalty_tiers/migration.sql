-- AlterTable
ALTER TABLE "LoyaltyAccount" ADD COLUMN "tier" TEXT;
ALTER TABLE "LoyaltyAccount" ADD COLUMN "tierCheckedAt" DATETIME;

-- CreateIndex
CREATE INDEX "LoyaltyAccount_tierCheckedAt_idx" ON "LoyaltyAccount"("tierCheckedAt");
