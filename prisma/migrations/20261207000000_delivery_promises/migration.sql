-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "country" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "shippingCountry" TEXT;

-- CreateTable
CREATE TABLE "OrderPromise" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "customerId" TEXT,
    "country" TEXT,
    "placedAt" DATETIME NOT NULL,
    "dispatchBy" DATETIME NOT NULL,
    "dispatchRiskAt" DATETIME NOT NULL,
    "deliverBy" DATETIME NOT NULL,
    "deliveryRiskAt" DATETIME NOT NULL,
    "shippedAt" DATETIME,
    "deliveredAt" DATETIME,
    "tracked" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL,
    "checkAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "orderId")
);

-- CreateTable
CREATE TABLE "PromiseBreach" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "brokenAt" DATETIME NOT NULL,
    "expectedBy" DATETIME NOT NULL,
    "decision" TEXT NOT NULL,
    "detail" TEXT,
    "messageId" TEXT,
    "goodwill" TEXT,
    "decidedBy" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "orderId", "kind")
);

-- CreateIndex
CREATE INDEX "OrderPromise_checkAt_idx" ON "OrderPromise"("checkAt");

-- CreateIndex
CREATE INDEX "OrderPromise_shop_state_dispatchRiskAt_idx" ON "OrderPromise"("shop", "state", "dispatchRiskAt");

-- CreateIndex
CREATE INDEX "OrderPromise_shop_placedAt_idx" ON "OrderPromise"("shop", "placedAt");

-- CreateIndex
CREATE INDEX "PromiseBreach_shop_createdAt_idx" ON "PromiseBreach"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "PromiseBreach_shop_decision_idx" ON "PromiseBreach"("shop", "decision");
