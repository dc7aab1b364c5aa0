-- CreateTable
CREATE TABLE "request_comments" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "request_id" INTEGER NOT NULL,
    "author_id" INTEGER NOT NULL,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attachments" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "request_id" INTEGER NOT NULL,
    "comment_id" INTEGER,
    "uploader_id" INTEGER NOT NULL,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "file_name" TEXT NOT NULL,
    "mime_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "thumbnail_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "request_comments_company_id_request_id_created_at_idx" ON "request_comments"("company_id", "request_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "request_comments_company_id_id_key" ON "request_comments"("company_id", "id");

-- CreateIndex
CREATE INDEX "attachments_company_id_request_id_created_at_idx" ON "attachments"("company_id", "request_id", "created_at");

-- CreateIndex
CREATE INDEX "attachments_company_id_comment_id_idx" ON "attachments"("company_id", "comment_id");

-- CreateIndex
CREATE UNIQUE INDEX "attachments_company_id_id_key" ON "attachments"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "attachments_company_id_storage_key_key" ON "attachments"("company_id", "storage_key");

-- AddForeignKey
ALTER TABLE "request_comments" ADD CONSTRAINT "request_comments_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_comments" ADD CONSTRAINT "request_comments_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "request_comments" ADD CONSTRAINT "request_comments_company_id_author_id_fkey" FOREIGN KEY ("company_id", "author_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_company_id_comment_id_fkey" FOREIGN KEY ("company_id", "comment_id") REFERENCES "request_comments"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_company_id_uploader_id_fkey" FOREIGN KEY ("company_id", "uploader_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- Full-text search (written by hand: Prisma cannot express these objects).
-- No semicolons inside statements or comments here: the driver adapter splits the script on them.
-- Spanish stemming, accent-insensitive ("electrico" finds "eléctrico"). unaccent()
-- is only STABLE, so an IMMUTABLE wrapper naming its dictionary lets it be used in
-- expression indexes, and btree_gin lets the GIN indexes lead with company_id like every
-- other tenant index. The queries in src/conversation/search.ts use exactly these
-- expressions, and tests/integration/migrations.test.ts knows these two indexes.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE OR REPLACE FUNCTION search_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE OR REPLACE FUNCTION search_document(text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_tsvector('pg_catalog.spanish'::regconfig, public.search_unaccent(coalesce($1, ''))) $$;

CREATE INDEX "requests_search_idx" ON "requests" USING gin ("company_id", search_document("title" || ' ' || "description"));
CREATE INDEX "request_comments_search_idx" ON "request_comments" USING gin ("company_id", search_document("body"));
