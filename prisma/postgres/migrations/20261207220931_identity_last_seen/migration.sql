-- AlterTable
ALTER TABLE "identity" ADD COLUMN     "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Until now a visitor was last seen when the row was last written.
UPDATE "identity" SET "lastSeenAt" = "updatedAt";

-- CreateIndex
CREATE INDEX "identity_communityId_lastSeenAt_idx" ON "identity"("communityId", "lastSeenAt");

