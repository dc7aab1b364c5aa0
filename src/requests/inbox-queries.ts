// The statements of the request inboxes (raw SQL: measured faster than Prisma on these hot
// pages). A page is found by probing the index of each (scope key, state) pair for its
// newest rows and merging them, so reading page 1 touches about (keys × states × page size)
// index entries whatever the company's volume; tab counts come from request_counts (the
// authorizer lane: request_authorizer_counts), kept by triggers (migrations inbox_counts and
// authorizer_counts), instead of counting requests.
import { Prisma } from '../generated/prisma/client.js';
import type { Priority, RequestStatus } from '../generated/prisma/client.js';
import type { Db } from '../db/client.js';
import { instant, jsonArray, nameOf, rows } from '../db/sql.js';

/** What narrows an inbox besides its lane (all within the company). */
export interface LaneFilters {
  unitId?: number;
  categoryId?: number;
  priority?: Priority;
  from?: Date;
  to?: Date;
  number?: number;
  /** The request whose ticket has this number. */
  ticketNumber?: number;
  /** The requests a text search matched (its newest ones, when `searchCapped`: it matched more). */
  requestIds?: number[];
  searchCapped?: boolean;
  /** 'due': the applicable due date first (soonest first, none last), instead of newest first. */
  sort?: 'due';
  /** Keyset pagination (newest first): only the rows after this one. */
  after?: { createdAt: Date; id: number };
}

/** The filters as conditions on `r`. */
function filterConditions(companyId: number, f: LaneFilters): Prisma.Sql[] {
  const conds: Prisma.Sql[] = [];
  if (f.unitId) conds.push(Prisma.sql`r.requester_unit_id = ${f.unitId}`);
  if (f.categoryId) conds.push(Prisma.sql`r.category_id = ${f.categoryId}`);
  if (f.priority) conds.push(Prisma.sql`r.priority = ${f.priority}::"Priority"`);
  if (f.from) conds.push(Prisma.sql`r.created_at >= ${f.from}`);
  if (f.to) conds.push(Prisma.sql`r.created_at < ${f.to}`);
  if (f.number) conds.push(Prisma.sql`r.number = ${f.number}`);
  if (f.ticketNumber) {
    conds.push(
      Prisma.sql`EXISTS (SELECT 1 FROM tickets tn
                  WHERE tn.company_id = ${companyId}::int AND tn.request_id = r.id AND tn.number = ${f.ticketNumber})`,
    );
  }
  if (f.requestIds) conds.push(Prisma.sql`r.id = ANY(${f.requestIds}::int[])`);
  if (f.after) conds.push(Prisma.sql`(r.created_at, r.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::int)`);
  return conds;
}

/**
 * The column a scope narrows requests by, and its values (company-wide: the company itself); `awaitingAdmins` adds
 * the requests the company's administrators authorize.
 */
export interface Lane {
  column: 'company_id' | 'requester_id' | 'requester_unit_id' | 'service_area_id' | 'authorizer_unit_id';
  keys: number[];
  awaitingAdmins?: boolean;
}

export const ALL_STATUSES: RequestStatus[] = [
  'PENDING',
  'AUTHORIZED',
  'APPROVED',
  'FINALIZED',
  'CLOSED',
  'REJECTED',
  'CANCELLED',
];

export interface RequestRow {
  id: number;
  number: number;
  title: string;
  status: RequestStatus;
  priority: Priority;
  createdAt: Date;
  authorizerUnitId: number | null;
  serviceAreaId: number;
  requester: { name: string };
  requesterUnit: { name: string };
  category: { name: string };
  ticket: { status: string; number: number; worker: { name: string } } | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  onHoldSince: Date | null;
}

type Option = { id: number; name: string };
export interface FilterOptions {
  units: Option[];
  categories: Option[];
}

export interface LaneSummary {
  byStatus: Map<RequestStatus, number>;
  /** The units and categories the page's filters offer; null when not asked for. */
  options: FilterOptions | null;
  /** The page asked for, read in the same statement; null when not asked for. */
  page: RequestRow[] | null;
}

/**
 * Request counts by state within a lane and, when asked for, what the page's filters offer and one page of the lane:
 * one statement (one round trip to PostgreSQL and one snapshot, the counts agreeing with the page). The counts come
 * from the counter tables (the authorizer lane's by authorizer unit and whether the administrators authorize, the
 * others' by the lane's column), or are counted live when filters narrow the lane, which the counter tables cannot
 * know.
 */
