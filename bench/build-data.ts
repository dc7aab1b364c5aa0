// Builds the benchmark database in bulk, inside PostgreSQL (INSERT … SELECT over
// generate_series: one statement per table, no row travels through Node).
import type pg from 'pg';

export interface Scale {
  companies: number;
  requests: number;
}

/** Per company: 8 regular units of 10 people and one service area (a head and 10 workers). */
export const UNITS_PER_COMPANY = 8;
export const STAFF_PER_UNIT = 10;
export const WORKERS_PER_AREA = 10;

/** Bumped whenever the shape of the generated data changes, so an older database is rebuilt. */
const DATA_VERSION = 5;

export async function existingScale(client: pg.Client): Promise<(Scale & { largeCompany: boolean }) | null> {
  const exists = await client.query(`SELECT to_regclass('bench_meta') IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return null;
  const row = (await client.query(`SELECT * FROM bench_meta`)).rows[0];
  if (!row || row.version !== DATA_VERSION) return null;
  return { companies: row.companies, requests: row.requests, largeCompany: row.large_company };
}

type Step = (label: string, sql: string, params?: unknown[]) => Promise<pg.QueryResult>;

export async function buildData(
  client: pg.Client,
  scale: Scale,
  passwordHash: string,
  log: (m: string) => void,
  { largeCompany = false } = {},
) {
  const step: Step = async (label, sql, params = []) => {
    const t0 = Date.now();
    const res = await client.query(sql, params);
    log(`  ${label}: ${res.rowCount ?? ''} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return res;
  };
  const perCompany = Math.ceil(scale.requests / scale.companies);
  await client.query('SET synchronous_commit = off');
  // Row by row, the counter triggers would double the load time; the counts are made once at the end.
  await client.query('ALTER TABLE requests DISABLE TRIGGER requests_keep_counts');
  await client.query('ALTER TABLE requests DISABLE TRIGGER requests_keep_authorizer_counts');
  await client.query('ALTER TABLE tickets DISABLE TRIGGER tickets_keep_counts');
  const timeZone: string = (await client.query('SHOW TimeZone')).rows[0].TimeZone;
  await ordinaryCompanies(step, scale, perCompany, passwordHash);
  await lifecycleRows(step, timeZone, null);
  if (largeCompany) {
    log(`  the very large company (${LARGE.requests} requests, ${LARGE.units} units, ${LARGE.people} people):`);
    await lifecycleRows(step, timeZone, await buildLargeCompany(step, passwordHash));
  }
  await client.query('ALTER TABLE requests ENABLE TRIGGER requests_keep_counts');
  await client.query('ALTER TABLE requests ENABLE TRIGGER requests_keep_authorizer_counts');
  await client.query('ALTER TABLE tickets ENABLE TRIGGER tickets_keep_counts');
  await step('inbox counts', 'SELECT rebuild_inbox_counts()');
  await client.query('RESET synchronous_commit');
  await step('analyze', 'VACUUM ANALYZE');
  await client.query(
    `CREATE TABLE bench_meta (companies int NOT NULL, requests int NOT NULL, version int NOT NULL,
                              large_company boolean NOT NULL, built_at timestamptz NOT NULL DEFAULT now())`,
  );
  await client.query(`INSERT INTO bench_meta (companies, requests, version, large_company) VALUES ($1, $2, $3, $4)`, [
    scale.companies,
    perCompany * scale.companies,
    DATA_VERSION,
    largeCompany,
  ]);
}

