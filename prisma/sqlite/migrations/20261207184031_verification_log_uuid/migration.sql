-- AlterTable
ALTER TABLE "verification_log" ADD COLUMN "uuid" TEXT;

-- CreateIndex
CREATE INDEX "verification_log_communityId_uuid_idx" ON "verification_log"("communityId", "uuid");


-- Backfill the uuid of entries written before the column, where the entry recorded it whole: a token's
-- uuid claim in the excerpt (kept to 80 characters: shorter ones are whole) and the uuid quoted by a
-- verified_identity_locked detail (kept to 64). (chr 59 is the semicolon: Prisma splits scripts at each.) Older unsigned refusals kept attribute names only.
UPDATE "verification_log" SET "uuid" = json_extract("excerpt", '$.claims.uuid')
WHERE json_valid("excerpt")
  AND json_type("excerpt", '$.claims.uuid') = 'text'
  AND length(json_extract("excerpt", '$.claims.uuid')) BETWEEN 1 AND 79;

UPDATE "verification_log" SET "uuid" = substr("detail", 7, length("detail") - 42)
WHERE "code" = 'verified_identity_locked'
  AND substr("detail", 1, 6) = 'uuid "'
  AND substr("detail", -36) = '" is verified' || char(59) || ' unsigned data refused'
  AND length("detail") - 42 BETWEEN 1 AND 63;
