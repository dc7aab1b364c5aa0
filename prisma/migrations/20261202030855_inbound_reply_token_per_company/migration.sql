-- DropIndex
DROP INDEX "inbound_reply_tokens_token_key";

-- CreateIndex
CREATE UNIQUE INDEX "inbound_reply_tokens_company_id_token_key" ON "inbound_reply_tokens"("company_id", "token");
