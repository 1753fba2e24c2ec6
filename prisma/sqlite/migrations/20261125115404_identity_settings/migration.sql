-- CreateTable
CREATE TABLE "jwt_key" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "secretCiphertext" TEXT,
    "secretHint" TEXT,
    "publicKeyPem" TEXT,
    "fingerprint" TEXT,
    "keyBits" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "jwt_key_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "custom_field" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "choices" TEXT NOT NULL DEFAULT '[]',
    "regex" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "custom_field_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "extra_value_mapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "extra_value_mapping_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
    "configVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_community" ("createdAt", "id", "name", "slug", "updatedAt") SELECT "createdAt", "id", "name", "slug", "updatedAt" FROM "community";
DROP TABLE "community";
ALTER TABLE "new_community" RENAME TO "community";
CREATE UNIQUE INDEX "community_slug_key" ON "community"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "jwt_key_communityId_kid_key" ON "jwt_key"("communityId", "kid");

-- CreateIndex
CREATE UNIQUE INDEX "custom_field_communityId_key_key" ON "custom_field"("communityId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "extra_value_mapping_communityId_key_key" ON "extra_value_mapping"("communityId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "extra_value_mapping_communityId_field_key" ON "extra_value_mapping"("communityId", "field");

