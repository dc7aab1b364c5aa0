// The statements of the ticket trays (raw SQL, measured faster on these hot pages). Like the
// request inboxes (src/requests/inbox-queries.ts): a page merges the newest rows of each
// indexed (key, state) pair, and tab counts come from ticket_counts (kept by a trigger), so
// neither grows with the company's history.
import type { Db } from '../db/client.js';
import { instant, jsonArray, nameOf, rows } from '../db/sql.js';
import { Prisma, type Priority, type TicketStatus } from '../generated/prisma/client.js';
import { byLoad, workerLoadsJson, type WorkerLoad } from '../requests/index.js';

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
    status: string;
    responseDueAt: Date | null;
    resolutionDueAt: Date | null;
    onHoldSince: Date | null;
  };
}

/** Which tickets a tray shows: its indexed column and values, and optional narrowing. */
export interface TrayScope {
  column: 'worker_id' | 'service_area_id';
  keys: number[];
  /** Only these areas (a services head filtering by one worker). */
  areaIds?: number[];
}

/** What the tray's search box narrows to: a request or ticket by number, or the requests a text search matched. */
/** A tray's search: by number, or the requests a text search matched (`more`: it matched more than it returns). */
export type TraySearch =
  { requestNumber: number } | { ticketNumber: number } | { requestIds: number[]; more: boolean } | null;

function searchConditions(companyId: number, search: TraySearch): Prisma.Sql[] {
  if (!search) return [];
  if ('ticketNumber' in search) return [Prisma.sql`t.number = ${search.ticketNumber}`];
  if ('requestNumber' in search) {
    return [
      Prisma.sql`EXISTS (SELECT 1 FROM requests rn
                          WHERE rn.company_id = ${companyId}::int AND rn.id = t.request_id
                            AND rn.number = ${search.requestNumber})`,
    ];
  }
  return [Prisma.sql`t.request_id = ANY(${search.requestIds}::int[])`];
}

/** Which page of a tray to read: its tickets' state, its window and its order. */
export interface TrayPageQuery {
  status: TicketStatus;
  skip: number;
  take: number;
  sort?: 'due';
}

/** Ticket counts by state in a tray: from ticket_counts, or counted live when a search narrows the tray. */
function countsSql(companyId: number, scope: TrayScope, search: TraySearch): Prisma.Sql {
  const conds = searchConditions(companyId, search);
  const where = [
    Prisma.sql`t.company_id = ${companyId}`,
    Prisma.sql`t.${Prisma.raw(scope.column)} = ANY(${scope.keys}::int[])`,
  ];
  if (scope.areaIds) where.push(Prisma.sql`t.service_area_id = ANY(${scope.areaIds}::int[])`);
  return conds.length
    ? Prisma.sql`SELECT t.status::text AS status, count(*)::int AS n FROM tickets t
                  WHERE ${Prisma.join([...where, ...conds], ' AND ')} GROUP BY t.status`
    : Prisma.sql`SELECT t.status::text AS status, sum(t.n)::int AS n FROM ticket_counts t
                  WHERE ${Prisma.join(where, ' AND ')} GROUP BY t.status`;
}

/**
 * A tray's counts by state and, when asked for, one page of it and the workers of some areas with their loads (the
 * services head's tray): one statement (one round trip, one snapshot), as the request inboxes do (laneSummary).
 */
export async function traySummary(
  db: Db,
  companyId: number,
  scope: TrayScope,
  search: TraySearch,
  also: { page?: TrayPageQuery; workersOf?: number[] } = {},
): Promise<{ byStatus: Map<TicketStatus, number>; page: TicketRow[] | null; workers: WorkerLoad[] | null }> {
  const { page, workersOf } = also;
  const pageJson = page
    ? jsonArray(traySql(companyId, scope, search, page), pageOrder('p', page.sort))
    : Prisma.sql`NULL::json`;
  const workersJson = workersOf
    ? workerLoadsJson(companyId, Prisma.sql`u.unit_id = ANY(${workersOf}::int[])`)
    : Prisma.sql`NULL::json`;
  const [row] = await rows<{
    counts: Partial<Record<TicketStatus, number>> | null;
    page: JsonTicket[] | null;
    workers: Omit<WorkerLoad, 'open'>[] | null;
  }>(
    db,
    Prisma.sql`
    SELECT (SELECT json_object_agg(x.status, x.n) FROM (${countsSql(companyId, scope, search)}) x) AS counts,
           ${pageJson} AS page, ${workersJson} AS workers`,
  );
  return {
    byStatus: new Map(Object.entries(row?.counts ?? {}) as [TicketStatus, number][]),
    page: row?.page ? row.page.map(fromJson) : null,
    workers: row?.workers ? byLoad(row.workers) : null,
  };
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
  request_status: string;
  response_due_at: Date | null;
  resolution_due_at: Date | null;
  on_hold_since: Date | null;
}

/** A ticket of a page read as JSON (in the summary's statement): its instants are strings there. */
type JsonTicket = Omit<RawTicket, 'assigned_at' | Instants> & { assigned_at: string } & Record<Instants, string | null>;
type Instants = 'started_at' | 'finished_at' | 'response_due_at' | 'resolution_due_at' | 'on_hold_since';

/**
 * A probe's order: newest assignment first, or by the request's resolution due date (soonest first); the latter
 * reads the request of each ticket of the (key, state) pair, which open trays (assigned, in progress) keep small.
 */
