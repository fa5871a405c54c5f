-- CreateTable
CREATE TABLE "EmailChoice" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "customerId", "flow")
);
