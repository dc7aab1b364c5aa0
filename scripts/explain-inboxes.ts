// Builds a database of 100 000 requests (100 companies) and prints the plans of the
// inbox queries, to check that each is served by an index leading with company_id.
//   npx tsx scripts/explain-inboxes.ts            (embedded PostgreSQL, or DATABASE_URL)
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabaseServer } from '../src/db/database.js';
import { searchSql } from '../src/conversation/search.js';
import { applyMigrations } from '../src/db/migrate.js';

const DB = 'explain_inboxes';
const config = loadConfig();
const server = await openDatabaseServer(config);
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DB}`);
await admin.end();
const url = new URL(server.url);
url.pathname = `/${DB}`;
await applyMigrations(url.toString());
const c = new pg.Client({ connectionString: url.toString() });
await c.connect();

console.time('fill');
await c.query(`
  INSERT INTO companies (name) SELECT 'Empresa ' || g FROM generate_series(1, 100) g;
  INSERT INTO units (company_id, name, kind)
    SELECT c.id, 'Unidad ' || u, CASE WHEN u = 0 THEN 'SERVICE_AREA'::"UnitKind" ELSE 'REGULAR' END
    FROM companies c, generate_series(0, 5) u;
  INSERT INTO users (company_id, email, name, unit_id, is_worker)
    SELECT un.company_id, 'u' || un.id || '-' || k || '@x.test', 'Persona ' || k, un.id, un.kind = 'SERVICE_AREA'
    FROM units un, generate_series(1, 4) k;
  INSERT INTO login_emails (email, company_id, user_id) SELECT email, company_id, id FROM users;
  UPDATE units un SET head_id = (SELECT min(id) FROM users WHERE unit_id = un.id);
  INSERT INTO categories (company_id, service_area_id, name)
    SELECT company_id, id, 'Categoría ' || k FROM units, generate_series(1, 3) k WHERE kind = 'SERVICE_AREA';
  INSERT INTO requests (company_id, number, requester_id, requester_unit_id, service_area_id, category_id, title,
                        description, status, created_at)
    SELECT u.company_id, row_number() OVER (PARTITION BY u.company_id ORDER BY g), u.id, u.unit_id, a.id,
           (SELECT min(id) FROM categories WHERE service_area_id = a.id), 'Solicitud ' || g, 'Descripción ' || g,
           (ARRAY['PENDING','AUTHORIZED','APPROVED','REJECTED','CANCELLED','FINALIZED','FINALIZED','FINALIZED'])
             [1 + g % 8]::"RequestStatus",
           now() - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute'
    FROM generate_series(1, 100000) g
    JOIN (SELECT id, company_id, unit_id, row_number() OVER (ORDER BY id) AS rn FROM users WHERE NOT is_worker) u
      ON u.rn = 1 + (g * 7919) % (SELECT count(*) FROM users WHERE NOT is_worker)
    JOIN units a ON a.company_id = u.company_id AND a.kind = 'SERVICE_AREA';
  INSERT INTO tickets (company_id, number, request_id, service_area_id, worker_id, assigned_by_id, instructions, status,
                       assigned_at)
    SELECT r.company_id, row_number() OVER (PARTITION BY r.company_id ORDER BY r.id), r.id, r.service_area_id,
           (SELECT min(id) FROM users w WHERE w.unit_id = r.service_area_id AND w.is_worker),
           (SELECT head_id FROM units WHERE id = r.service_area_id),
           'Instrucciones', CASE WHEN r.status = 'FINALIZED' THEN 'DONE'::"TicketStatus" ELSE 'ASSIGNED' END,
           r.created_at
    FROM requests r WHERE r.status IN ('APPROVED', 'FINALIZED');
  INSERT INTO request_events (company_id, request_id, actor_id, action, to_status, created_at)
    SELECT company_id, id, requester_id, 'SUBMIT', 'PENDING', created_at FROM requests;
  INSERT INTO request_comments (company_id, request_id, author_id, internal, body, created_at)
    SELECT company_id, id, requester_id, id % 3 = 0,
           (ARRAY['La llave del baño gotea', 'Revisión eléctrica pendiente', 'Se necesita pintura',
                  'Cambio de cerradura'])[1 + id % 4] || ' ' || id,
           created_at
    FROM requests WHERE id % 2 = 0;
  ANALYZE;
