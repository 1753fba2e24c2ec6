-- AlterTable
ALTER TABLE "community" ADD COLUMN     "allowedOrigins" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "clockSkewSeconds" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "configVersion" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "signedIdentities" TEXT NOT NULL DEFAULT 'reject';

-- CreateTable
CREATE TABLE "jwt_key" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "secretCiphertext" TEXT,
    "secretHint" TEXT,
    "publicKeyPem" TEXT,
    "fingerprint" TEXT,
    "keyBits" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "jwt_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "custom_field" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "choices" TEXT NOT NULL DEFAULT '[]',
    "regex" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "custom_field_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "extra_value_mapping" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "extra_value_mapping_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "jwt_key_communityId_kid_key" ON "jwt_key"("communityId", "kid");

-- CreateIndex
CREATE UNIQUE INDEX "custom_field_communityId_key_key" ON "custom_field"("communityId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "extra_value_mapping_communityId_key_key" ON "extra_value_mapping"("communityId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "extra_value_mapping_communityId_field_key" ON "extra_value_mapping"("communityId", "field");

-- AddForeignKey
ALTER TABLE "jwt_key" ADD CONSTRAINT "jwt_key_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "custom_field" ADD CONSTRAINT "custom_field_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "extra_value_mapping" ADD CONSTRAINT "extra_value_mapping_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

