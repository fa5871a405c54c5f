-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "replenishmentLearnedAt" DATETIME;

-- CreateTable
CREATE TABLE "ProductReplenishment" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "merchantDays" INTEGER,
    "learnedDays" INTEGER,
    "learnedFrom" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "productId")
);

-- CreateTable
CREATE TABLE "ReorderChoice" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "days" INTEGER,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "customerId", "productId")
);

