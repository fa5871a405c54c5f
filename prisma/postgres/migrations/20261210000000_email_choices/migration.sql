-- CreateTable
CREATE TABLE "EmailChoice" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EmailChoice_pkey" PRIMARY KEY ("shop","customerId","flow")
);
