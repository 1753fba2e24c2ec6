-- CreateTable
CREATE TABLE "vouch_setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "vouch_setting_pkey" PRIMARY KEY ("key")
);