`);
console.timeEnd('fill');
const counts = await c.query(
  `SELECT (SELECT count(*) FROM requests) AS requests, (SELECT count(*) FROM tickets) AS tickets,
          (SELECT count(*) FROM request_events) AS events`,
);
console.log(counts.rows[0]);

const pick = (
  await c.query(`SELECT r.company_id, r.requester_id, r.requester_unit_id, r.service_area_id, t.worker_id
  FROM requests r JOIN tickets t ON t.request_id = r.id ORDER BY r.id LIMIT 1`)
).rows[0];
const search = (...args: Parameters<typeof searchSql>): [string, unknown[]] => {
  const sql = searchSql(...args);
  return [sql.text, sql.values];
};
const q = {
  'Mis solicitudes (list)': [
    `SELECT id, number, title, status FROM requests WHERE company_id = $1 AND requester_id = $2
     ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0`,
    [pick.company_id, pick.requester_id],
  ],
  'Mis solicitudes (tab counts)': [
    `SELECT status, count(*) FROM requests WHERE company_id = $1 AND requester_id = $2 GROUP BY status`,
    [pick.company_id, pick.requester_id],
  ],
  'Unit head inbox (pending)': [
    `SELECT id, number, title FROM requests
     WHERE company_id = $1 AND requester_unit_id IN ($2) AND status IN ('PENDING')
     ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0`,
    [pick.company_id, pick.requester_unit_id],
  ],
  'Unit head (tab counts)': [
    `SELECT status, count(*) FROM requests WHERE company_id = $1 AND requester_unit_id IN ($2) GROUP BY status`,
    [pick.company_id, pick.requester_unit_id],
  ],
  'Services inbox (authorized)': [
    `SELECT id, number, title FROM requests
     WHERE company_id = $1 AND service_area_id IN ($2) AND status IN ('AUTHORIZED')
     ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0`,
    [pick.company_id, pick.service_area_id],
  ],
  'Services (tab counts)': [
    `SELECT status, count(*) FROM requests WHERE company_id = $1 AND service_area_id IN ($2) GROUP BY status`,
    [pick.company_id, pick.service_area_id],
  ],
  'Company admin (all)': [
    `SELECT id, number, title FROM requests WHERE company_id = $1
     ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0`,
    [pick.company_id],
  ],
  'Mis tickets (assigned)': [
    `SELECT id, number FROM tickets WHERE company_id = $1 AND worker_id = $2 AND status = 'ASSIGNED'
     ORDER BY assigned_at DESC, id DESC LIMIT 20 OFFSET 0`,
    [pick.company_id, pick.worker_id],
  ],
  'Area tickets (done)': [
    `SELECT id, number FROM tickets WHERE company_id = $1 AND service_area_id IN ($2) AND status = 'DONE'
     ORDER BY assigned_at DESC, id DESC LIMIT 20 OFFSET 0`,
    [pick.company_id, pick.service_area_id],
  ],
  'Request timeline': [
    `SELECT * FROM request_events WHERE company_id = $1 AND request_id = $2 ORDER BY created_at, id`,
    [pick.company_id, 1],
  ],
  'Search (services head, with notes)': search(
    pick.company_id,
    [pick.service_area_id],
    { serviceAreaIds: [pick.service_area_id] },
    'eléctrica',
    [],
  ),
  'Search (requester, no notes)': search(pick.company_id, [], { requesterId: pick.requester_id }, 'cerradura', []),
} satisfies Record<string, [string, unknown[]]>;
for (const [name, [sql, params]] of Object.entries(q)) {
  const plan = (await c.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${sql}`, params)).rows.map(
    (r) => r['QUERY PLAN'] as string,
  );
  const scans = plan.filter((l) => /Scan/.test(l)).map((l) => l.trim().replace(/\s+\(cost.*$/, ''));
  const time = plan.find((l) => l.startsWith('Execution Time'));
  console.log(`\n${name}\n  ${scans.join('\n  ')}\n  ${time}`);
}
await c.end();
await server.stop();
