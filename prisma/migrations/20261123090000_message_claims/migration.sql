-- AlterTable (SQLite adds a NOT NULL column with a default in place; no table rewrite)
ALTER TABLE "Message" ADD COLUMN "claims" INTEGER NOT NULL DEFAULT 0;
