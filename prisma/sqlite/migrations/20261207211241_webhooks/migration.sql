-- AlterTable
ALTER TABLE "jwt_key" ADD COLUMN "expiryNotifiedAt" DATETIME;

-- CreateTable
CREATE TABLE "webhook_endpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "events" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "secretCiphertext" TEXT NOT NULL,
    "previousSecretCiphertext" TEXT,
    "previousSecretUntil" DATETIME,
    "failingSince" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "webhook_endpoint_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "webhook_message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "endpointId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "uuid" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "claimedUntil" DATETIME,
    "claimToken" TEXT,
    "createdAt" DATETIME NOT NULL,
    "deliveredAt" DATETIME,
    CONSTRAINT "webhook_message_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "webhook_attempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "messageId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "status" INTEGER,
    "ok" BOOLEAN NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "excerpt" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "webhook_attempt_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "webhook_message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "webhook_endpoint_communityId_idx" ON "webhook_endpoint"("communityId");

-- CreateIndex
CREATE INDEX "webhook_message_status_nextAttemptAt_idx" ON "webhook_message"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "webhook_message_endpointId_createdAt_idx" ON "webhook_message"("endpointId", "createdAt");

-- CreateIndex
CREATE INDEX "webhook_message_communityId_uuid_idx" ON "webhook_message"("communityId", "uuid");

-- CreateIndex
CREATE INDEX "webhook_message_createdAt_idx" ON "webhook_message"("createdAt");

-- CreateIndex
CREATE INDEX "webhook_attempt_messageId_idx" ON "webhook_attempt"("messageId");

-- CreateIndex
CREATE INDEX "webhook_attempt_endpointId_at_idx" ON "webhook_attempt"("endpointId", "at");

