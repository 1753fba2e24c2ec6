-- AlterTable
ALTER TABLE "jwt_key" ADD COLUMN "expiresAt" DATETIME;

