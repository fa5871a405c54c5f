-- AlterTable
ALTER TABLE "Review" ADD COLUMN "email" TEXT;

-- CreateIndex
CREATE INDEX "Review_shop_email_idx" ON "Review"("shop", "email");

