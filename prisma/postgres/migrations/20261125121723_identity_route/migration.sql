-- CreateTable
CREATE TABLE "key_usage" (
    "jwtKeyId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "key_usage_pkey" PRIMARY KEY ("jwtKeyId","hour")
);

-- CreateTable
CREATE TABLE "identity" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "automatedUuid" BOOLEAN NOT NULL DEFAULT false,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "kid" TEXT,
    "fields" TEXT NOT NULL DEFAULT '{}',
    "customFields" TEXT NOT NULL DEFAULT '{}',
    "extraValues" TEXT NOT NULL DEFAULT '{}',
    "sources" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_log" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "code" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "kid" TEXT,
    "origin" TEXT,
    "excerpt" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "verification_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "identity_communityId_updatedAt_idx" ON "identity"("communityId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "identity_communityId_uuid_key" ON "identity"("communityId", "uuid");

-- CreateIndex
CREATE INDEX "verification_log_communityId_createdAt_idx" ON "verification_log"("communityId", "createdAt");

-- AddForeignKey
ALTER TABLE "key_usage" ADD CONSTRAINT "key_usage_jwtKeyId_fkey" FOREIGN KEY ("jwtKeyId") REFERENCES "jwt_key"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity" ADD CONSTRAINT "identity_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "verification_log" ADD CONSTRAINT "verification_log_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

