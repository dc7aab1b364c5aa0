-- AlterEnum
ALTER TYPE "EventAction" ADD VALUE 'REROUTE';

-- AlterTable
ALTER TABLE "categories" ADD COLUMN     "needs_authorization" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "requests" ADD COLUMN     "authorizer_unit_id" INTEGER,
ADD COLUMN     "awaiting_admins" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "request_events" ADD COLUMN     "on_behalf_of_id" INTEGER;

-- CreateTable
CREATE TABLE "absences" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "substitute_id" INTEGER NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "absences_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "absences_company_id_substitute_id_ends_on_idx" ON "absences"("company_id", "substitute_id", "ends_on");

-- CreateIndex
CREATE INDEX "absences_company_id_user_id_starts_on_idx" ON "absences"("company_id", "user_id", "starts_on");

-- CreateIndex
CREATE UNIQUE INDEX "absences_company_id_id_key" ON "absences"("company_id", "id");

-- CreateIndex
CREATE INDEX "requests_company_id_authorizer_unit_id_status_created_at_idx" ON "requests"("company_id", "authorizer_unit_id", "status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "requests_company_id_awaiting_admins_status_created_at_idx" ON "requests"("company_id", "awaiting_admins", "status", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_authorizer_unit_id_fkey" FOREIGN KEY ("company_id", "authorizer_unit_id") REFERENCES "units"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_company_id_on_behalf_of_id_fkey" FOREIGN KEY ("company_id", "on_behalf_of_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "absences" ADD CONSTRAINT "absences_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "absences" ADD CONSTRAINT "absences_company_id_user_id_fkey" FOREIGN KEY ("company_id", "user_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "absences" ADD CONSTRAINT "absences_company_id_substitute_id_fkey" FOREIGN KEY ("company_id", "substitute_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "absences" ADD CONSTRAINT "absences_company_id_created_by_id_fkey" FOREIGN KEY ("company_id", "created_by_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- Written by hand: requests submitted before this migration were authorized by the head of the requester's unit.
UPDATE "requests" SET "authorizer_unit_id" = "requester_unit_id";
