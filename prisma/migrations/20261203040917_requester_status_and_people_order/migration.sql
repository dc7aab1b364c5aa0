-- DropIndex
DROP INDEX "requests_company_id_requester_id_created_at_idx";

-- CreateIndex
CREATE INDEX "users_company_id_name_id_idx" ON "users"("company_id", "name", "id");

-- CreateIndex
CREATE INDEX "requests_company_id_requester_id_status_created_at_idx" ON "requests"("company_id", "requester_id", "status", "created_at" DESC);