/** Per ordinary company: 8 regular units of 10 people, one service area, requests over one year. */
async function ordinaryCompanies(step: Step, scale: Scale, perCompany: number, passwordHash: string) {
  await step(
    'companies',
    // Seeded companies are set up: their administrators get no setup checklist.
    `INSERT INTO companies (name, timezone, setup_done_at)
     SELECT 'Empresa de prueba ' || g, 'America/Bogota', now() FROM generate_series(1, $1) g`,
    [scale.companies],
  );
  await step(
    'units',
    `INSERT INTO units (company_id, name, kind)
     SELECT c.id, CASE WHEN u = 0 THEN 'Servicios Generales' ELSE 'Unidad ' || u END,
            CASE WHEN u = 0 THEN 'SERVICE_AREA'::"UnitKind" ELSE 'REGULAR' END
     FROM companies c, generate_series(0, $1) u`,
    [UNITS_PER_COMPANY],
  );
  // Emails encode company, unit and position so the benchmark can sign people in by role.
  await step(
    'users',
    `INSERT INTO users (company_id, email, name, password_hash, unit_id, is_worker, is_company_admin,
                        email_verified_at)
     SELECT un.company_id,
            'c' || un.company_id || '-u' || un.id || '-' || k || '@bench.test',
            'Persona ' || un.id || '-' || k, $1, un.id,
            un.kind = 'SERVICE_AREA' AND k > 1,
            un.kind = 'REGULAR' AND un.name = 'Unidad 1' AND k = 2,
            now()
     FROM units un, generate_series(1, CASE WHEN un.kind = 'SERVICE_AREA' THEN $2 + 1 ELSE $3 END) k`,
    [passwordHash, WORKERS_PER_AREA, STAFF_PER_UNIT],
  );
  await step(
    'login emails',
    `INSERT INTO login_emails (email, company_id, user_id) SELECT email, company_id, id FROM users`,
  );
  // Each service area is headed by its first member; one department head (the first
  // member of "Unidad 1") heads all the regular units of the company, so the unit-head
  // inbox and the authorize scenario see a realistic department's volume.
  await step(
    'area heads',
    `UPDATE units un SET head_id = u.id FROM users u
     WHERE u.company_id = un.company_id AND u.unit_id = un.id AND un.kind = 'SERVICE_AREA'
       AND u.email LIKE '%-1@bench.test'`,
  );
  await step(
    'unit heads',
    `UPDATE units un SET head_id = u.id
     FROM units u1 JOIN users u ON u.company_id = u1.company_id AND u.unit_id = u1.id AND u.email LIKE '%-1@bench.test'
     WHERE u1.company_id = un.company_id AND u1.name = 'Unidad 1' AND un.kind = 'REGULAR'`,
  );
  await step(
    'categories',
    `INSERT INTO categories (company_id, service_area_id, name, resolution_hours)
     SELECT company_id, id, c.name, c.sla FROM units,
       (VALUES ('Mantenimiento eléctrico', 48), ('Plomería', 48), ('Soporte TI', 24), ('Obras civiles', 240))
         AS c(name, sla)
     WHERE kind = 'SERVICE_AREA'`,
  );
  // Requests: each company's staff (not the service area) submit in turn; states follow a fixed mix.
  await step(
    'requests',
    `WITH staff AS (
       SELECT u.id, u.company_id, u.unit_id,
              row_number() OVER (PARTITION BY u.company_id ORDER BY u.id) - 1 AS rn,
              count(*) OVER (PARTITION BY u.company_id) AS n
       FROM users u JOIN units un ON un.company_id = u.company_id AND un.id = u.unit_id WHERE un.kind = 'REGULAR'),
     areas AS (SELECT company_id, id FROM units WHERE kind = 'SERVICE_AREA'),
     cats AS (SELECT company_id, array_agg(id ORDER BY id) AS ids FROM categories GROUP BY company_id),
     seq AS (SELECT c.id AS company_id, g FROM companies c, generate_series(1, $1) g)
     INSERT INTO requests (company_id, number, requester_id, requester_unit_id, authorizer_unit_id, service_area_id,
                           category_id, title, description, priority, status, created_at, updated_at)
     SELECT s.company_id, seq.g, s.id, s.unit_id, s.unit_id, a.id, cats.ids[1 + seq.g % 4],
            'Solicitud de prueba ' || seq.g,
            'Descripción de la solicitud de prueba número ' || seq.g || ' con texto suficiente.',
            (ARRAY['LOW','MEDIUM','MEDIUM','HIGH','URGENT'])[1 + seq.g % 5]::"Priority",
            (ARRAY['PENDING','AUTHORIZED','APPROVED','APPROVED','FINALIZED','FINALIZED','FINALIZED','FINALIZED',
                   'FINALIZED','REJECTED','REJECTED','CANCELLED','PENDING','AUTHORIZED','FINALIZED','FINALIZED'])
              [1 + seq.g % 16]::"RequestStatus",
            now() - ((seq.g * 7919) % 525600) * interval '1 minute',
            now()
     FROM seq
     JOIN staff s ON s.company_id = seq.company_id AND s.rn = (seq.g * 31) % s.n
     JOIN areas a ON a.company_id = seq.company_id
     JOIN cats ON cats.company_id = seq.company_id
     -- Stored in the order they were submitted, as a live table is (a period's rows lie together on disk).
     ORDER BY (seq.g * 7919) % 525600 DESC`,
    [perCompany],
  );
}

