-- AlterTable
ALTER TABLE "identity" ADD COLUMN     "emailKey" TEXT,
ADD COLUMN     "nameKey" TEXT;

-- CreateIndex
CREATE INDEX "identity_communityId_verified_updatedAt_idx" ON "identity"("communityId", "verified", "updatedAt");

-- CreateIndex
CREATE INDEX "identity_communityId_emailKey_idx" ON "identity"("communityId", "emailKey");

-- CreateIndex
CREATE INDEX "identity_communityId_nameKey_idx" ON "identity"("communityId", "nameKey");


-- Backfill the search columns of stored identities as lib/dal/identities.ts searchKeys() computes them
-- (new and updated rows get them from the identity route's upsert).
UPDATE "identity" SET
  "emailKey" = NULLIF(lower(btrim("fields"::jsonb ->> 'email')), ''),
  "nameKey" = COALESCE(
    NULLIF(lower(concat_ws(' ', NULLIF(btrim("fields"::jsonb ->> 'firstname'), ''), NULLIF(btrim("fields"::jsonb ->> 'lastname'), ''))), ''),
    NULLIF(lower(btrim("fields"::jsonb ->> 'screenname')), '')
  );
