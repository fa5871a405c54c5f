-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "appliedAt" TIMESTAMP(3),
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "payload" TEXT,
ADD COLUMN     "retryAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "WebhookDelivery_outcome_receivedAt_idx" ON "WebhookDelivery"("outcome", "receivedAt");

