-- The inbox search also reads a ticket's instructions and resolution notes and the category's name
-- (written by hand like the conversation migration's search indexes: Prisma cannot express them).
-- No semicolons inside statements or comments here: the driver adapter splits the script on them.
-- src/conversation/search.ts uses exactly these expressions.
CREATE INDEX "tickets_search_idx" ON "tickets" USING gin ("company_id", search_document("instructions" || ' ' || coalesce("resolution", '')));
CREATE INDEX "categories_search_idx" ON "categories" USING gin ("company_id", search_document("name"));
