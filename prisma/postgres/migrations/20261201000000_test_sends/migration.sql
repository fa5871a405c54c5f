-- CreateTable
CREATE TABLE "TestSend" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,

    CONSTRAINT "TestSend_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TestSend_shop_at_idx" ON "TestSend"("shop", "at");
