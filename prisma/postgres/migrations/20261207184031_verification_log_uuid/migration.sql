-- AlterTable
ALTER TABLE "verification_log" ADD COLUMN     "uuid" TEXT;

-- CreateIndex
CREATE INDEX "verification_log_communityId_uuid_idx" ON "verification_log"("communityId", "uuid");


-- Backfill the uuid of entries written before the column, where the entry recorded it whole: a token's
-- uuid claim in the excerpt (kept to 80 characters: shorter ones are whole) and the uuid quoted by a
-- verified_identity_locked detail (kept to 64). (chr 59 is the semicolon: Prisma splits scripts at each.) Older unsigned refusals kept attribute names only.
-- (Excerpts are JSON written by the app with JSON.stringify, signed ones starting as below.)
UPDATE "verification_log" SET "uuid" = "excerpt"::jsonb #>> '{claims,uuid}'
WHERE "excerpt" LIKE '{"kind":"signed",%'
  AND jsonb_typeof("excerpt"::jsonb #> '{claims,uuid}') = 'string'
  AND length("excerpt"::jsonb #>> '{claims,uuid}') BETWEEN 1 AND 79;

UPDATE "verification_log" SET "uuid" = substr("detail", 7, length("detail") - 42)
WHERE "code" = 'verified_identity_locked'
  AND left("detail", 6) = 'uuid "'
  AND right("detail", 36) = '" is verified' || chr(59) || ' unsigned data refused'
  AND length("detail") - 42 BETWEEN 1 AND 63;
