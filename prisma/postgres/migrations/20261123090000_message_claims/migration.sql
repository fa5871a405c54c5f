-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "claims" INTEGER NOT NULL DEFAULT 0;