export async function laneSummary(
  db: Db,
  companyId: number,
  lane: Lane,
  laneFilters: LaneFilters,
  wanted: { options: boolean; page?: PageQuery },
): Promise<LaneSummary> {
  const filters = filterConditions(companyId, laneFilters);
  const counts = filters.length ? liveCounts(companyId, lane, filters) : keptCounts(companyId, lane);
  const page = wanted.page
    ? jsonArray(pageSql(companyId, lane, laneFilters, wanted.page), pageOrder('p', laneFilters.sort))
    : Prisma.sql`NULL::json`;
  const [row] = await rows<{
    counts: Partial<Record<RequestStatus, number>> | null;
    options: FilterOptions | null;
    page: JsonRow[] | null;
  }>(
    db,
    Prisma.sql`
    SELECT (SELECT json_object_agg(x.status, x.n) FROM (${counts}) x) AS counts,
           ${wanted.options ? optionsSql(companyId) : Prisma.sql`NULL::json`} AS options,
           ${page} AS page`,
  );
  return {
    byStatus: new Map(Object.entries(row?.counts ?? {}) as [RequestStatus, number][]),
    options: row?.options ?? null,
    page: row?.page ? row.page.map(fromJson) : null,
  };
}

/** Whether a row of `alias` is in the lane. */
function inLane(alias: string, lane: Lane): Prisma.Sql {
  const key = Prisma.sql`${Prisma.raw(alias)}.${Prisma.raw(lane.column)} = ANY(${lane.keys}::int[])`;
  return lane.awaitingAdmins ? Prisma.sql`(${key} OR ${Prisma.raw(alias)}.awaiting_admins)` : key;
}

function liveCounts(companyId: number, lane: Lane, filters: Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`
    SELECT r.status::text AS status, count(*)::int AS n FROM requests r
     WHERE r.company_id = ${companyId} AND ${inLane('r', lane)} AND ${Prisma.join(filters, ' AND ')}
     GROUP BY r.status`;
}

function keptCounts(companyId: number, lane: Lane): Prisma.Sql {
  const table = Prisma.raw(lane.column === 'authorizer_unit_id' ? 'request_authorizer_counts' : 'request_counts');
  return Prisma.sql`
    SELECT c.status::text AS status, sum(c.n)::int AS n FROM ${table} c
     WHERE c.company_id = ${companyId} AND ${inLane('c', lane)}
     GROUP BY c.status`;
}

interface RawRow {
  id: number;
  number: number;
  title: string;
  status: RequestStatus;
  priority: Priority;
  created_at: Date;
  authorizer_unit_id: number | null;
  service_area_id: number;
  requester_name: string;
  unit_name: string;
  category_name: string;
  ticket_number: number | null;
  ticket_status: string | null;
  worker_name: string | null;
  response_due_at: Date | null;
  resolution_due_at: Date | null;
  on_hold_since: Date | null;
}

/** A row of a page read as JSON (in the summary's statement): its instants are strings there. */
type Instants = 'created_at' | 'response_due_at' | 'resolution_due_at' | 'on_hold_since';
type JsonRow = Omit<RawRow, Instants> & { created_at: string } & Record<Exclude<Instants, 'created_at'>, string | null>;

/**
 * The order of a page: newest first, or by the due date that applies in the row's state (each probe reads one
 * state, so in the services head's lanes it walks the (area, state, due) indexes).
 */
function pageOrder(alias: string, sort: LaneFilters['sort']): Prisma.Sql {
  const a = Prisma.raw(alias);
  const newest = Prisma.sql`${a}.created_at DESC, ${a}.id DESC`;
  if (sort !== 'due') return newest;
  return Prisma.sql`CASE ${a}.status WHEN 'AUTHORIZED' THEN ${a}.response_due_at
                                   WHEN 'APPROVED' THEN ${a}.resolution_due_at END ASC NULLS LAST, ${newest}`;
}

/** Which page of a lane to read: its states and its window. */
export interface PageQuery {
  statuses: RequestStatus[];
  skip: number;
  take: number;
}

/**
 * Whether a page is the newest of every request of the company in every state (the administrators' "Todas"): its
 * (company_id, created_at) index holds that order, so one probe reads the page's rows, where a probe per state reads
 * a page per state (seven times the rows) to keep the newest of them.
 */
function wholeCompany(lane: Lane, sort: LaneFilters['sort'], statuses: RequestStatus[]): boolean {
  return (
    lane.column === 'company_id' &&
    !lane.awaitingAdmins &&
    sort !== 'due' &&
    ALL_STATUSES.every((s) => statuses.includes(s))
  );
}

