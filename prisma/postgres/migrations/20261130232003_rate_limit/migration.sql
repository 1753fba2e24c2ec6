-- AlterTable
ALTER TABLE "community" ADD COLUMN     "rateLimitPerMinute" INTEGER NOT NULL DEFAULT 600;

