-- CreateIndex
CREATE INDEX "requests_company_id_authorized_at_idx" ON "requests"("company_id", "authorized_at");

-- CreateIndex
CREATE INDEX "requests_company_id_approved_at_idx" ON "requests"("company_id", "approved_at");

-- CreateIndex
CREATE INDEX "requests_company_id_rejected_at_idx" ON "requests"("company_id", "rejected_at");

-- CreateIndex
CREATE INDEX "requests_company_id_cancelled_at_idx" ON "requests"("company_id", "cancelled_at");

-- CreateIndex
CREATE INDEX "requests_company_id_finalized_at_idx" ON "requests"("company_id", "finalized_at");

-- CreateIndex
CREATE INDEX "tickets_company_id_started_at_idx" ON "tickets"("company_id", "started_at");

-- CreateIndex
CREATE INDEX "tickets_company_id_finished_at_idx" ON "tickets"("company_id", "finished_at");
