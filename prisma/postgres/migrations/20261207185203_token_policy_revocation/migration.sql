-- AlterTable
ALTER TABLE "community" ADD COLUMN     "expectedAudience" TEXT,
ADD COLUMN     "expectedIssuer" TEXT,
ADD COLUMN     "maxTokenLifetimeMinutes" INTEGER,
ADD COLUMN     "tokensRevokedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "identity_revocation" (
    "communityId" TEXT NOT NULL,
    "uuidDigest" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "identity_revocation_pkey" PRIMARY KEY ("communityId","uuidDigest")
);

-- CreateIndex
CREATE INDEX "identity_revocation_communityId_revokedAt_idx" ON "identity_revocation"("communityId", "revokedAt");

-- AddForeignKey
ALTER TABLE "identity_revocation" ADD CONSTRAINT "identity_revocation_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

