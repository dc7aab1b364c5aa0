-- CreateTable
CREATE TABLE "notification_attempts" (
    "company_id" INTEGER NOT NULL,
    "notification_id" BIGINT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "delivery_key" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "outcome" TEXT,

    CONSTRAINT "notification_attempts_pkey" PRIMARY KEY ("company_id","notification_id","attempt")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "beat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_attempts_company_id_delivery_key_key" ON "notification_attempts"("company_id", "delivery_key");

-- AddForeignKey
ALTER TABLE "notification_attempts" ADD CONSTRAINT "notification_attempts_company_id_notification_id_fkey" FOREIGN KEY ("company_id", "notification_id") REFERENCES "notifications"("company_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
