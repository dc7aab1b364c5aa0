-- AlterEnum
ALTER TYPE "RequestStatus" ADD VALUE 'CLOSED';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "EventAction" ADD VALUE 'CONFIRM';
ALTER TYPE "EventAction" ADD VALUE 'REOPEN';
ALTER TYPE "EventAction" ADD VALUE 'AUTO_CLOSE';

-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "reopen_days" INTEGER NOT NULL DEFAULT 7;

-- AlterTable
ALTER TABLE "requests" ADD COLUMN     "reopen_count" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "satisfaction_surveys" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "request_id" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "worker_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "rating" INTEGER,
    "comment" TEXT,
    "answered_at" TIMESTAMPTZ(3),

    CONSTRAINT "satisfaction_surveys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "satisfaction_surveys_token_hash_key" ON "satisfaction_surveys"("token_hash");

-- CreateIndex
CREATE INDEX "satisfaction_surveys_company_id_created_at_idx" ON "satisfaction_surveys"("company_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "satisfaction_surveys_company_id_id_key" ON "satisfaction_surveys"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "satisfaction_surveys_company_id_request_id_round_key" ON "satisfaction_surveys"("company_id", "request_id", "round");

-- AddForeignKey
ALTER TABLE "satisfaction_surveys" ADD CONSTRAINT "satisfaction_surveys_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "satisfaction_surveys" ADD CONSTRAINT "satisfaction_surveys_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "satisfaction_surveys" ADD CONSTRAINT "satisfaction_surveys_company_id_worker_id_fkey" FOREIGN KEY ("company_id", "worker_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;
