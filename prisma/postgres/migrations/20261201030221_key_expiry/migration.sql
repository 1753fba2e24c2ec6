-- AlterTable
ALTER TABLE "jwt_key" ADD COLUMN     "expiresAt" TIMESTAMP(3);

