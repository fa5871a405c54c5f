-- AlterTable
ALTER TABLE "CustomerCase" ADD COLUMN "firstResponseAt" TIMESTAMP(3);
ALTER TABLE "CustomerCase" ADD COLUMN "lastMessageAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CaseMessage" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "customerId" TEXT,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "actor" TEXT,
    "messageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CaseMessage_shop_caseId_createdAt_idx" ON "CaseMessage"("shop", "caseId", "createdAt");

-- CreateIndex
CREATE INDEX "CaseMessage_shop_customerId_idx" ON "CaseMessage"("shop", "customerId");
