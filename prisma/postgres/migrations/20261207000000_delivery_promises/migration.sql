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
    "placedAt" TIMESTAMP(3) NOT NULL,
    "dispatchBy" TIMESTAMP(3) NOT NULL,
    "dispatchRiskAt" TIMESTAMP(3) NOT NULL,
    "deliverBy" TIMESTAMP(3) NOT NULL,
    "deliveryRiskAt" TIMESTAMP(3) NOT NULL,
    "shippedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "tracked" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL,
    "checkAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderPromise_pkey" PRIMARY KEY ("shop", "orderId")
);

-- CreateTable
CREATE TABLE "PromiseBreach" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "brokenAt" TIMESTAMP(3) NOT NULL,
    "expectedBy" TIMESTAMP(3) NOT NULL,
    "decision" TEXT NOT NULL,
    "detail" TEXT,
    "messageId" TEXT,
    "goodwill" TEXT,
    "decidedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PromiseBreach_pkey" PRIMARY KEY ("shop", "orderId", "kind")
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
