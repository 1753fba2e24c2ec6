-- AlterTable
ALTER TABLE "community" ADD COLUMN "expectedAudience" TEXT;
ALTER TABLE "community" ADD COLUMN "expectedIssuer" TEXT;
ALTER TABLE "community" ADD COLUMN "maxTokenLifetimeMinutes" INTEGER;
ALTER TABLE "community" ADD COLUMN "tokensRevokedAt" DATETIME;

-- CreateTable
CREATE TABLE "identity_revocation" (
    "communityId" TEXT NOT NULL,
    "uuidDigest" TEXT NOT NULL,
    "revokedAt" DATETIME NOT NULL,

    PRIMARY KEY ("communityId", "uuidDigest"),
    CONSTRAINT "identity_revocation_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "identity_revocation_communityId_revokedAt_idx" ON "identity_revocation"("communityId", "revokedAt");

