-- AlterTable
ALTER TABLE "LoyaltyAccount" ADD COLUMN "tier" TEXT,
ADD COLUMN "tierCheckedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "LoyaltyAccount_tierCheckedAt_idx" ON "LoyaltyAccount"("tierCheckedAt");
