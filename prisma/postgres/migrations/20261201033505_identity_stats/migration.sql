-- CreateTable
CREATE TABLE "identity_stat" (
    "communityId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "identity_stat_pkey" PRIMARY KEY ("communityId","hour","outcome")
);

-- CreateIndex
CREATE INDEX "identity_stat_hour_idx" ON "identity_stat"("hour");

-- AddForeignKey
ALTER TABLE "identity_stat" ADD CONSTRAINT "identity_stat_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

