-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "UnitKind" AS ENUM ('REGULAR', 'SERVICE_AREA');

-- CreateEnum
CREATE TYPE "Priority" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'URGENT');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('PENDING', 'AUTHORIZED', 'APPROVED', 'REJECTED', 'CANCELLED', 'FINALIZED');

-- CreateEnum
CREATE TYPE "RejectionStage" AS ENUM ('UNIT', 'SERVICES');

-- CreateEnum
CREATE TYPE "TicketStatus" AS ENUM ('ASSIGNED', 'IN_PROGRESS', 'DONE');

-- CreateEnum
CREATE TYPE "EventAction" AS ENUM ('SUBMIT', 'AUTHORIZE', 'REJECT', 'APPROVE', 'CANCEL', 'START', 'FINISH', 'REASSIGN');

-- CreateTable
CREATE TABLE "companies" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT NOT NULL DEFAULT 'CO',
    "tax_id" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'America/Bogota',
    "locale" TEXT NOT NULL DEFAULT 'es',
    "request_seq" INTEGER NOT NULL DEFAULT 0,
    "ticket_seq" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "companies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "units" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "UnitKind" NOT NULL DEFAULT 'REGULAR',
    "parent_id" INTEGER,
    "head_id" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "units_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "phone" TEXT,
    "locale" TEXT,
    "unit_id" INTEGER,
    "is_company_admin" BOOLEAN NOT NULL DEFAULT false,
    "is_worker" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "email_verified_at" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "categories" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "service_area_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "sla_hours" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "requests" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "requester_id" INTEGER NOT NULL,
    "requester_unit_id" INTEGER NOT NULL,
    "service_area_id" INTEGER NOT NULL,
    "category_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "priority" "Priority" NOT NULL DEFAULT 'MEDIUM',
    "location" TEXT,
    "status" "RequestStatus" NOT NULL DEFAULT 'PENDING',
    "authorized_at" TIMESTAMPTZ(3),
    "authorized_by_id" INTEGER,
    "approved_at" TIMESTAMPTZ(3),
    "approved_by_id" INTEGER,
    "rejected_at" TIMESTAMPTZ(3),
    "rejected_by_id" INTEGER,
    "rejection_stage" "RejectionStage",
    "rejection_reason" TEXT,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancel_reason" TEXT,
    "finalized_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tickets" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "request_id" INTEGER NOT NULL,
    "service_area_id" INTEGER NOT NULL,
    "worker_id" INTEGER NOT NULL,
    "assigned_by_id" INTEGER NOT NULL,
    "instructions" TEXT NOT NULL,
    "status" "TicketStatus" NOT NULL DEFAULT 'ASSIGNED',
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "resolution" TEXT,
    "needs_reassignment" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tickets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_events" (
    "id" BIGSERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "request_id" INTEGER NOT NULL,
    "actor_id" INTEGER NOT NULL,
    "action" "EventAction" NOT NULL,
    "from_status" "RequestStatus",
    "to_status" "RequestStatus" NOT NULL,
    "comment" TEXT,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "sid" VARCHAR NOT NULL,
    "sess" JSON NOT NULL,
    "expire" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE UNIQUE INDEX "companies_country_tax_id_key" ON "companies"("country", "tax_id");

-- CreateIndex
CREATE INDEX "units_company_id_parent_id_idx" ON "units"("company_id", "parent_id");

-- CreateIndex
CREATE INDEX "units_company_id_head_id_idx" ON "units"("company_id", "head_id");

-- CreateIndex
CREATE UNIQUE INDEX "units_company_id_id_key" ON "units"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "units_company_id_name_key" ON "units"("company_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_company_id_unit_id_idx" ON "users"("company_id", "unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_company_id_id_key" ON "users"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "categories_company_id_id_key" ON "categories"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "categories_company_id_service_area_id_name_key" ON "categories"("company_id", "service_area_id", "name");

-- CreateIndex
CREATE INDEX "requests_company_id_requester_id_created_at_idx" ON "requests"("company_id", "requester_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "requests_company_id_requester_unit_id_status_created_at_idx" ON "requests"("company_id", "requester_unit_id", "status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "requests_company_id_service_area_id_status_created_at_idx" ON "requests"("company_id", "service_area_id", "status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "requests_company_id_status_created_at_idx" ON "requests"("company_id", "status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "requests_company_id_created_at_idx" ON "requests"("company_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "requests_company_id_id_key" ON "requests"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "requests_company_id_number_key" ON "requests"("company_id", "number");

-- CreateIndex
CREATE INDEX "tickets_company_id_worker_id_status_assigned_at_idx" ON "tickets"("company_id", "worker_id", "status", "assigned_at" DESC);

-- CreateIndex
CREATE INDEX "tickets_company_id_service_area_id_status_assigned_at_idx" ON "tickets"("company_id", "service_area_id", "status", "assigned_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "tickets_company_id_id_key" ON "tickets"("company_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "tickets_company_id_number_key" ON "tickets"("company_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "tickets_company_id_request_id_key" ON "tickets"("company_id", "request_id");

-- CreateIndex
CREATE INDEX "request_events_company_id_request_id_created_at_idx" ON "request_events"("company_id", "request_id", "created_at");

-- CreateIndex
CREATE INDEX "request_events_company_id_created_at_idx" ON "request_events"("company_id", "created_at");

-- CreateIndex
CREATE INDEX "IDX_session_expire" ON "session"("expire");

-- AddForeignKey
ALTER TABLE "units" ADD CONSTRAINT "units_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "units" ADD CONSTRAINT "units_company_id_parent_id_fkey" FOREIGN KEY ("company_id", "parent_id") REFERENCES "units"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "units" ADD CONSTRAINT "units_company_id_head_id_fkey" FOREIGN KEY ("company_id", "head_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_company_id_unit_id_fkey" FOREIGN KEY ("company_id", "unit_id") REFERENCES "units"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "categories" ADD CONSTRAINT "categories_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "categories" ADD CONSTRAINT "categories_company_id_service_area_id_fkey" FOREIGN KEY ("company_id", "service_area_id") REFERENCES "units"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_requester_id_fkey" FOREIGN KEY ("company_id", "requester_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_requester_unit_id_fkey" FOREIGN KEY ("company_id", "requester_unit_id") REFERENCES "units"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_service_area_id_fkey" FOREIGN KEY ("company_id", "service_area_id") REFERENCES "units"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_category_id_fkey" FOREIGN KEY ("company_id", "category_id") REFERENCES "categories"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_authorized_by_id_fkey" FOREIGN KEY ("company_id", "authorized_by_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_approved_by_id_fkey" FOREIGN KEY ("company_id", "approved_by_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_company_id_rejected_by_id_fkey" FOREIGN KEY ("company_id", "rejected_by_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_company_id_service_area_id_fkey" FOREIGN KEY ("company_id", "service_area_id") REFERENCES "units"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_company_id_worker_id_fkey" FOREIGN KEY ("company_id", "worker_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_company_id_assigned_by_id_fkey" FOREIGN KEY ("company_id", "assigned_by_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_company_id_request_id_fkey" FOREIGN KEY ("company_id", "request_id") REFERENCES "requests"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_company_id_actor_id_fkey" FOREIGN KEY ("company_id", "actor_id") REFERENCES "users"("company_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;
