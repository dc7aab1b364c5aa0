// The dashboard's SQL. Every query is scoped to the actor's company inside the query
// itself, aggregates in PostgreSQL (count, percentile_cont, avg) and groups days in the
// company's time zone; nothing loads a period's requests into Node.
import type { Db } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import {
  ACTIVITY_COLUMNS,
  BACKLOG_STATES,
  STAGES,
  VOLUMES,
  backlogState,
  closedAt,
  cycleHours,
  executionHours,
  hasTarget,
  hoursBetween,
  isOpen,
  isRejected,
  pastTarget,
  ticketOpen,
  withinTarget,
  type BacklogState,
  type Sql,
  type StageDefinition,
  type VolumeDefinition,
} from './definitions.js';
import type { IndicatorScope } from './policy.js';
import { previousPeriod, type Period } from './period.js';
import type { IndicatorFilters } from './schema.js';

const sql = Prisma.sql;
const raw = Prisma.raw;
const join = Prisma.join;

export interface QueryContext {
  companyId: number;
  timezone: string;
  scope: IndicatorScope;
  filters: IndicatorFilters;
  now: Date;
}

/** Instants bounding the period and the previous one: [prevFrom, from) and [from, to). */
export interface Bounds {
  prevFrom: Date;
  from: Date;
  to: Date;
}

/** Local midnights → instants, computed by PostgreSQL so DST transitions are right. */
export async function resolveBounds(db: Db, timezone: string, period: Period): Promise<Bounds> {
  const prev = previousPeriod(period);
  const [row] = await db.$queryRaw<Bounds[]>`
    SELECT (${prev.from}::date::timestamp AT TIME ZONE ${timezone}) AS "prevFrom",
           (${period.from}::date::timestamp AT TIME ZONE ${timezone}) AS "from",
           ((${period.to}::date + 1)::timestamp AT TIME ZONE ${timezone}) AS "to"`;
  return row!;
}

/** Joins shared by every request query (after `requests r`). */
const ticketAndCategory = sql`
  LEFT JOIN tickets t ON t.company_id = r.company_id AND t.request_id = r.id
  JOIN categories c ON c.company_id = r.company_id AND c.id = r.category_id`;

/** The company, the actor's scope and the dashboard filters, as one WHERE condition on r and t. */
export function requestFilter({ companyId, scope, filters }: Pick<QueryContext, 'companyId' | 'scope' | 'filters'>): Sql {
  const parts: Sql[] = [sql`r.company_id = ${companyId}`];
  if (scope.kind === 'limited') {
    parts.push(sql`(r.service_area_id = ANY(${scope.serviceAreaIds}::int[]) OR r.requester_unit_id = ANY(${scope.requesterUnitIds}::int[]))`);
  }
  if (filters.serviceAreaId) parts.push(sql`r.service_area_id = ${filters.serviceAreaId}`);
  if (filters.unitId) parts.push(sql`r.requester_unit_id = ${filters.unitId}`);
  if (filters.categoryId) parts.push(sql`r.category_id = ${filters.categoryId}`);
  if (filters.priority) parts.push(sql`r.priority = ${filters.priority}::"Priority"`);
  if (filters.workerId) parts.push(sql`t.worker_id = ${filters.workerId}`);
  return join(parts, ' AND ');
}

const inRange = (at: Sql, lo: Date, hi: Date) => sql`(${at} >= ${lo} AND ${at} < ${hi})`;
const and = (...conds: (Sql | undefined)[]) => join(conds.filter((c): c is Sql => c !== undefined), ' AND ');

// ---------------------------------------------------------------- headline figures

export interface StageFigures {
  count: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
}

export interface PeriodFigures {
  volumes: Record<VolumeDefinition['key'], number>;
  stages: Record<StageDefinition['key'], StageFigures>;
  sla: { withTarget: number; within: number };
}

export interface Summary {
  current: PeriodFigures;
  previous: PeriodFigures;
}

