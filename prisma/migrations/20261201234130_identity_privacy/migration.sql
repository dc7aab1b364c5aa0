-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "deletion_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "two_factor_rule" TEXT NOT NULL DEFAULT 'OFF';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "anonymized_at" TIMESTAMPTZ(3),
ADD COLUMN     "break_glass" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "totp_last_step" INTEGER,
ADD COLUMN     "totp_secret_enc" TEXT;

-- CreateTable
CREATE TABLE "company_sso" (
    "company_id" INTEGER NOT NULL,
    "provider_name" TEXT NOT NULL,
    "issuer_url" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "client_secret_enc" TEXT NOT NULL,
    "domains" TEXT[],
    "create_unknown" BOOLEAN NOT NULL DEFAULT false,
    "new_people_unit_id" INTEGER,
    "required" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "company_sso_pkey" PRIMARY KEY ("company_id")
);

-- CreateTable
CREATE TABLE "recovery_codes" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "recovery_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_log" (
    "id" BIGSERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "user_id" INTEGER,
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "company_exports" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "requested_by_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "file_key" TEXT,
    "token_hash" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "company_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "company_sso_domains_idx" ON "company_sso" USING GIN ("domains");

-- CreateIndex
CREATE INDEX "recovery_codes_company_id_user_id_idx" ON "recovery_codes"("company_id", "user_id");

-- CreateIndex
CREATE INDEX "sign_in_log_company_id_created_at_idx" ON "sign_in_log"("company_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sign_in_log_company_id_user_id_created_at_idx" ON "sign_in_log"("company_id", "user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sign_in_log_created_at_idx" ON "sign_in_log"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "company_exports_token_hash_key" ON "company_exports"("token_hash");

-- CreateIndex
CREATE INDEX "company_exports_company_id_created_at_idx" ON "company_exports"("company_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "company_exports_company_id_id_key" ON "company_exports"("company_id", "id");

-- AddForeignKey
ALTER TABLE "company_sso" ADD CONSTRAINT "company_sso_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "company_sso" ADD CONSTRAINT "company_sso_company_id_new_people_unit_id_fkey" FOREIGN KEY ("company_id", "new_people_unit_id") REFERENCES "units"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_company_id_user_id_fkey" FOREIGN KEY ("company_id", "user_id") REFERENCES "users"("company_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "sign_in_log" ADD CONSTRAINT "sign_in_log_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sign_in_log" ADD CONSTRAINT "sign_in_log_company_id_user_id_fkey" FOREIGN KEY ("company_id", "user_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "company_exports" ADD CONSTRAINT "company_exports_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "company_exports" ADD CONSTRAINT "company_exports_company_id_requested_by_id_fkey" FOREIGN KEY ("company_id", "requested_by_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;
