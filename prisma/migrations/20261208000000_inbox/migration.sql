-- AlterTable
ALTER TABLE "CustomerCase" ADD COLUMN "firstResponseAt" DATETIME;
ALTER TABLE "CustomerCase" ADD COLUMN "lastMessageAt" DATETIME;

-- CreateTable
CREATE TABLE "CaseMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "customerId" TEXT,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "actor" TEXT,
    "messageId" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "CaseMessage_shop_caseId_createdAt_idx" ON "CaseMessage"("shop", "caseId", "createdAt");

-- CreateIndex
CREATE INDEX "CaseMessage_shop_customerId_idx" ON "CaseMessage"("shop", "customerId");
