// Ticket trays. Like the request inboxes (src/requests/inbox-sql.ts): a page merges the
// newest rows of each indexed (key, state) pair, tab counts and workers' loads come from
// ticket_counts (kept by a trigger), so neither grows with the company's history.
import type { Db } from '../db/client.js';
import { nameOf, rows } from '../db/sql.js';
import { Prisma, type Priority, type TicketStatus } from '../generated/prisma/client.js';
import type { Actor } from '../org/actor.js';
import { searchRequestIds, type RequestScope } from '../conversation/search.js';
import { parseRequestNumber } from '../requests/filters.js';
import { paginate } from '../web/pagination.js';

export interface TicketRow {
  id: number;
  number: number;
  status: TicketStatus;
  assignedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  needsReassignment: boolean;
  instructions: string;
  worker: { id: number; name: string };
  request: {
    id: number;
    number: number;
    title: string;
    priority: Priority;
    requesterUnit: { name: string };
    category: { name: string };
  };
}

const TICKET_TABS: [string, TicketStatus][] = [
  ['asignados', 'ASSIGNED'],
  ['en-ejecucion', 'IN_PROGRESS'],
  ['finalizados', 'DONE'],
];

/** Which tickets a tray shows: its indexed column and values, and optional narrowing. */
interface TrayScope {
  column: 'worker_id' | 'service_area_id';
  keys: number[];
  /** Only these areas (a services head filtering by one worker). */
  areaIds?: number[];
}

/** The tray's search box: a request number, or words matched by the inbox full-text search. */
async function searchSql(db: Db, actor: Actor, scope: RequestScope, q: string | undefined): Promise<Prisma.Sql[]> {
  if (!q) return [];
  const number = parseRequestNumber(q);
  if (number !== undefined) {
    return [
      Prisma.sql`EXISTS (SELECT 1 FROM requests rn WHERE rn.company_id = t.company_id AND rn.id = t.request_id AND rn.number = ${number})`,
    ];
  }
  return [Prisma.sql`t.request_id = ANY(${await searchRequestIds(db, actor, scope, q)}::int[])`];
}

async function trayCounts(
  db: Db,
  companyId: number,
  scope: TrayScope,
  conds: Prisma.Sql[],
): Promise<Map<TicketStatus, number>> {
  const where = [
    Prisma.sql`t.company_id = ${companyId}`,
    Prisma.sql`t.${Prisma.raw(scope.column)} = ANY(${scope.keys}::int[])`,
  ];
  if (scope.areaIds) where.push(Prisma.sql`t.service_area_id = ANY(${scope.areaIds}::int[])`);
  // Unfiltered: the counter table; with a search: counted live.
  const counts = await rows<{ status: TicketStatus; n: number }>(
    db,
    conds.length
      ? Prisma.sql`SELECT t.status::text AS status, count(*)::int AS n FROM tickets t
                    WHERE ${Prisma.join([...where, ...conds], ' AND ')} GROUP BY t.status`
      : Prisma.sql`SELECT t.status::text AS status, sum(t.n)::int AS n FROM ticket_counts t
                    WHERE ${Prisma.join(where, ' AND ')} GROUP BY t.status`,
  );
  return new Map(counts.map((r) => [r.status, r.n]));
}

interface RawTicket {
  id: number;
  number: number;
  status: TicketStatus;
  assigned_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  needs_reassignment: boolean;
  instructions: string;
  worker_id: number;
  worker_name: string;
  request_id: number;
  request_number: number;
  title: string;
  priority: Priority;
  unit_name: string;
  category_name: string;
}

