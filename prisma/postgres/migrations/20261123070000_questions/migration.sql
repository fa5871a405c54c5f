-- CreateTable
CREATE TABLE "Question" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL,
    "productUrl" TEXT,
    "askerName" TEXT NOT NULL,
    "askerEmail" TEXT NOT NULL,
    "customerId" TEXT,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "answered" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionAnswer" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customerId" TEXT,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "askerNotifiedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuestionAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionEmail" (
    "messageId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "customerId" TEXT,
    "answerId" TEXT,

    CONSTRAINT "QuestionEmail_pkey" PRIMARY KEY ("messageId")
);

-- CreateIndex
CREATE INDEX "Question_shop_productId_status_answered_createdAt_idx" ON "Question"("shop", "productId", "status", "answered", "createdAt");

-- CreateIndex
CREATE INDEX "Question_shop_status_createdAt_idx" ON "Question"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Question_shop_askerEmail_idx" ON "Question"("shop", "askerEmail");

-- CreateIndex
CREATE INDEX "QuestionAnswer_shop_questionId_status_idx" ON "QuestionAnswer"("shop", "questionId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionAnswer_shop_questionId_customerId_key" ON "QuestionAnswer"("shop", "questionId", "customerId");

-- CreateIndex
CREATE INDEX "QuestionEmail_shop_questionId_idx" ON "QuestionEmail"("shop", "questionId");

-- CreateIndex
CREATE INDEX "QuestionEmail_shop_customerId_idx" ON "QuestionEmail"("shop", "customerId");

-- AddForeignKey
ALTER TABLE "QuestionAnswer" ADD CONSTRAINT "QuestionAnswer_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionEmail" ADD CONSTRAINT "QuestionEmail_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

