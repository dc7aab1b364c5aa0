-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "comment_id" INTEGER,
ALTER COLUMN "event_id" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "notifications_company_id_comment_id_recipient_id_channel_key" ON "notifications"("company_id", "comment_id", "recipient_id", "channel");

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_company_id_comment_id_fkey" FOREIGN KEY ("company_id", "comment_id") REFERENCES "request_comments"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;
