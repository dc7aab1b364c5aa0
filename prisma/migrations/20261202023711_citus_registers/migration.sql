-- DropIndex
DROP INDEX "companies_portal_slug_key";

-- DropIndex
DROP INDEX "api_tokens_token_hash_key";

-- DropIndex
DROP INDEX "portal_submissions_token_hash_key";

-- DropIndex
DROP INDEX "portal_status_links_token_hash_key";

-- DropIndex
DROP INDEX "company_exports_token_hash_key";

-- DropIndex
DROP INDEX "satisfaction_surveys_token_hash_key";

-- CreateTable
CREATE TABLE "portal_slugs" (
    "slug" TEXT NOT NULL,
    "company_id" INTEGER NOT NULL,

    CONSTRAINT "portal_slugs_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "sso_domains" (
    "domain" TEXT NOT NULL,
    "company_id" INTEGER NOT NULL,

    CONSTRAINT "sso_domains_pkey" PRIMARY KEY ("domain")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_company_id_token_hash_key" ON "api_tokens"("company_id", "token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "portal_submissions_company_id_token_hash_key" ON "portal_submissions"("company_id", "token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "portal_status_links_company_id_token_hash_key" ON "portal_status_links"("company_id", "token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "company_exports_company_id_token_hash_key" ON "company_exports"("company_id", "token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "satisfaction_surveys_company_id_token_hash_key" ON "satisfaction_surveys"("company_id", "token_hash");

-- Every portal address already chosen (unique until now through companies_portal_slug_key).
INSERT INTO "portal_slugs" ("slug", "company_id") SELECT "portal_slug", "id" FROM "companies" WHERE "portal_slug" IS NOT NULL;

-- Every SSO domain already claimed (one company per domain, checked until now by the settings page).
INSERT INTO "sso_domains" ("domain", "company_id")
SELECT DISTINCT ON (d) d, "company_id" FROM "company_sso", unnest("domains") AS d ORDER BY d, "company_id";