/**
 * `timestamptz + interval` by immutable functions only: Citus refuses a stable function of a column in an UPDATE
 * (and any in its CASE). Hours are added to the instant; days to the local date in the session's time zone
 * (parameter $2), as PostgreSQL's `+` does, so the single server's data stay the same.
 */
const hoursAfter = (ts: string, hours: number) =>
  `((${ts} AT TIME ZONE 'UTC') + interval '${hours} hours') AT TIME ZONE 'UTC'`;
const daysAfter = (ts: string, days: number) =>
  `((${ts} AT TIME ZONE $2::text) + interval '${days} days') AT TIME ZONE $2::text`;

/**
 * The rows that follow from each request's state (dates, tickets, events) and the companies' counters, for the
 * companies given (null: all).
 */
async function lifecycleRows(step: Step, timeZone: string, companyId: number | null) {
  const only = (alias: string) => `($1::int IS NULL OR ${alias}.company_id = $1::int)`;
  await step(
    'request dates',
    `UPDATE requests r SET
       authorized_at = CASE WHEN r.status IN ('AUTHORIZED','APPROVED','FINALIZED')
                              OR (r.status = 'REJECTED' AND r.number % 2 = 0)
                            THEN ${hoursAfter('r.created_at', 5)} END,
       authorized_by_id = CASE WHEN r.status IN ('AUTHORIZED','APPROVED','FINALIZED')
                                 OR (r.status = 'REJECTED' AND r.number % 2 = 0)
                               THEN un.head_id END,
       approved_at = CASE WHEN r.status IN ('APPROVED','FINALIZED') THEN ${daysAfter('r.created_at', 1)} END,
       approved_by_id = CASE WHEN r.status IN ('APPROVED','FINALIZED') THEN a.head_id END,
       rejected_at = CASE WHEN r.status = 'REJECTED' THEN ${daysAfter('r.created_at', 1)} END,
       rejected_by_id = CASE WHEN r.status = 'REJECTED'
                             THEN CASE WHEN r.number % 2 = 0 THEN a.head_id ELSE un.head_id END END,
       -- Typed labels, not text cast afterwards: a cast of text to an enum is a stable function.
       rejection_stage = CASE WHEN r.status = 'REJECTED'
                              THEN CASE WHEN r.number % 2 = 0 THEN 'SERVICES'::"RejectionStage"
                                        ELSE 'UNIT'::"RejectionStage" END END,
       rejection_reason = CASE WHEN r.status = 'REJECTED' THEN 'Sin presupuesto disponible' END,
       cancelled_at = CASE WHEN r.status = 'CANCELLED' THEN ${hoursAfter('r.created_at', 2)} END,
       cancel_reason = CASE WHEN r.status = 'CANCELLED' THEN 'Ya no se necesita' END,
       finalized_at = CASE WHEN r.status = 'FINALIZED' THEN ${daysAfter('r.created_at', 3)} END
     FROM units un, units a
     WHERE un.company_id = r.company_id AND un.id = r.requester_unit_id
       AND a.company_id = r.company_id AND a.id = r.service_area_id AND ${only('r')}`,
    [companyId, timeZone],
  );
  await step(
    'tickets',
    `INSERT INTO tickets (company_id, number, request_id, service_area_id, worker_id, assigned_by_id, instructions,
                          status, assigned_at, started_at, finished_at, resolution, updated_at)
     SELECT r.company_id, row_number() OVER (PARTITION BY r.company_id ORDER BY r.id), r.id, r.service_area_id,
            w.ids[1 + r.number % array_length(w.ids, 1)], r.approved_by_id,
            'Revisar y reparar; coordinar con el solicitante.',
            -- (number / 10) so that every worker (picked by number % workers) has tickets in both open states.
            CASE WHEN r.status = 'FINALIZED' THEN 'DONE'
                 WHEN (r.number / 10) % 2 = 0 THEN 'IN_PROGRESS'
                 ELSE 'ASSIGNED' END::"TicketStatus",
            r.approved_at,
            CASE WHEN r.status = 'FINALIZED' OR (r.number / 10) % 2 = 0 THEN r.approved_at + interval '4 hours' END,
            CASE WHEN r.status = 'FINALIZED' THEN r.finalized_at END,
            CASE WHEN r.status = 'FINALIZED' THEN 'Trabajo terminado y verificado.' END,
            now()
     FROM requests r
     JOIN (SELECT company_id, unit_id, array_agg(id ORDER BY id) AS ids FROM users WHERE is_worker
           GROUP BY company_id, unit_id) w
       ON w.company_id = r.company_id AND w.unit_id = r.service_area_id
     WHERE r.status IN ('APPROVED', 'FINALIZED') AND ${only('r')}
     ORDER BY r.approved_at`,
    [companyId],
  );
  // The events of the companies given: their requests and tickets, filtered once.
  await step(
    'events',
    `WITH r AS (SELECT * FROM requests x WHERE ${only('x')}), t AS (SELECT * FROM tickets x WHERE ${only('x')})
     INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, comment, created_at)
     SELECT company_id, id, requester_id, 'SUBMIT'::"EventAction", NULL::"RequestStatus", 'PENDING'::"RequestStatus",
            NULL, created_at
     FROM r
     UNION ALL
     SELECT company_id, id, authorized_by_id, 'AUTHORIZE', 'PENDING', 'AUTHORIZED', NULL, authorized_at
     FROM r WHERE authorized_at IS NOT NULL
     UNION ALL
     SELECT company_id, id, approved_by_id, 'APPROVE', 'AUTHORIZED', 'APPROVED', 'Revisar y reparar', approved_at
     FROM r WHERE approved_at IS NOT NULL
     UNION ALL
     SELECT company_id, id, rejected_by_id, 'REJECT',
            CASE WHEN rejection_stage = 'UNIT' THEN 'PENDING' ELSE 'AUTHORIZED' END::"RequestStatus", 'REJECTED',
            rejection_reason, rejected_at
     FROM r WHERE rejected_at IS NOT NULL
     UNION ALL
     SELECT company_id, id, requester_id, 'CANCEL', 'PENDING', 'CANCELLED', cancel_reason, cancelled_at
     FROM r WHERE cancelled_at IS NOT NULL
     UNION ALL
     SELECT company_id, request_id, worker_id, 'START', 'APPROVED', 'APPROVED', NULL, started_at
     FROM t WHERE started_at IS NOT NULL
     UNION ALL
     SELECT company_id, request_id, worker_id, 'FINISH', 'APPROVED', 'FINALIZED', resolution, finished_at
     FROM t WHERE finished_at IS NOT NULL`,
    [companyId],
  );
  await step(
    'counters',
    `UPDATE companies c SET request_seq = (SELECT coalesce(max(number), 0) FROM requests WHERE company_id = c.id),
                            ticket_seq = (SELECT coalesce(max(number), 0) FROM tickets WHERE company_id = c.id)
      WHERE $1::int IS NULL OR c.id = $1::int`,
    [companyId],
  );
}

