// `npm run db:seed:large`: a database of 1 000 000 requests (LARGE_REQUESTS) spread over
// LARGE_COMPANIES companies and the last two years, made in bulk by PostgreSQL
// (INSERT … SELECT generate_series), then the indicators dashboard of the first company
// over the last 90 days is timed. Seeding is skipped when the companies already exist,
// so a second run only measures. Use its own DATA_DIR, e.g.
//   DATA_DIR=.data-large EMBEDDED_PG_PORT=54502 npm run db:seed:large
// Requests, tickets and a SUBMIT event per request are written; the admin of each
// company (admin@grande-<n>.demo) signs in with the demo password.
import { performance } from 'node:perf_hooks';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/client.js';
import { openDatabaseServer } from '../src/db/database.js';
import { registerLoginEmail } from '../src/db/login-emails.js';
import { applyMigrations } from '../src/db/migrate.js';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { loadActor } from '../src/auth/actor.js';
import type { Db } from '../src/db/client.js';
import { parseFilters } from '../src/indicators/schema.js';
import { filterOptions, loadDashboard, queryContext } from '../src/indicators/service.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const TOTAL = Number(args.requests ?? 1_000_000);
const COMPANIES = Number(args.companies ?? 4);
const DAYS = 730;
const UNITS = 10;
const EMPLOYEES = 40;
const WORKERS = 8;

