-- DropIndex
DROP INDEX "users_email_key";

-- CreateTable
CREATE TABLE "login_emails" (
    "email" TEXT NOT NULL,
    "company_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,

    CONSTRAINT "login_emails_pkey" PRIMARY KEY ("email")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_company_id_email_key" ON "users"("company_id", "email");

-- Every existing person's address (unique until now through users_email_key).
INSERT INTO "login_emails" ("email", "company_id", "user_id") SELECT "email", "company_id", "id" FROM "users";

-- DropIndex
DROP INDEX "companies_country_tax_id_key";

-- CreateTable
CREATE TABLE "company_tax_ids" (
    "country" TEXT NOT NULL,
    "tax_id" TEXT NOT NULL,
    "company_id" INTEGER NOT NULL,

    CONSTRAINT "company_tax_ids_pkey" PRIMARY KEY ("country","tax_id")
);

-- Every existing company's tax id (unique until now through companies_country_tax_id_key).
INSERT INTO "company_tax_ids" ("country", "tax_id", "company_id")
SELECT "country", "tax_id", "id" FROM "companies" WHERE "tax_id" IS NOT NULL;

-- DropIndex
DROP INDEX "account_tokens_token_hash_key";

-- CreateIndex
CREATE UNIQUE INDEX "account_tokens_company_id_token_hash_key" ON "account_tokens"("company_id", "token_hash");
