-- AlterTable
ALTER TABLE "community" ADD COLUMN     "identityRetentionDays" INTEGER NOT NULL DEFAULT 365;

