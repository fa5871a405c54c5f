-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "orderId" TEXT,
    "kind" TEXT NOT NULL,
    "valueType" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "expiresInDays" INTEGER,
    "status" TEXT NOT NULL,
    "code" TEXT,
    "shopifyId" TEXT,
    "endsAt" DATETIME,
    "messageId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" DATETIME,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "issuedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Reward_status_retryAt_idx" ON "Reward"("status", "retryAt");

-- CreateIndex
CREATE INDEX "Reward_shop_customerId_idx" ON "Reward"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Reward_shop_messageId_idx" ON "Reward"("shop", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Reward_shop_sourceKey_key" ON "Reward"("shop", "sourceKey");

-- Carry the review rewards over: their key names the review, a code already stored means
-- Shopify was asked, a refusal keeps its reason.
INSERT INTO "Reward" ("id", "shop", "sourceKey", "customerId", "orderId", "kind", "valueType", "value", "currency", "expiresInDays",
    "status", "code", "shopifyId", "endsAt", "messageId", "attempts", "retryAt", "leaseOwner", "leaseUntil", "lastError", "createdAt", "issuedAt")
SELECT "id", "shop", 'review:' || "reviewId", "customerId", "orderId", 'discount_code', "valueType", "value", "currency", "expiresInDays",
    CASE "status" WHEN 'issued' THEN 'issued' WHEN 'failed' THEN 'refused' ELSE CASE WHEN "code" IS NULL THEN 'recorded' ELSE 'issuing' END END,
    "code", "discountId", "endsAt", "messageId", "attempts", "retryAt", "leaseOwner", "leaseUntil", "lastError", "createdAt", "issuedAt"
FROM "ReviewReward";

-- DropTable
DROP TABLE "ReviewReward";
