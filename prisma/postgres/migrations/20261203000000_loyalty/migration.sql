-- AlterTable
ALTER TABLE "Order" ADD COLUMN "subtotalMinor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "shippingMinor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "taxMinor" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "LoyaltyEntry" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "pendingDelta" INTEGER NOT NULL,
    "balanceDelta" INTEGER NOT NULL,
    "orderId" TEXT,
    "reason" TEXT NOT NULL,
    "actor" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoyaltyEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoyaltyAccount" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoyaltyAccount_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateIndex
CREATE INDEX "LoyaltyEntry_shop_customerId_createdAt_idx" ON "LoyaltyEntry"("shop", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "LoyaltyEntry_shop_orderId_idx" ON "LoyaltyEntry"("shop", "orderId");

-- CreateIndex
CREATE INDEX "LoyaltyEntry_kind_createdAt_idx" ON "LoyaltyEntry"("kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyEntry_shop_sourceKey_key" ON "LoyaltyEntry"("shop", "sourceKey");
