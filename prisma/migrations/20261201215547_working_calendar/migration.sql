-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "EventAction" ADD VALUE 'HOLD';
ALTER TYPE "EventAction" ADD VALUE 'RESUME';

-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "workday_end" INTEGER NOT NULL DEFAULT 1020,
ADD COLUMN     "workday_start" INTEGER NOT NULL DEFAULT 480,
ADD COLUMN     "working_days" INTEGER[] DEFAULT ARRAY[1, 2, 3, 4, 5]::INTEGER[];

-- AlterTable: the single target (sla_hours) becomes the resolution target; the response target is new.
ALTER TABLE "categories" RENAME COLUMN "sla_hours" TO "resolution_hours";
ALTER TABLE "categories" ADD COLUMN     "response_hours" INTEGER;

-- AlterTable
ALTER TABLE "requests" ADD COLUMN     "hold_reason" TEXT,
ADD COLUMN     "on_hold_since" TIMESTAMPTZ(3),
ADD COLUMN     "resolution_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "response_due_at" TIMESTAMPTZ(3);

-- Requests approved before due dates were stored keep the figure the indicators gave them: the old target was
-- sla_hours of calendar time from submission, so that is their resolution due date.
UPDATE "requests" r
   SET "resolution_due_at" = r."created_at" + make_interval(hours => c."resolution_hours")
  FROM "categories" c
 WHERE c."company_id" = r."company_id" AND c."id" = r."category_id"
   AND r."approved_at" IS NOT NULL AND c."resolution_hours" IS NOT NULL;

-- CreateTable
CREATE TABLE "holidays" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "holidays_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "holidays_company_id_id_key" ON "holidays"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "holidays_company_id_day_key" ON "holidays"("company_id", "day");

-- CreateIndex
CREATE INDEX "requests_company_id_service_area_id_status_response_due_at_idx" ON "requests"("company_id", "service_area_id", "status", "response_due_at");

-- CreateIndex
CREATE INDEX "requests_company_id_service_area_id_status_resolution_due_a_idx" ON "requests"("company_id", "service_area_id", "status", "resolution_due_at");

-- AddForeignKey
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
