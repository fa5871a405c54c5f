-- AlterTable
ALTER TABLE "Feedback" ADD COLUMN "details" TEXT;
