-- CreateTable
CREATE TABLE "request_authorizer_counts" (
    "company_id" INTEGER NOT NULL,
    "authorizer_unit_id" INTEGER NOT NULL,
    "awaiting_admins" BOOLEAN NOT NULL,
    "status" "RequestStatus" NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "request_authorizer_counts_pkey" PRIMARY KEY ("company_id","authorizer_unit_id","awaiting_admins","status")
);

-- AddForeignKey
ALTER TABLE "request_authorizer_counts" ADD CONSTRAINT "request_authorizer_counts_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma's schema cannot express triggers): request_authorizer_counts kept equal to counting
-- requests by authorizer lane, as request_counts is (migration inbox_counts). The lane of a request is its authorizer
-- unit (0: none) and whether it awaits the administrators; a request in neither lane has no row. It moves lane when
-- it is rerouted or escalated up the chain, and state at every transition: taken off its old key, added to its new
-- one, the two counter rows locked in key order so concurrent moves cannot deadlock.
CREATE FUNCTION request_authorizer_counts_add(c INTEGER, u INTEGER, a BOOLEAN, s "RequestStatus", d INTEGER)
RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO request_authorizer_counts AS rc (company_id, authorizer_unit_id, awaiting_admins, status, n)
  VALUES (c, u, a, s, d)
  ON CONFLICT (company_id, authorizer_unit_id, awaiting_admins, status) DO UPDATE SET n = rc.n + EXCLUDED.n
$$;

CREATE FUNCTION request_authorizer_counts_track() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  was BOOLEAN := TG_OP <> 'INSERT' AND (OLD.authorizer_unit_id IS NOT NULL OR OLD.awaiting_admins);
  goes BOOLEAN := TG_OP <> 'DELETE' AND (NEW.authorizer_unit_id IS NOT NULL OR NEW.awaiting_admins);
  old_unit INTEGER := COALESCE(OLD.authorizer_unit_id, 0);
  new_unit INTEGER := COALESCE(NEW.authorizer_unit_id, 0);
BEGIN
  IF was AND goes AND (OLD.company_id, old_unit, OLD.awaiting_admins, OLD.status)
                      = (NEW.company_id, new_unit, NEW.awaiting_admins, NEW.status) THEN
    RETURN NULL;
  END IF;
  IF was AND (NOT goes OR (OLD.company_id, old_unit, OLD.awaiting_admins, OLD.status)
                          < (NEW.company_id, new_unit, NEW.awaiting_admins, NEW.status)) THEN
    PERFORM request_authorizer_counts_add(OLD.company_id, old_unit, OLD.awaiting_admins, OLD.status, -1);
    IF goes THEN
      PERFORM request_authorizer_counts_add(NEW.company_id, new_unit, NEW.awaiting_admins, NEW.status, 1);
    END IF;
  ELSIF goes THEN
    PERFORM request_authorizer_counts_add(NEW.company_id, new_unit, NEW.awaiting_admins, NEW.status, 1);
    IF was THEN
      PERFORM request_authorizer_counts_add(OLD.company_id, old_unit, OLD.awaiting_admins, OLD.status, -1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER requests_keep_authorizer_counts
  AFTER INSERT OR DELETE OR UPDATE OF company_id, authorizer_unit_id, awaiting_admins, status
  ON requests FOR EACH ROW EXECUTE FUNCTION request_authorizer_counts_track();

-- The counters of the rows that exist already.
INSERT INTO request_authorizer_counts (company_id, authorizer_unit_id, awaiting_admins, status, n)
  SELECT company_id, COALESCE(authorizer_unit_id, 0), awaiting_admins, status, count(*) FROM requests
   WHERE authorizer_unit_id IS NOT NULL OR awaiting_admins
   GROUP BY 1, 2, 3, 4;

-- Recounts every counter table from scratch (after bulk loads that ran with the triggers disabled:
-- bench/build-data.ts).
CREATE OR REPLACE FUNCTION rebuild_inbox_counts() RETURNS VOID
LANGUAGE sql AS $$
  DELETE FROM request_counts;
  INSERT INTO request_counts (company_id, requester_id, requester_unit_id, service_area_id, status, n)
    SELECT company_id, requester_id, requester_unit_id, service_area_id, status, count(*) FROM requests
     GROUP BY 1, 2, 3, 4, 5;
  DELETE FROM request_authorizer_counts;
  INSERT INTO request_authorizer_counts (company_id, authorizer_unit_id, awaiting_admins, status, n)
    SELECT company_id, COALESCE(authorizer_unit_id, 0), awaiting_admins, status, count(*) FROM requests
     WHERE authorizer_unit_id IS NOT NULL OR awaiting_admins
     GROUP BY 1, 2, 3, 4;
  DELETE FROM ticket_counts;
  INSERT INTO ticket_counts (company_id, worker_id, service_area_id, status, n)
    SELECT company_id, worker_id, service_area_id, status, count(*) FROM tickets GROUP BY 1, 2, 3, 4;
$$;