function probeOrder(
  companyId: number,
  sort: 'due' | undefined,
): { join: Prisma.Sql; order: Prisma.Sql; outer: Prisma.Sql } {
  const newest = (a: string) => Prisma.raw(`${a}.assigned_at DESC, ${a}.id DESC`);
  if (sort !== 'due') return { join: Prisma.empty, order: newest('t'), outer: newest('p') };
  return {
    join: Prisma.sql`JOIN requests d ON d.company_id = ${companyId}::int AND d.id = t.request_id`,
    order: Prisma.sql`d.resolution_due_at ASC NULLS LAST, ${newest('t')}`,
    outer: Prisma.sql`p.due ASC NULLS LAST, ${newest('p')}`,
  };
}

/** The order of a tray's page over `alias`: by the request's resolution due date (soonest first), or newest. */
function pageOrder(alias: string, sort: 'due' | undefined): Prisma.Sql {
  const a = Prisma.raw(alias);
  const newest = Prisma.sql`${a}.assigned_at DESC, ${a}.id DESC`;
  return sort === 'due' ? Prisma.sql`${a}.resolution_due_at ASC NULLS LAST, ${newest}` : newest;
}

/** The statement of one page of a tray's tickets in one state, in the page's order, with what the cards show. */
function traySql(companyId: number, scope: TrayScope, search: TraySearch, page: TrayPageQuery): Prisma.Sql {
  const { status, skip, take, sort } = page;
  const by = probeOrder(companyId, sort);
  const conds = searchConditions(companyId, search);
  const extra = [...(scope.areaIds ? [Prisma.sql`t.service_area_id = ANY(${scope.areaIds}::int[])`] : []), ...conds];
  const more = extra.length ? Prisma.sql` AND ${Prisma.join(extra, ' AND ')}` : Prisma.empty;
  return Prisma.sql`
    SELECT t.id, t.number, t.status::text AS status, t.assigned_at, t.started_at, t.finished_at, t.needs_reassignment,
           t.instructions, t.worker_id, ${nameOf('users', 't', 'worker_id', companyId)} AS worker_name,
           r.id AS request_id, r.number AS request_number, r.title, r.priority::text AS priority,
           ${nameOf('units', 'r', 'requester_unit_id', companyId)} AS unit_name,
           ${nameOf('categories', 'r', 'category_id', companyId)} AS category_name, r.status::text AS request_status,
           r.response_due_at, r.resolution_due_at, r.on_hold_since
      -- As in the request inboxes, the probes carry the columns the tray shows, so the
      -- page's tickets are not looked up again by id, and names are key probes.
      FROM (SELECT p.*
              FROM unnest(${scope.keys}::int[]) AS k(key)
             CROSS JOIN LATERAL (
                   SELECT t.id, t.number, t.status, t.assigned_at, t.started_at, t.finished_at, t.needs_reassignment,
                          t.instructions, t.company_id, t.worker_id, t.request_id
                          ${sort === 'due' ? Prisma.sql`, d.resolution_due_at AS due` : Prisma.empty}
                     FROM tickets t ${by.join}
                    WHERE t.company_id = ${companyId} AND t.${Prisma.raw(scope.column)} = k.key
                      AND t.status = ${status}::"TicketStatus"${more}
                    ORDER BY ${by.order}
                    LIMIT ${skip + take}) p
             ORDER BY ${by.outer}
             LIMIT ${take} OFFSET ${skip}) t
      CROSS JOIN LATERAL (
           SELECT r.id, r.number, r.title, r.priority, r.company_id, r.requester_unit_id, r.category_id, r.status,
                  r.response_due_at, r.resolution_due_at, r.on_hold_since
             FROM requests r WHERE r.company_id = ${companyId} AND r.id = t.request_id) r
     ORDER BY ${sort === 'due' ? Prisma.sql`r.resolution_due_at ASC NULLS LAST, ` : Prisma.empty}
              t.assigned_at DESC, t.id DESC`;
}

/** One page of a tray's tickets in one state, in the page's order, with what the cards show. */
export async function trayPage(
  db: Db,
  companyId: number,
  scope: TrayScope,
  search: TraySearch,
  page: TrayPageQuery,
): Promise<TicketRow[]> {
  return (await rows<RawTicket>(db, traySql(companyId, scope, search, page))).map(toTicketRow);
}

function toTicketRow(t: RawTicket): TicketRow {
  return {
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
      status: t.request_status,
      responseDueAt: t.response_due_at,
      resolutionDueAt: t.resolution_due_at,
      onHoldSince: t.on_hold_since,
    },
  };
}

function fromJson(t: JsonTicket): TicketRow {
  return toTicketRow({
    ...t,
    assigned_at: instant(t.assigned_at),
    started_at: instant(t.started_at),
    finished_at: instant(t.finished_at),
    response_due_at: instant(t.response_due_at),
    resolution_due_at: instant(t.resolution_due_at),
    on_hold_since: instant(t.on_hold_since),
  });
}

/** The request of a ticket of the company (null when the ticket is not one of its). */
export async function ticketRequestId(db: Db, companyId: number, ticketId: number): Promise<number | null> {
  const t = await db.ticket.findUnique({
    where: { companyId_id: { companyId, id: ticketId } },
    select: { requestId: true },
  });
  return t?.requestId ?? null;
}
