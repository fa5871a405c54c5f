-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "marketing" BOOLEAN NOT NULL DEFAULT false,
    "orderId" TEXT,
    "customerId" TEXT,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "toAddress" TEXT,
    "subject" TEXT,
    "html" TEXT,
    "text" TEXT,
    "productIds" TEXT NOT NULL DEFAULT '[]',
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Unsubscribe" (
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "source" TEXT NOT NULL,

    PRIMARY KEY ("shop", "email")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT,
    "customerId" TEXT,
    "answer" TEXT,
    "score" INTEGER,
    "comment" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CustomerCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT,
    "customerId" TEXT,
    "feedbackId" TEXT,
    "summary" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Message_status_dueAt_idx" ON "Message"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Message_shop_createdAt_idx" ON "Message"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Message_shop_orderId_idx" ON "Message"("shop", "orderId");

-- CreateIndex
CREATE INDEX "Message_shop_customerId_sentAt_idx" ON "Message"("shop", "customerId", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "Message_shop_key_key" ON "Message"("shop", "key");

-- CreateIndex
CREATE INDEX "Feedback_shop_createdAt_idx" ON "Feedback"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_shop_messageId_kind_key" ON "Feedback"("shop", "messageId", "kind");

-- CreateIndex
CREATE INDEX "CustomerCase_shop_status_createdAt_idx" ON "CustomerCase"("shop", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerCase_shop_feedbackId_key" ON "CustomerCase"("shop", "feedbackId");