async function trayPage(
  db: Db,
  companyId: number,
  scope: TrayScope,
  status: TicketStatus,
  conds: Prisma.Sql[],
  skip: number,
  take: number,
): Promise<TicketRow[]> {
  const extra = [...(scope.areaIds ? [Prisma.sql`t.service_area_id = ANY(${scope.areaIds}::int[])`] : []), ...conds];
  const more = extra.length ? Prisma.sql` AND ${Prisma.join(extra, ' AND ')}` : Prisma.empty;
  const found = await rows<RawTicket>(
    db,
    Prisma.sql`
    SELECT t.id, t.number, t.status::text AS status, t.assigned_at, t.started_at, t.finished_at, t.needs_reassignment, t.instructions,
           t.worker_id, ${nameOf('users', 't', 'worker_id')} AS worker_name,
           r.id AS request_id, r.number AS request_number, r.title, r.priority::text AS priority,
           ${nameOf('units', 'r', 'requester_unit_id')} AS unit_name,
           ${nameOf('categories', 'r', 'category_id')} AS category_name
      -- As in the request inboxes, the probes carry the columns the tray shows, so the
      -- page's tickets are not looked up again by id, and names are key probes.
      FROM (SELECT p.*
              FROM unnest(${scope.keys}::int[]) AS k(key)
             CROSS JOIN LATERAL (
                   SELECT t.id, t.number, t.status, t.assigned_at, t.started_at, t.finished_at, t.needs_reassignment, t.instructions,
                          t.company_id, t.worker_id, t.request_id
                     FROM tickets t
                    WHERE t.company_id = ${companyId} AND t.${Prisma.raw(scope.column)} = k.key AND t.status = ${status}::"TicketStatus"${more}
                    ORDER BY t.assigned_at DESC, t.id DESC
                    LIMIT ${skip + take}) p
             ORDER BY p.assigned_at DESC, p.id DESC
             LIMIT ${take} OFFSET ${skip}) t
      CROSS JOIN LATERAL (
           SELECT r.id, r.number, r.title, r.priority, r.company_id, r.requester_unit_id, r.category_id
             FROM requests r WHERE r.company_id = t.company_id AND r.id = t.request_id) r
     ORDER BY t.assigned_at DESC, t.id DESC`,
  );
  return found.map((t) => ({
    id: t.id,
    number: t.number,
    status: t.status,
    assignedAt: t.assigned_at,
    startedAt: t.started_at,
    finishedAt: t.finished_at,
    needsReassignment: t.needs_reassignment,
    instructions: t.instructions,
    worker: { id: t.worker_id, name: t.worker_name },
    request: {
      id: t.request_id,
      number: t.request_number,
      title: t.title,
      priority: t.priority,
      requesterUnit: { name: t.unit_name },
      category: { name: t.category_name },
    },
  }));
}

async function ticketTray(
  db: Db,
  actor: Actor,
  scope: TrayScope,
  conds: Prisma.Sql[],
  tabKey: string | undefined,
  requestedPage: number,
) {
  const counts = await trayCounts(db, actor.companyId, scope, conds);
  const tabs = TICKET_TABS.map(([key, status]) => ({ key, status, count: counts.get(status) ?? 0 }));
  const tab = tabs.find((t) => t.key === tabKey) ?? tabs[0]!;
  const page = paginate(tab.count, requestedPage);
  const rows =
    tab.count === 0 ? [] : await trayPage(db, actor.companyId, scope, tab.status, conds, page.skip, page.take);
  return { tabs, tab, rows, page };
}

/** "Mis tickets": assigned first, then in progress, then done. */
export async function myTickets(db: Db, actor: Actor, tab: string | undefined, page: number, q?: string) {
  const conds = await searchSql(db, actor, { workerId: actor.id }, q);
  return ticketTray(db, actor, { column: 'worker_id', keys: [actor.id] }, conds, tab, page);
}

/** The services head's tray: tickets of their area(s) by state, optionally of one worker. */
export async function areaTickets(
  db: Db,
  actor: Actor,
  tab: string | undefined,
  page: number,
  workerId?: number,
  q?: string,
) {
  const conds = await searchSql(db, actor, { serviceAreaIds: actor.servicesAreaIds }, q);
  const scope: TrayScope = workerId
    ? { column: 'worker_id', keys: [workerId], areaIds: actor.servicesAreaIds }
    : { column: 'service_area_id', keys: actor.servicesAreaIds };
  return ticketTray(db, actor, scope, conds, tab, page);
}

export interface WorkerLoad {
  id: number;
  name: string;
  assigned: number;
  inProgress: number;
  open: number;
}

/** Active workers of service areas with their open-ticket load (staff availability), lightest first. */
async function workersOf(db: Db, companyId: number, areaIds: number[]): Promise<WorkerLoad[]> {
  const workers = await rows<WorkerLoad>(
    db,
    Prisma.sql`
    SELECT u.id, u.name,
           COALESCE(sum(tc.n) FILTER (WHERE tc.status = 'ASSIGNED'), 0)::int AS assigned,
           COALESCE(sum(tc.n) FILTER (WHERE tc.status = 'IN_PROGRESS'), 0)::int AS "inProgress"
      FROM users u
      LEFT JOIN ticket_counts tc ON tc.company_id = u.company_id AND tc.worker_id = u.id AND tc.status IN ('ASSIGNED', 'IN_PROGRESS')
     WHERE u.company_id = ${companyId} AND u.unit_id = ANY(${areaIds}::int[]) AND u.is_worker AND u.active
     GROUP BY u.id, u.name`,
  );
  return workers
    .map((w) => ({ ...w, open: w.assigned + w.inProgress }))
    .sort((a, b) => a.open - b.open || a.name.localeCompare(b.name));
}

/** Active workers of one service area with their open load (the worker picker). */
export function workersWithLoad(db: Db, companyId: number, serviceAreaId: number) {
  return workersOf(db, companyId, [serviceAreaId]);
}

/** Workers of the actor's areas (for the tray's worker filter), with their open load. */
export function areaWorkers(db: Db, actor: Actor) {
  return workersOf(db, actor.companyId, actor.servicesAreaIds);
}