/** The statement of one page of requests of a lane, in the page's order, with the names the list shows. */
function pageSql(companyId: number, lane: Lane, laneFilters: LaneFilters, { statuses, skip, take }: PageQuery) {
  const filters = filterConditions(companyId, laneFilters);
  const extra = filters.length ? Prisma.sql` AND ${Prisma.join(filters, ' AND ')}` : Prisma.empty;
  /** The newest rows of the lane's index for `match` (a key and a state, or the whole company). */
  const probe = (match: Prisma.Sql) => Prisma.sql`
                   SELECT r.id, r.number, r.title, r.status, r.priority, r.created_at, r.company_id, r.requester_id,
                          r.requester_unit_id, r.category_id, r.authorizer_unit_id, r.service_area_id,
                          r.response_due_at, r.resolution_due_at, r.on_hold_since
                     FROM requests r
                    WHERE r.company_id = ${companyId} AND ${match}${extra}
                    ORDER BY ${pageOrder('r', laneFilters.sort)}
                    LIMIT ${skip + take}`;
  const inState = Prisma.sql`r.status = s.status::"RequestStatus"`;
  const adminProbes = lane.awaitingAdmins
    ? Prisma.sql`
             UNION ALL
            SELECT p.* FROM unnest(${statuses}::text[]) AS s(status)
             CROSS JOIN LATERAL (${probe(Prisma.sql`r.awaiting_admins AND ${inState}`)}) p`
    : Prisma.empty;
  const keyInState = Prisma.sql`r.${Prisma.raw(lane.column)} = k.key AND ${inState}`;
  const rowsOfLane = wholeCompany(lane, laneFilters.sort, statuses)
    ? probe(Prisma.sql`true`)
    : Prisma.sql`
            SELECT p.*
              FROM unnest(${lane.keys}::int[]) AS k(key)
             CROSS JOIN unnest(${statuses}::text[]) AS s(status)
             CROSS JOIN LATERAL (${probe(keyInState)}) p${adminProbes}`;
  return Prisma.sql`
    SELECT r.id, r.number, r.title, r.status::text AS status, r.priority::text AS priority, r.created_at,
           r.authorizer_unit_id, r.service_area_id,
           ${nameOf('users', 'r', 'requester_id', companyId)} AS requester_name,
           ${nameOf('units', 'r', 'requester_unit_id', companyId)} AS unit_name,
           ${nameOf('categories', 'r', 'category_id', companyId)} AS category_name,
           t.number AS ticket_number, t.status::text AS ticket_status, t.worker_name, r.response_due_at,
           r.resolution_due_at, r.on_hold_since
      -- The probes carry the columns the list shows: the heap row is read there anyway,
      -- so the page's rows need no second lookup by id. Names are key probes (nameOf):
      -- as joins, the planner (which expects ~1 row from the probes) read every user of
      -- the company per row instead.
      FROM (SELECT q.* FROM (${rowsOfLane}) q
             ORDER BY ${pageOrder('q', laneFilters.sort)}
             LIMIT ${take} OFFSET ${skip}) r
      LEFT JOIN LATERAL (
           SELECT t.number, t.status, ${nameOf('users', 't', 'worker_id', companyId)} AS worker_name
             FROM tickets t WHERE t.company_id = ${companyId} AND t.request_id = r.id) t ON true
     ORDER BY ${pageOrder('r', laneFilters.sort)}`;
}

/** One page of requests of a lane in the given states, in the page's order, with the names the list shows. */
export async function lanePage(
  db: Db,
  companyId: number,
  lane: Lane,
  laneFilters: LaneFilters,
  page: PageQuery,
): Promise<RequestRow[]> {
  return (await rows<RawRow>(db, pageSql(companyId, lane, laneFilters, page))).map(toRequestRow);
}

function toRequestRow(r: RawRow): RequestRow {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    status: r.status,
    priority: r.priority,
    createdAt: r.created_at,
    authorizerUnitId: r.authorizer_unit_id,
    serviceAreaId: r.service_area_id,
    requester: { name: r.requester_name },
    requesterUnit: { name: r.unit_name },
    category: { name: r.category_name },
    ticket:
      r.ticket_number === null
        ? null
        : { number: r.ticket_number, status: r.ticket_status!, worker: { name: r.worker_name ?? '' } },
    responseDueAt: r.response_due_at,
    resolutionDueAt: r.resolution_due_at,
    onHoldSince: r.on_hold_since,
  };
}

function fromJson(r: JsonRow): RequestRow {
  return toRequestRow({
    ...r,
    created_at: instant(r.created_at),
    response_due_at: instant(r.response_due_at),
    resolution_due_at: instant(r.resolution_due_at),
    on_hold_since: instant(r.on_hold_since),
  });
}

/** The units and categories the inbox filters offer, as one JSON value ({ units, categories }). */
function optionsSql(companyId: number): Prisma.Sql {
  return Prisma.sql`json_build_object(
    'units', COALESCE((SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY name)
                         FROM (SELECT id, name FROM units WHERE company_id = ${companyId} AND kind = 'REGULAR'
                                ORDER BY name LIMIT 500) u), '[]'),
    'categories', COALESCE((SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY name)
                              FROM (SELECT id, name FROM categories WHERE company_id = ${companyId}
                                     ORDER BY name LIMIT 500) c), '[]'))`;
}