async function seedCompany(db: Db, n: number, requests: number, passwordHash: string, now: Date) {
  const company = await db.company.create({
    data: {
      name: `Empresa Grande ${n}`,
      timezone: n % 2 ? 'America/Bogota' : 'America/Santiago',
      setupDoneAt: now,
    },
  });
  const companyId = company.id;
  const area = await db.unit.create({ data: { companyId, name: 'Servicios Generales', kind: 'SERVICE_AREA' } });
  const units: number[] = [];
  for (let u = 0; u < UNITS; u++)
    units.push((await db.unit.create({ data: { companyId, name: `Unidad ${u + 1}` } })).id);
  const mk = (
    email: string,
    name: string,
    unitId: number,
    extra: { isCompanyAdmin?: boolean; isWorker?: boolean } = {},
  ) =>
    db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { companyId, email, name, unitId, passwordHash, emailVerifiedAt: now, ...extra },
      });
      await registerLoginEmail(tx, user);
      return user;
    });
  const admin = await mk(`admin@grande-${n}.demo`, `Admin ${n}`, units[0]!, { isCompanyAdmin: true });
  const servicesHead = await mk(`jefe.servicios@grande-${n}.demo`, `Jefe de servicios ${n}`, area.id);
  const workers: number[] = [];
  for (let w = 0; w < WORKERS; w++)
    workers.push(
      (await mk(`trabajador${w + 1}@grande-${n}.demo`, `Trabajador ${w + 1}`, area.id, { isWorker: true })).id,
    );
  const employees: number[] = [];
  const employeeUnits: number[] = [];
  for (let e = 0; e < EMPLOYEES; e++) {
    const unitId = units[e % UNITS]!;
    const user = await mk(`empleado${e + 1}@grande-${n}.demo`, `Empleado ${e + 1}`, unitId);
    employees.push(user.id);
    employeeUnits.push(unitId);
    if (e < UNITS) await db.unit.update({ where: { id: unitId }, data: { headId: user.id } });
  }
  await db.unit.update({ where: { id: area.id }, data: { headId: servicesHead.id } });
  const heads = employees.slice(0, UNITS);
  const categories: number[] = [];
  for (const [name, sla] of [
    ['Eléctrico', 48],
    ['Plomería', 48],
    ['Soporte TI', 24],
    ['Obras', 240],
    ['Capacitación', 336],
    ['Aire', 72],
  ] as const) {
    categories.push(
      (await db.category.create({ data: { companyId, serviceAreaId: area.id, name, resolutionHours: sla } })).id,
    );
  }

  // Random step durations; the outcome decides how far each request went (never past now).
  await db.$executeRaw`
    WITH g AS (
      SELECT i, c_at, c_at + h1 AS a_at, c_at + h1 + h2 AS d_at, c_at + h1 + h2 + h3 AS s_at,
             c_at + h1 + h2 + h3 + h4 AS f_at, o, e
      FROM (
        SELECT i, ${now}::timestamptz - random() * ${DAYS} * interval '1 day' AS c_at,
               random() * interval '30 hours' AS h1, random() * interval '48 hours' AS h2,
               random() * interval '24 hours' AS h3, random() * interval '72 hours' AS h4,
               random() AS o, (i % ${EMPLOYEES}) + 1 AS e
        FROM generate_series(1, ${requests}::int) AS i
      ) x
    ), s AS (
      SELECT g.*, CASE
        WHEN o < 0.05 AND a_at <= ${now} THEN 'RU'
        WHEN o >= 0.05 AND o < 0.10 AND d_at <= ${now} THEN 'RS'
        WHEN o >= 0.10 AND o < 0.14 AND a_at <= ${now} THEN 'C'
        WHEN o >= 0.14 AND f_at <= ${now} THEN 'F'
        WHEN o >= 0.14 AND d_at <= ${now} THEN 'AP'
        WHEN o >= 0.05 AND a_at <= ${now} THEN 'AU'
        ELSE 'P' END AS k
      FROM g
    )
    INSERT INTO requests (company_id, number, requester_id, requester_unit_id, authorizer_unit_id, service_area_id,
                          category_id, title, description, priority, status, authorized_at, authorized_by_id,
                          approved_at, approved_by_id, rejected_at, rejected_by_id, rejection_stage, rejection_reason,
                          cancelled_at, cancel_reason, finalized_at, created_at, updated_at)
    SELECT ${companyId}::int, i, (${employees}::int[])[e], (${employeeUnits}::int[])[e], (${employeeUnits}::int[])[e],
           ${area.id}::int,
           (${categories}::int[])[1 + i % 6], 'Solicitud ' || i, 'Generada para medir los indicadores',
           (ARRAY['LOW','MEDIUM','MEDIUM','HIGH','URGENT'])[1 + i % 5]::"Priority",
           (CASE k WHEN 'RU' THEN 'REJECTED' WHEN 'RS' THEN 'REJECTED' WHEN 'C' THEN 'CANCELLED'
                   WHEN 'F' THEN 'FINALIZED' WHEN 'AP' THEN 'APPROVED' WHEN 'AU' THEN 'AUTHORIZED'
                   ELSE 'PENDING' END)::"RequestStatus",
           CASE WHEN k IN ('RS', 'F', 'AP', 'AU') THEN a_at END,
           CASE WHEN k IN ('RS', 'F', 'AP', 'AU') THEN (${heads}::int[])[1 + (e - 1) % ${UNITS}] END,
           CASE WHEN k IN ('F', 'AP') THEN d_at END, CASE WHEN k IN ('F', 'AP') THEN ${servicesHead.id}::int END,
           CASE k WHEN 'RU' THEN a_at WHEN 'RS' THEN d_at END,
           CASE k WHEN 'RU' THEN (${heads}::int[])[1 + (e - 1) % ${UNITS}] WHEN 'RS' THEN ${servicesHead.id}::int END,
           (CASE k WHEN 'RU' THEN 'UNIT' WHEN 'RS' THEN 'SERVICES' END)::"RejectionStage",
           CASE WHEN k IN ('RU', 'RS') THEN 'Sin presupuesto' END,
           CASE WHEN k = 'C' THEN c_at + (a_at - c_at) / 2 END, CASE WHEN k = 'C' THEN 'Ya no se necesita' END,
           CASE WHEN k = 'F' THEN f_at END, c_at, c_at
    FROM s`;
  // One ticket per approved request; started/finished from the request's own dates.
  await db.$executeRaw`
    INSERT INTO tickets (company_id, number, request_id, service_area_id, worker_id, assigned_by_id, instructions,
                         status, assigned_at, started_at, finished_at, updated_at)
    SELECT r.company_id, row_number() OVER (ORDER BY r.id), r.id, r.service_area_id,
           (${workers}::int[])[1 + r.id % ${WORKERS}], ${servicesHead.id}::int, 'Atender',
           (CASE WHEN r.status = 'FINALIZED' THEN 'DONE' WHEN r.id % 2 = 0 THEN 'IN_PROGRESS' ELSE 'ASSIGNED' END)
             ::"TicketStatus",
           r.approved_at,
           CASE WHEN r.status = 'FINALIZED' THEN r.approved_at + (r.finalized_at - r.approved_at) * 0.25
                WHEN r.id % 2 = 0 THEN r.approved_at + (${now}::timestamptz - r.approved_at) / 2 END,
           r.finalized_at, r.approved_at
    FROM requests r WHERE r.company_id = ${companyId} AND r.approved_at IS NOT NULL`;
  await db.$executeRaw`
    INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, created_at)
    SELECT company_id, id, requester_id, 'SUBMIT', NULL, 'PENDING', created_at
      FROM requests WHERE company_id = ${companyId}`;
  const tickets = await db.ticket.count({ where: { companyId } });
  await db.company.update({ where: { id: companyId }, data: { requestSeq: requests, ticketSeq: tickets } });
  return admin.id;
}

