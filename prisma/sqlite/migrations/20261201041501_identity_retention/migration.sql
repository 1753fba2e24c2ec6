-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_community" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "signedIdentities" TEXT NOT NULL DEFAULT 'reject',
    "clockSkewSeconds" INTEGER NOT NULL DEFAULT 10,
    "allowedOrigins" TEXT NOT NULL DEFAULT '[]',
    "rateLimitPerMinute" INTEGER NOT NULL DEFAULT 600,
    "identityRetentionDays" INTEGER NOT NULL DEFAULT 365,
    "jwksUrl" TEXT,
    "configVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_community" ("allowedOrigins", "clockSkewSeconds", "configVersion", "createdAt", "id", "jwksUrl", "name", "rateLimitPerMinute", "signedIdentities", "slug", "updatedAt") SELECT "allowedOrigins", "clockSkewSeconds", "configVersion", "createdAt", "id", "jwksUrl", "name", "rateLimitPerMinute", "signedIdentities", "slug", "updatedAt" FROM "community";
DROP TABLE "community";
ALTER TABLE "new_community" RENAME TO "community";
CREATE UNIQUE INDEX "community_slug_key" ON "community"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

