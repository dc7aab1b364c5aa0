-- CreateTable
CREATE TABLE "request_counts" (
    "company_id" INTEGER NOT NULL,
    "requester_id" INTEGER NOT NULL,
    "requester_unit_id" INTEGER NOT NULL,
    "service_area_id" INTEGER NOT NULL,
    "status" "RequestStatus" NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "request_counts_pkey" PRIMARY KEY ("company_id","requester_id","requester_unit_id","service_area_id","status")
);

-- CreateTable
CREATE TABLE "ticket_counts" (
    "company_id" INTEGER NOT NULL,
    "worker_id" INTEGER NOT NULL,
    "service_area_id" INTEGER NOT NULL,
    "status" "TicketStatus" NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ticket_counts_pkey" PRIMARY KEY ("company_id","worker_id","service_area_id","status")
);

-- CreateIndex
CREATE INDEX "request_counts_company_id_requester_unit_id_status_idx" ON "request_counts"("company_id", "requester_unit_id", "status");

-- CreateIndex
CREATE INDEX "request_counts_company_id_service_area_id_status_idx" ON "request_counts"("company_id", "service_area_id", "status");

-- CreateIndex
CREATE INDEX "ticket_counts_company_id_service_area_id_status_idx" ON "ticket_counts"("company_id", "service_area_id", "status");

-- AddForeignKey
ALTER TABLE "request_counts" ADD CONSTRAINT "request_counts_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_counts" ADD CONSTRAINT "ticket_counts_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma's schema cannot express triggers): the triggers that keep
-- request_counts and ticket_counts equal to counting requests and tickets, whatever
-- writes them. A row that moves is taken off its old key and added to its new one, and the
-- two counter rows are always locked in key order, so concurrent moves cannot deadlock.
CREATE FUNCTION request_counts_add(c INTEGER, r INTEGER, u INTEGER, a INTEGER, s "RequestStatus", d INTEGER) RETURNS VOID
LANGUAGE sql AS $$
  INSERT INTO request_counts AS rc (company_id, requester_id, requester_unit_id, service_area_id, status, n)
  VALUES (c, r, u, a, s, d)
  ON CONFLICT (company_id, requester_id, requester_unit_id, service_area_id, status) DO UPDATE SET n = rc.n + EXCLUDED.n
$$;

CREATE FUNCTION request_counts_track() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM request_counts_add(NEW.company_id, NEW.requester_id, NEW.requester_unit_id, NEW.service_area_id, NEW.status, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM request_counts_add(OLD.company_id, OLD.requester_id, OLD.requester_unit_id, OLD.service_area_id, OLD.status, -1);
  ELSIF (OLD.company_id, OLD.requester_id, OLD.requester_unit_id, OLD.service_area_id, OLD.status)
        IS DISTINCT FROM (NEW.company_id, NEW.requester_id, NEW.requester_unit_id, NEW.service_area_id, NEW.status) THEN
    IF (OLD.company_id, OLD.requester_id, OLD.requester_unit_id, OLD.service_area_id, OLD.status)
       < (NEW.company_id, NEW.requester_id, NEW.requester_unit_id, NEW.service_area_id, NEW.status) THEN
      PERFORM request_counts_add(OLD.company_id, OLD.requester_id, OLD.requester_unit_id, OLD.service_area_id, OLD.status, -1);
      PERFORM request_counts_add(NEW.company_id, NEW.requester_id, NEW.requester_unit_id, NEW.service_area_id, NEW.status, 1);
    ELSE
      PERFORM request_counts_add(NEW.company_id, NEW.requester_id, NEW.requester_unit_id, NEW.service_area_id, NEW.status, 1);
      PERFORM request_counts_add(OLD.company_id, OLD.requester_id, OLD.requester_unit_id, OLD.service_area_id, OLD.status, -1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER requests_keep_counts AFTER INSERT OR DELETE OR UPDATE OF company_id, requester_id, requester_unit_id, service_area_id, status
  ON requests FOR EACH ROW EXECUTE FUNCTION request_counts_track();

CREATE FUNCTION ticket_counts_add(c INTEGER, w INTEGER, a INTEGER, s "TicketStatus", d INTEGER) RETURNS VOID
LANGUAGE sql AS $$
  INSERT INTO ticket_counts AS tc (company_id, worker_id, service_area_id, status, n)
  VALUES (c, w, a, s, d)
  ON CONFLICT (company_id, worker_id, service_area_id, status) DO UPDATE SET n = tc.n + EXCLUDED.n
$$;

CREATE FUNCTION ticket_counts_track() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM ticket_counts_add(NEW.company_id, NEW.worker_id, NEW.service_area_id, NEW.status, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM ticket_counts_add(OLD.company_id, OLD.worker_id, OLD.service_area_id, OLD.status, -1);
  ELSIF (OLD.company_id, OLD.worker_id, OLD.service_area_id, OLD.status) IS DISTINCT FROM (NEW.company_id, NEW.worker_id, NEW.service_area_id, NEW.status) THEN
    IF (OLD.company_id, OLD.worker_id, OLD.service_area_id, OLD.status) < (NEW.company_id, NEW.worker_id, NEW.service_area_id, NEW.status) THEN
      PERFORM ticket_counts_add(OLD.company_id, OLD.worker_id, OLD.service_area_id, OLD.status, -1);
      PERFORM ticket_counts_add(NEW.company_id, NEW.worker_id, NEW.service_area_id, NEW.status, 1);
    ELSE
      PERFORM ticket_counts_add(NEW.company_id, NEW.worker_id, NEW.service_area_id, NEW.status, 1);
      PERFORM ticket_counts_add(OLD.company_id, OLD.worker_id, OLD.service_area_id, OLD.status, -1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER tickets_keep_counts AFTER INSERT OR DELETE OR UPDATE OF company_id, worker_id, service_area_id, status
  ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_counts_track();

-- Recounts both tables from scratch: after bulk loads that ran with the triggers disabled
-- (bench/build-data.ts), and here for the rows that exist already.
CREATE FUNCTION rebuild_inbox_counts() RETURNS VOID
LANGUAGE sql AS $$
  DELETE FROM request_counts;
  INSERT INTO request_counts (company_id, requester_id, requester_unit_id, service_area_id, status, n)
    SELECT company_id, requester_id, requester_unit_id, service_area_id, status, count(*) FROM requests GROUP BY 1, 2, 3, 4, 5;
  DELETE FROM ticket_counts;
  INSERT INTO ticket_counts (company_id, worker_id, service_area_id, status, n)
    SELECT company_id, worker_id, service_area_id, status, count(*) FROM tickets GROUP BY 1, 2, 3, 4;
$$;

SELECT rebuild_inbox_counts();
