-- CreateTable
CREATE TABLE "identity_stat" (
    "communityId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("communityId", "hour", "outcome"),
    CONSTRAINT "identity_stat_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "identity_stat_hour_idx" ON "identity_stat"("hour");

