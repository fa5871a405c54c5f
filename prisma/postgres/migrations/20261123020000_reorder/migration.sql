-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "replenishmentLearnedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ProductReplenishment" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "merchantDays" INTEGER,
    "learnedDays" INTEGER,
    "learnedFrom" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductReplenishment_pkey" PRIMARY KEY ("shop","productId")
);

-- CreateTable
CREATE TABLE "ReorderChoice" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "days" INTEGER,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReorderChoice_pkey" PRIMARY KEY ("shop","customerId","productId")
);

