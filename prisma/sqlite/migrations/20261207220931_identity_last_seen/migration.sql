-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_identity" (
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
    "emailKey" TEXT,
    "nameKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "identity_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Until now a visitor was last seen when the row was last written.
INSERT INTO "new_identity" ("automatedUuid", "communityId", "createdAt", "customFields", "emailKey", "extraValues", "fields", "id", "kid", "nameKey", "sources", "updatedAt", "lastSeenAt", "uuid", "verified") SELECT "automatedUuid", "communityId", "createdAt", "customFields", "emailKey", "extraValues", "fields", "id", "kid", "nameKey", "sources", "updatedAt", "updatedAt", "uuid", "verified" FROM "identity";
DROP TABLE "identity";
ALTER TABLE "new_identity" RENAME TO "identity";
CREATE INDEX "identity_communityId_updatedAt_idx" ON "identity"("communityId", "updatedAt");
CREATE INDEX "identity_communityId_lastSeenAt_idx" ON "identity"("communityId", "lastSeenAt");
CREATE INDEX "identity_communityId_verified_updatedAt_idx" ON "identity"("communityId", "verified", "updatedAt");
CREATE INDEX "identity_communityId_emailKey_idx" ON "identity"("communityId", "emailKey");
CREATE INDEX "identity_communityId_nameKey_idx" ON "identity"("communityId", "nameKey");
CREATE UNIQUE INDEX "identity_communityId_uuid_key" ON "identity"("communityId", "uuid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