async function measure(db: Db, adminId: number, now: Date) {
  const actor = (await loadActor(db, adminId))!;
  const filters = parseFilters({}, now, actor.timezone);
  filters.period.from = new Date(Date.parse(`${filters.period.to}T00:00:00Z`) - 89 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const times: number[] = [];
  let received = 0;
  for (let run = 0; run < 7; run++) {
    const t0 = performance.now();
    const ctx = queryContext(actor, filters, now);
    const options = await filterOptions(db, actor, ctx.scope);
    const d = await loadDashboard(db, ctx, options.categories);
    times.push(performance.now() - t0);
    received = d.summary.current.volumes.received;
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `Tablero de ${actor.email}, ${filters.period.from} → ${filters.period.to} (90 días, ${received} recibidas): ` +
      `primera ${times[0]!.toFixed(0)} ms, mediana ${sorted[3]!.toFixed(0)} ms, ` +
      `máxima ${sorted[6]!.toFixed(0)} ms (7 corridas)`,
  );
}

async function main() {
  const config = loadConfig();
  const server = await openDatabaseServer(config);
  const now = new Date();
  try {
    await applyMigrations(server.url);
    const { prisma, close } = connectDatabase(server.url, { max: 10 });
    try {
      let admin = await prisma.user.findFirst({ where: { email: 'admin@grande-1.demo' }, select: { id: true } });
      if (!admin) {
        const passwordHash = await hashPassword(DEMO_PASSWORD);
        const per = Math.ceil(TOTAL / COMPANIES);
        for (let n = 1; n <= COMPANIES; n++) {
          const t0 = performance.now();
          // One transaction per company: an interrupted run leaves nothing half-made.
          const id = await prisma.$transaction((tx) => seedCompany(tx as unknown as Db, n, per, passwordHash, now), {
            timeout: 3_600_000,
            maxWait: 10_000,
          });
          if (n === 1) admin = { id };
          console.log(`Empresa Grande ${n}: ${per} solicitudes en ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
        await prisma.$executeRawUnsafe('ANALYZE');
      } else {
        console.log('La base grande ya existe: solo se mide.');
      }
      const total = await prisma.request.count();
      console.log(`Solicitudes en la base: ${total}`);
      await measure(prisma, admin!.id, now);
    } finally {
      await close();
    }
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
