-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "EventAction" ADD VALUE 'REMIND';
ALTER TYPE "EventAction" ADD VALUE 'ESCALATE';
ALTER TYPE "EventAction" ADD VALUE 'OVERDUE';

-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "due_soon_hours" INTEGER NOT NULL DEFAULT 4,
ADD COLUMN     "escalate_after_hours" INTEGER NOT NULL DEFAULT 16,
ADD COLUMN     "remind_after_hours" INTEGER NOT NULL DEFAULT 8;

-- AlterTable
ALTER TABLE "request_events" ALTER COLUMN "actor_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "reminders" (
    "company_id" INTEGER NOT NULL,
    "request_id" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "threshold" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminders_pkey" PRIMARY KEY ("company_id","request_id","step","threshold","target")
);

-- AddForeignKey
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;
