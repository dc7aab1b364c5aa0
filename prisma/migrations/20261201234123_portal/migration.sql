-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "portal_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "portal_intake_approver_id" INTEGER,
ADD COLUMN     "portal_intro" TEXT,
ADD COLUMN     "portal_slug" TEXT;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "is_portal_guest" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "requests" ADD COLUMN     "field_values" JSONB,
ADD COLUMN     "fields_text" TEXT,
ADD COLUMN     "guest_email" TEXT,
ADD COLUMN     "guest_name" TEXT,
ADD COLUMN     "guest_phone" TEXT;

-- CreateTable
CREATE TABLE "category_fields" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "category_id" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT false,
    "help_text" TEXT,
    "options" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "position" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "category_fields_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "portal_submissions" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_at" TIMESTAMPTZ(3),
    "request_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portal_submissions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "portal_status_links" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "request_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portal_status_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "category_fields_company_id_category_id_position_idx" ON "category_fields"("company_id", "category_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "category_fields_company_id_id_key" ON "category_fields"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "portal_submissions_token_hash_key" ON "portal_submissions"("token_hash");

-- CreateIndex
CREATE INDEX "portal_submissions_expires_at_idx" ON "portal_submissions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "portal_submissions_company_id_id_key" ON "portal_submissions"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "portal_status_links_token_hash_key" ON "portal_status_links"("token_hash");

-- CreateIndex
CREATE INDEX "portal_status_links_expires_at_idx" ON "portal_status_links"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "portal_status_links_company_id_id_key" ON "portal_status_links"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "companies_portal_slug_key" ON "companies"("portal_slug");

-- AddForeignKey
ALTER TABLE "category_fields" ADD CONSTRAINT "category_fields_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "category_fields" ADD CONSTRAINT "category_fields_company_id_category_id_fkey" FOREIGN KEY ("company_id", "category_id") REFERENCES "categories"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "portal_submissions" ADD CONSTRAINT "portal_submissions_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portal_status_links" ADD CONSTRAINT "portal_status_links_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portal_status_links" ADD CONSTRAINT "portal_status_links_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- The answers to a category's fields are searchable like the title and description (src/conversation/search.ts).
CREATE INDEX "requests_fields_search_idx" ON "requests" USING gin ("company_id", search_document("fields_text"))
  WHERE "fields_text" IS NOT NULL;
