-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "EventAction" ADD VALUE 'TRANSFER';
ALTER TYPE "EventAction" ADD VALUE 'CORRECT';
ALTER TYPE "EventAction" ADD VALUE 'EDIT';

-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "setup_done_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "request_followers" (
    "company_id" INTEGER NOT NULL,
    "request_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "added_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_followers_pkey" PRIMARY KEY ("company_id","request_id","user_id")
);

-- CreateIndex
CREATE INDEX "request_followers_company_id_user_id_created_at_idx" ON "request_followers"("company_id", "user_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "request_followers" ADD CONSTRAINT "request_followers_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_followers" ADD CONSTRAINT "request_followers_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "request_followers" ADD CONSTRAINT "request_followers_company_id_user_id_fkey" FOREIGN KEY ("company_id", "user_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "request_followers" ADD CONSTRAINT "request_followers_company_id_added_by_id_fkey" FOREIGN KEY ("company_id", "added_by_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- Companies that exist already are past their setup: the checklist is for the new ones.
UPDATE "companies" SET "setup_done_at" = CURRENT_TIMESTAMP;