/** The very large company of issue 23: 2 000 000 requests over five years, 300 units, 2 000 people. */
export const LARGE = { name: 'Empresa grande', requests: 2_000_000, units: 300, people: 2000 } as const;
const LARGE_AREAS = 4; // service areas, each a head and 55 workers
const LARGE_AREA_STAFF = 56;
const LARGE_UNIT_STAFF = 6; // in each of the 296 regular units: 4 × 56 + 296 × 6 = 2 000 people
const LARGE_DEPARTMENT = 10; // regular units headed by one department head
const FIVE_YEARS_MINUTES = 5 * 525_600;
/** Requests younger than this are in every state; older ones are closed but for a few (see the requests step). */
const LARGE_RECENT_MINUTES = 30 * 1440;

/** Makes the large company's units, people and requests; returns its id. */
async function buildLargeCompany(step: Step, passwordHash: string): Promise<number> {
  const company = await step(
    'company',
    `INSERT INTO companies (name, timezone, setup_done_at) VALUES ($1, 'America/Bogota', now()) RETURNING id`,
    [LARGE.name],
  );
  const id = company.rows[0].id as number;
  await step(
    'units',
    `INSERT INTO units (company_id, name, kind)
     SELECT $1, CASE WHEN u <= $2::int THEN 'Servicios ' || u ELSE 'Unidad ' || (u - $2) END,
            CASE WHEN u <= $2 THEN 'SERVICE_AREA'::"UnitKind" ELSE 'REGULAR' END
     FROM generate_series(1, $3::int) u`,
    [id, LARGE_AREAS, LARGE.units],
  );
  await step(
    'people',
    `INSERT INTO users (company_id, email, name, password_hash, unit_id, is_worker, is_company_admin,
                        email_verified_at)
     SELECT un.company_id, 'c' || un.company_id || '-u' || un.id || '-' || k || '@bench.test',
            'Persona ' || un.id || '-' || k, $2, un.id,
            un.kind = 'SERVICE_AREA' AND k > 1, un.name = 'Unidad 1' AND k = 2, now()
     FROM units un, generate_series(1, CASE WHEN un.kind = 'SERVICE_AREA' THEN $3::int ELSE $4::int END) k
     WHERE un.company_id = $1`,
    [id, passwordHash, LARGE_AREA_STAFF, LARGE_UNIT_STAFF],
  );
  // Sign-in finds a person through the platform-wide register, as for the ordinary companies (a large database
  // built before the register came got these rows from the migration that made it: the data are the same).
  await step(
    'login emails',
    `INSERT INTO login_emails (email, company_id, user_id)
     SELECT email, company_id, id FROM users WHERE company_id = $1`,
    [id],
  );
  // Area heads are their first members; a department head (first member of the department's first unit) heads
  // ten regular units.
  await step(
    'heads',
    `UPDATE units un SET head_id = h.id
     FROM units first JOIN users h
       ON h.company_id = first.company_id AND h.unit_id = first.id AND h.email LIKE '%-1@bench.test'
     WHERE un.company_id = $1 AND first.company_id = $1
       AND first.name = CASE WHEN un.kind = 'SERVICE_AREA' THEN un.name
                             ELSE 'Unidad ' || ((substr(un.name, 8)::int - 1) / $2::int * $2::int + 1) END`,
    [id, LARGE_DEPARTMENT],
  );
  await step(
    'categories',
    `INSERT INTO categories (company_id, service_area_id, name, resolution_hours)
     SELECT company_id, un.id, c.name || ' (' || un.name || ')', c.sla FROM units un,
       (VALUES ('Mantenimiento eléctrico', 48), ('Plomería', 48), ('Soporte TI', 24), ('Obras civiles', 240))
         AS c(name, sla)
     WHERE un.company_id = $1 AND un.kind = 'SERVICE_AREA'`,
    [id],
  );
  await step(
    'requests',
    `WITH staff AS (
       SELECT u.id, u.unit_id, row_number() OVER (ORDER BY u.id) - 1 AS rn
       FROM users u JOIN units un ON un.company_id = u.company_id AND un.id = u.unit_id
       WHERE u.company_id = $1 AND un.kind = 'REGULAR'),
     areas AS (SELECT array_agg(id ORDER BY id) AS ids FROM units WHERE company_id = $1 AND kind = 'SERVICE_AREA'),
     cats AS (SELECT service_area_id, array_agg(id ORDER BY id) AS ids FROM categories WHERE company_id = $1
              GROUP BY service_area_id)
     INSERT INTO requests (company_id, number, requester_id, requester_unit_id, authorizer_unit_id, service_area_id,
                           category_id, title, description, priority, status, created_at, updated_at)
     SELECT $1, g, s.id, s.unit_id, s.unit_id, cats.service_area_id, cats.ids[1 + (g / 4) % 4],
            'Solicitud de prueba ' || g,
            'Descripción de la solicitud de prueba número ' || g || ' con texto suficiente.',
            (ARRAY['LOW','MEDIUM','MEDIUM','HIGH','URGENT'])[1 + g % 5]::"Priority",
            -- As a desk that keeps up: the last 30 days in the ordinary companies' mix, older requests closed
            -- (finalized, rejected, cancelled as in that mix) but one in 499, left stuck in the mix's states.
            CASE WHEN (g::bigint * 7919) % $3::int < $5::int OR g % 499 = 0
                 THEN (ARRAY['PENDING','AUTHORIZED','APPROVED','APPROVED','FINALIZED','FINALIZED','FINALIZED',
                             'FINALIZED','FINALIZED','REJECTED','REJECTED','CANCELLED','PENDING','AUTHORIZED',
                             'FINALIZED','FINALIZED'])[1 + g % 16]
                 ELSE (ARRAY['FINALIZED','FINALIZED','FINALIZED','FINALIZED','FINALIZED','FINALIZED','FINALIZED',
                             'REJECTED','REJECTED','CANCELLED'])[1 + (g / 16) % 10] END::"RequestStatus",
            now() - ((g::bigint * 7919) % $3::int) * interval '1 minute',
            now()
     FROM generate_series(1, $2::int) g
     -- The staff count as a scalar of its own: the join stays an equality on g alone (a hash join).
     JOIN staff s ON s.rn = (g::bigint * 31) % (SELECT count(*) FROM staff)
     CROSS JOIN areas
     JOIN cats ON cats.service_area_id = areas.ids[1 + g % $4::int]
     ORDER BY (g::bigint * 7919) % $3::int DESC`,
    [id, LARGE.requests, FIVE_YEARS_MINUTES, LARGE_AREAS, LARGE_RECENT_MINUTES],
  );
  return id;
}