function periodAggregates(prefix: 'cur' | 'prev', lo: Date, hi: Date): Sql[] {
  const cols: Sql[] = [];
  for (const v of VOLUMES) cols.push(sql`count(*) FILTER (WHERE ${and(inRange(v.at, lo, hi), v.where)})::int AS ${raw(`"${prefix}_${v.key}"`)}`);
  for (const s of STAGES) {
    const h = hoursBetween(s.start, s.end);
    const f = and(inRange(s.end, lo, hi), sql`${s.start} IS NOT NULL`, s.where);
    cols.push(sql`count(*) FILTER (WHERE ${f})::int AS ${raw(`"${prefix}_${s.key}_count"`)}`);
    cols.push(sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${h}) FILTER (WHERE ${f}) AS ${raw(`"${prefix}_${s.key}_median"`)}`);
    cols.push(sql`percentile_cont(0.9) WITHIN GROUP (ORDER BY ${h}) FILTER (WHERE ${f}) AS ${raw(`"${prefix}_${s.key}_p90"`)}`);
    cols.push(sql`avg(${h}) FILTER (WHERE ${f}) AS ${raw(`"${prefix}_${s.key}_mean"`)}`);
  }
  const finalizedIn = inRange(sql`r.finalized_at`, lo, hi);
  cols.push(sql`count(*) FILTER (WHERE ${finalizedIn} AND ${hasTarget})::int AS ${raw(`"${prefix}_sla_with_target"`)}`);
  cols.push(sql`count(*) FILTER (WHERE ${finalizedIn} AND ${hasTarget} AND ${withinTarget})::int AS ${raw(`"${prefix}_sla_within"`)}`);
  return cols;
}

function readPeriod(row: Record<string, number | null>, prefix: 'cur' | 'prev'): PeriodFigures {
  const n = (k: string) => row[`${prefix}_${k}`] ?? null;
  return {
    volumes: Object.fromEntries(VOLUMES.map((v) => [v.key, n(v.key) ?? 0])) as PeriodFigures['volumes'],
    stages: Object.fromEntries(
      STAGES.map((s) => [s.key, { count: n(`${s.key}_count`) ?? 0, median: n(`${s.key}_median`), p90: n(`${s.key}_p90`), mean: n(`${s.key}_mean`) }]),
    ) as PeriodFigures['stages'],
    sla: { withTarget: n('sla_with_target') ?? 0, within: n('sla_within') ?? 0 },
  };
}

/**
 * Volumes, lead times and SLA compliance of the period and of the previous one, in one
 * pass over the requests with any step inside [prevFrom, to). The candidates are found
 * through one index per timestamp (UNION of index range scans), then filtered and aggregated.
 */
export async function summary(db: Db, ctx: QueryContext, b: Bounds): Promise<Summary> {
  const cid = ctx.companyId;
  const candidates = join(
    [
      ...ACTIVITY_COLUMNS.requests.map((col) => sql`SELECT id FROM requests WHERE company_id = ${cid} AND ${raw(col)} >= ${b.prevFrom} AND ${raw(col)} < ${b.to}`),
      ...ACTIVITY_COLUMNS.tickets.map((col) => sql`SELECT request_id FROM tickets WHERE company_id = ${cid} AND ${raw(col)} >= ${b.prevFrom} AND ${raw(col)} < ${b.to}`),
    ],
    ' UNION ',
  );
  const [row] = await db.$queryRaw<Record<string, number | null>[]>`
    WITH ids AS (${candidates})
    SELECT ${join([...periodAggregates('cur', b.from, b.to), ...periodAggregates('prev', b.prevFrom, b.from)], ', ')}
    FROM ids JOIN requests r ON r.company_id = ${cid} AND r.id = ids.id ${ticketAndCategory}
    WHERE ${requestFilter(ctx)}`;
  return { current: readPeriod(row!, 'cur'), previous: readPeriod(row!, 'prev') };
}

// ---------------------------------------------------------------- open backlog now

export interface BacklogRow {
  state: BacklogState;
  count: number;
  medianAgeHours: number | null;
  oldestAgeHours: number | null;
}

/** Requests open right now by state, with their age since submission. */
export async function backlogNow(db: Db, ctx: QueryContext): Promise<BacklogRow[]> {
  const age = hoursBetween(sql`r.created_at`, sql`${ctx.now}::timestamptz`);
  const rows = await db.$queryRaw<{ state: BacklogState; count: number; median: number | null; oldest: number | null }[]>`
    SELECT ${backlogState} AS state, count(*)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ${age}) AS median, max(${age}) AS oldest
    FROM requests r ${ticketAndCategory}
    WHERE ${requestFilter(ctx)} AND ${isOpen}
    GROUP BY 1`;
  const by = new Map(rows.map((r) => [r.state, r]));
  return BACKLOG_STATES.map((state) => {
    const r = by.get(state);
    return { state, count: r?.count ?? 0, medianAgeHours: r?.median ?? null, oldestAgeHours: r?.oldest ?? null };
  });
}

// ---------------------------------------------------------------- per day

export interface DailyCounts {
  /** Received per local day, from the period's first day on (later days included). */
  received: Map<string, number>;
  /** Closed (finalized, rejected or cancelled) per local day, from the first day on. */
  closed: Map<string, number>;
  /** Finalized per local day of the period. */
  finalized: Map<string, number>;
}

export async function dailyCounts(db: Db, ctx: QueryContext, b: Bounds): Promise<DailyCounts> {
  const tz = ctx.timezone;
  const day = (at: Sql) => sql`to_char(${at} AT TIME ZONE ${tz}, 'YYYY-MM-DD')`;
  const from = sql`requests r ${ticketAndCategory}`;
  const where = requestFilter(ctx);
  const rows = await db.$queryRaw<{ kind: 'received' | 'closed' | 'finalized'; day: string; n: number }[]>`
    SELECT 'received' AS kind, ${day(sql`r.created_at`)} AS day, count(*)::int AS n
      FROM ${from} WHERE ${where} AND r.created_at >= ${b.from} GROUP BY 2
    UNION ALL
    SELECT 'closed', ${day(closedAt)}, count(*)::int
      FROM ${from} WHERE ${where} AND (r.finalized_at >= ${b.from} OR r.rejected_at >= ${b.from} OR r.cancelled_at >= ${b.from}) GROUP BY 2
    UNION ALL
    SELECT 'finalized', ${day(sql`r.finalized_at`)}, count(*)::int
      FROM ${from} WHERE ${where} AND ${inRange(sql`r.finalized_at`, b.from, b.to)} GROUP BY 2`;
  const out: DailyCounts = { received: new Map(), closed: new Map(), finalized: new Map() };
  for (const r of rows) out[r.kind].set(r.day, r.n);
  return out;
}

// ---------------------------------------------------------------- by unit, by category

export interface CohortRow {
  id: number;
  name: string;
  requests: number;
  rejected: number;
  finalized: number;
  medianCycleHours: number | null;
}

/** Requests received in the period grouped by the requester's unit or by category. */
export async function cohortBy(db: Db, ctx: QueryContext, b: Bounds, by: 'unit' | 'category'): Promise<CohortRow[]> {
  const group = by === 'unit' ? sql`JOIN units g ON g.company_id = r.company_id AND g.id = r.requester_unit_id` : sql`JOIN categories g ON g.company_id = r.company_id AND g.id = r.category_id`;
  return db.$queryRaw<CohortRow[]>`
    SELECT g.id, g.name, count(*)::int AS requests,
           count(*) FILTER (WHERE ${isRejected})::int AS rejected,
           count(*) FILTER (WHERE r.finalized_at IS NOT NULL)::int AS finalized,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ${cycleHours}) AS "medianCycleHours"
    FROM requests r ${ticketAndCategory} ${group}
    WHERE ${requestFilter(ctx)} AND ${inRange(sql`r.created_at`, b.from, b.to)}
    GROUP BY g.id, g.name
    ORDER BY requests DESC, g.name
    LIMIT 500`;
}

// ---------------------------------------------------------------- by worker

export interface WorkerRow {
  id: number;
  name: string;
  finished: number;
  medianExecutionHours: number | null;
  openLoad: number;
}

/** Tickets finished in the period and the open load right now, per worker. */
export async function byWorker(db: Db, ctx: QueryContext, b: Bounds): Promise<WorkerRow[]> {
  const finishedIn = inRange(sql`t.finished_at`, b.from, b.to);
  return db.$queryRaw<WorkerRow[]>`
    SELECT w.id, w.name,
           count(*) FILTER (WHERE ${finishedIn})::int AS finished,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ${executionHours}) FILTER (WHERE ${finishedIn}) AS "medianExecutionHours",
           count(*) FILTER (WHERE ${ticketOpen})::int AS "openLoad"
    FROM requests r ${ticketAndCategory}
    JOIN users w ON w.company_id = t.company_id AND w.id = t.worker_id
    WHERE ${requestFilter(ctx)} AND t.company_id = ${ctx.companyId} AND (${finishedIn} OR ${ticketOpen})
    GROUP BY w.id, w.name
    ORDER BY finished DESC, w.name
    LIMIT 500`;
}

// ---------------------------------------------------------------- SLA

export interface SlaRow {
  id: number;
  name: string;
  slaHours: number | null;
  finalized: number;
  within: number;
  overdueOpen: number;
}

/** Per category: requests finalized in the period, how many within target, open ones past target now. */
export async function slaByCategory(db: Db, ctx: QueryContext, b: Bounds): Promise<SlaRow[]> {
  const finalizedIn = inRange(sql`r.finalized_at`, b.from, b.to);
  return db.$queryRaw<SlaRow[]>`
    SELECT c.id, c.name, c.sla_hours AS "slaHours",
           count(*) FILTER (WHERE ${finalizedIn})::int AS finalized,
           count(*) FILTER (WHERE ${finalizedIn} AND ${withinTarget})::int AS within,
           count(*) FILTER (WHERE ${pastTarget(ctx.now)})::int AS "overdueOpen"
    FROM requests r ${ticketAndCategory}
    WHERE ${requestFilter(ctx)} AND (${finalizedIn} OR ${isOpen})
    GROUP BY c.id, c.name, c.sla_hours
    ORDER BY c.name
    LIMIT 500`;
}

export interface OverdueRow {
  id: number;
  number: number;
  title: string;
  createdAt: Date;
  category: string;
  unit: string;
  slaHours: number;
  ageHours: number;
  state: BacklogState;
}

export const OVERDUE_LIMIT = 50;

/** Open requests already past their category's target, oldest first. */
export async function overdueOpen(db: Db, ctx: QueryContext, limit = OVERDUE_LIMIT): Promise<OverdueRow[]> {
  return db.$queryRaw<OverdueRow[]>`
    SELECT r.id, r.number, r.title, r.created_at AS "createdAt", c.name AS category, u.name AS unit,
           c.sla_hours AS "slaHours", ${hoursBetween(sql`r.created_at`, sql`${ctx.now}::timestamptz`)} AS "ageHours", ${backlogState} AS state
    FROM requests r ${ticketAndCategory}
    JOIN units u ON u.company_id = r.company_id AND u.id = r.requester_unit_id
    WHERE ${requestFilter(ctx)} AND ${pastTarget(ctx.now)}
    ORDER BY r.created_at, r.id
    LIMIT ${limit}`;
}

// ---------------------------------------------------------------- the requests of the period

export interface RequestExportRow {
  id: number;
  number: number;
  title: string;
  status: string;
  priority: string;
  unit: string;
  serviceArea: string;
  category: string;
  requester: string;
  worker: string | null;
  submitted: string;
  authorized: string | null;
  approved: string | null;
  rejected: string | null;
  rejectionStage: string | null;
  cancelled: string | null;
  started: string | null;
  finished: string | null;
  finalized: string | null;
  cycleHours: number | null;
  slaHours: number | null;
  withinTarget: boolean | null;
}

/**
 * One page of the requests received in the period (keyset pagination on created_at, id),
 * every date of their lifecycle in the company's time zone.
 */
export async function requestsPage(
  db: Db,
  ctx: QueryContext,
  b: Bounds,
  after: { createdAt: Date; id: number } | null,
  pageSize: number,
): Promise<(RequestExportRow & { createdAt: Date })[]> {
  const local = (at: Sql) => sql`to_char(${at} AT TIME ZONE ${ctx.timezone}, 'YYYY-MM-DD HH24:MI')`;
  const keyset = after ? sql`AND (r.created_at, r.id) > (${after.createdAt}::timestamptz, ${after.id}::int)` : Prisma.empty;
  return db.$queryRaw`
    SELECT r.id, r.number, r.title, r.status::text AS status, r.priority::text AS priority,
           u.name AS unit, a.name AS "serviceArea", c.name AS category, q.name AS requester, w.name AS worker,
           ${local(sql`r.created_at`)} AS submitted, ${local(sql`r.authorized_at`)} AS authorized,
           ${local(sql`r.approved_at`)} AS approved, ${local(sql`r.rejected_at`)} AS rejected,
           r.rejection_stage::text AS "rejectionStage", ${local(sql`r.cancelled_at`)} AS cancelled,
           ${local(sql`t.started_at`)} AS started, ${local(sql`t.finished_at`)} AS finished,
           ${local(sql`r.finalized_at`)} AS finalized, ${cycleHours} AS "cycleHours", c.sla_hours AS "slaHours",
           CASE WHEN r.finalized_at IS NULL OR c.sla_hours IS NULL THEN NULL ELSE ${withinTarget} END AS "withinTarget",
           r.created_at AS "createdAt"
    FROM requests r ${ticketAndCategory}
    JOIN units u ON u.company_id = r.company_id AND u.id = r.requester_unit_id
    JOIN units a ON a.company_id = r.company_id AND a.id = r.service_area_id
    JOIN users q ON q.company_id = r.company_id AND q.id = r.requester_id
    LEFT JOIN users w ON w.company_id = t.company_id AND w.id = t.worker_id
    WHERE ${requestFilter(ctx)} AND ${inRange(sql`r.created_at`, b.from, b.to)} ${keyset}
    ORDER BY r.created_at, r.id
    LIMIT ${pageSize}`;
}
