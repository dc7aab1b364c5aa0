-- CreateIndex
CREATE INDEX "users_company_id_is_company_admin_active_idx" ON "users"("company_id", "is_company_admin", "active");
