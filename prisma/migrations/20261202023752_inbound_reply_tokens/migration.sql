-- CreateTable
CREATE TABLE "inbound_reply_tokens" (
    "company_id" INTEGER NOT NULL,
    "id" SERIAL NOT NULL,
    "token" TEXT NOT NULL,
    "request_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_reply_tokens_pkey" PRIMARY KEY ("company_id","id")
);

-- CreateTable
CREATE TABLE "inbound_messages" (
    "company_id" INTEGER NOT NULL,
    "message_id" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_messages_pkey" PRIMARY KEY ("company_id","message_id","recipient")
);

-- CreateIndex
CREATE UNIQUE INDEX "inbound_reply_tokens_token_key" ON "inbound_reply_tokens"("token");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_reply_tokens_company_id_request_id_user_id_key" ON "inbound_reply_tokens"("company_id", "request_id", "user_id");

-- AddForeignKey
ALTER TABLE "inbound_reply_tokens" ADD CONSTRAINT "inbound_reply_tokens_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_reply_tokens" ADD CONSTRAINT "inbound_reply_tokens_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "inbound_reply_tokens" ADD CONSTRAINT "inbound_reply_tokens_company_id_user_id_fkey" FOREIGN KEY ("company_id", "user_id") REFERENCES "users"("company_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
