-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WebhookDelivery" (
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" DATETIME,
    "receivedAt" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,
    "payload" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" DATETIME,
    "appliedAt" DATETIME,
    "detail" TEXT,

    PRIMARY KEY ("shop", "webhookId")
);
INSERT INTO "new_WebhookDelivery" ("detail", "eventId", "outcome", "receivedAt", "shop", "topic", "triggeredAt", "webhookId") SELECT "detail", "eventId", "outcome", "receivedAt", "shop", "topic", "triggeredAt", "webhookId" FROM "WebhookDelivery";
DROP TABLE "WebhookDelivery";
ALTER TABLE "new_WebhookDelivery" RENAME TO "WebhookDelivery";
CREATE INDEX "WebhookDelivery_shop_receivedAt_idx" ON "WebhookDelivery"("shop", "receivedAt");
CREATE INDEX "WebhookDelivery_outcome_receivedAt_idx" ON "WebhookDelivery"("outcome", "receivedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

