-- CreateTable
CREATE TABLE "TestSend" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT
);

-- CreateIndex
CREATE INDEX "TestSend_shop_at_idx" ON "TestSend"("shop", "at");
