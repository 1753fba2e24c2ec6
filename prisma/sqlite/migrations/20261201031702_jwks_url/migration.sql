-- AlterTable
ALTER TABLE "community" ADD COLUMN "jwksUrl" TEXT;

