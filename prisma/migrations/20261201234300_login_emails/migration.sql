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
