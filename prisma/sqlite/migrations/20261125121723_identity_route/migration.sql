-- CreateTable
CREATE TABLE "key_usage" (
    "jwtKeyId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("jwtKeyId", "hour"),
    CONSTRAINT "key_usage_jwtKeyId_fkey" FOREIGN KEY ("jwtKeyId") REFERENCES "jwt_key" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "identity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "automatedUuid" BOOLEAN NOT NULL DEFAULT false,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "kid" TEXT,
    "fields" TEXT NOT NULL DEFAULT '{}',
    "customFields" TEXT NOT NULL DEFAULT '{}',
    "extraValues" TEXT NOT NULL DEFAULT '{}',
    "sources" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "identity_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "verification_log" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "code" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "kid" TEXT,
    "origin" TEXT,
    "excerpt" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "verification_log_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "identity_communityId_updatedAt_idx" ON "identity"("communityId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "identity_communityId_uuid_key" ON "identity"("communityId", "uuid");

-- CreateIndex
CREATE INDEX "verification_log_communityId_createdAt_idx" ON "verification_log"("communityId", "createdAt");

