// The dashboard's SQL (raw SQL throughout: aggregates measured faster in PostgreSQL). Every
// query is scoped to the actor's company inside the query itself, aggregates in PostgreSQL
// (count, percentile_cont, avg) and groups days in the company's time zone; nothing loads a
// period's requests into Node. The page's figures come from one statement
// (dashboardFigures); the CSV of requests pages through its own.
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { Db } from '../db/client.js';
import { reportRows, rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import {
  BACKLOG_STATES,
  STAGES,
  VOLUMES,
  applicableDue,
  backlogState,
  closedAt,
  cycleHours,
  executionHours,
  hasTarget,
  hoursBetween,
  isOpen,
  isRejected,
  pastTarget,
  surveyAt,
  ticketOpen,
  wasReopened,
  withinTarget,
  type BacklogState,
  type Sql,
  type StageDefinition,
  type VolumeDefinition,
} from './definitions.js';
import type { IndicatorScope } from './policy.js';
import { periodBounds, type Bounds } from './period.js';
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

/** The period's bounds as the values of the dashboard statement's CTE "bounds". */
function boundsSql(b: Bounds): Sql {
  return sql`
    SELECT ${b.prevFrom}::timestamptz AS "prevFrom", ${b.from}::timestamptz AS "from", ${b.to}::timestamptz AS "to"`;
}

/** The bounds inside the dashboard's statement: each one a value of its CTE "bounds". */
type BoundsRef = { [K in keyof Bounds]: Sql };
const BOUNDS: BoundsRef = {
  prevFrom: sql`(SELECT "prevFrom" FROM bounds)`,
  from: sql`(SELECT "from" FROM bounds)`,
  to: sql`(SELECT "to" FROM bounds)`,
};

/**
 * Joins shared by every request query (after `requests r`); each table names the company (one shard on Citus).
 * `ticketIf` narrows the tickets joined (the dashboard's rows: only those its requests can have).
 */
const ticketAndCategory = (companyId: number, ticketIf?: Sql) => sql`
  LEFT JOIN tickets t ON t.company_id = ${companyId}::int AND t.request_id = r.id
                     ${ticketIf ? sql`AND ${ticketIf}` : Prisma.empty}
  JOIN categories c ON c.company_id = ${companyId}::int AND c.id = r.category_id`;

/** The company, the actor's scope and the dashboard filters, as one WHERE condition on r and t. */
export function requestFilter({
  companyId,
  scope,
  filters,
}: Pick<QueryContext, 'companyId' | 'scope' | 'filters'>): Sql {
  const parts: Sql[] = [sql`r.company_id = ${companyId}::int`];
  if (scope.kind === 'limited') {
    parts.push(
      sql`(r.service_area_id = ANY(${scope.serviceAreaIds}::int[])
           OR r.requester_unit_id = ANY(${scope.requesterUnitIds}::int[]))`,
    );
  }
  if (filters.serviceAreaId) parts.push(sql`r.service_area_id = ${filters.serviceAreaId}`);
  if (filters.unitId) parts.push(sql`r.requester_unit_id = ${filters.unitId}`);
  if (filters.categoryId) parts.push(sql`r.category_id = ${filters.categoryId}`);
  if (filters.priority) parts.push(sql`r.priority = ${filters.priority}::"Priority"`);
  if (filters.workerId) parts.push(sql`t.worker_id = ${filters.workerId}`);
  return join(parts, ' AND ');
}

const inRange = (at: Sql, lo: Date | Sql, hi: Date | Sql) => sql`(${at} >= ${lo} AND ${at} < ${hi})`;
const and = (...conds: (Sql | undefined)[]) =>
  join(
    conds.filter((c): c is Sql => c !== undefined),
    ' AND ',
  );

// ---------------------------------------------------------------- what the filters offer

export interface FilterOptions {
  serviceAreas: { id: number; name: string }[];
  units: { id: number; name: string }[];
  categories: { id: number; name: string; slaHours: number | null; serviceAreaId: number }[];
  workers: { id: number; name: string }[];
}

/**
 * What the actor may filter by: only units, areas, categories and workers within their
 * scope, as SQL giving one JSON object (so the page can fetch it in its one statement).
 */
export function filterOptionsSql(companyId: number, scope: IndicatorScope): Sql {
  const limited = scope.kind === 'limited';
  // A unit head sees requests sent to any area; a services head only their own areas' work.
  const areaWhere =
    limited && scope.requesterUnitIds.length === 0 ? sql`AND id = ANY(${scope.serviceAreaIds}::int[])` : Prisma.empty;
  const unitWhere =
    limited && scope.serviceAreaIds.length === 0
      ? sql`AND id = ANY(${scope.requesterUnitIds}::int[])`
      : sql`AND kind = 'REGULAR'`;
  const areaIds = sql`SELECT id FROM units WHERE company_id = ${companyId} AND kind = 'SERVICE_AREA' ${areaWhere}`;
  const list = (fields: Sql, from: Sql) =>
    sql`(SELECT coalesce(json_agg(json_build_object(${fields}) ORDER BY name, id), '[]'::json) FROM ${from})`;
  return sql`json_build_object(
    'serviceAreas', ${list(
      sql`'id', id, 'name', name`,
      sql`units WHERE company_id = ${companyId} AND kind = 'SERVICE_AREA' ${areaWhere}`,
    )},
    'units', ${list(sql`'id', id, 'name', name`, sql`units WHERE company_id = ${companyId} ${unitWhere}`)},
    'categories', ${list(
      sql`'id', id, 'name', name, 'slaHours', resolution_hours, 'serviceAreaId', service_area_id`,
      sql`categories WHERE company_id = ${companyId} AND service_area_id IN (${areaIds})`,
    )},
    'workers', ${list(
      sql`'id', id, 'name', name`,
      sql`users WHERE company_id = ${companyId} AND is_worker AND unit_id IN (${areaIds})`,
    )})`;
}

export async function readFilterOptions(db: Db, companyId: number, scope: IndicatorScope): Promise<FilterOptions> {
  const [row] = await rows<{ options: FilterOptions }>(
    db,
    sql`SELECT ${filterOptionsSql(companyId, scope)} AS options`,
  );
  return row!.options;
}

// ---------------------------------------------------------------- the rows of a dashboard

/**
 * Every figure of the dashboard is computed from one set of rows, read once per page
 * (a MATERIALIZED CTE of one statement): the requests in the actor's scope and filters
 * that are open now or closed (finalized, rejected, cancelled) on or after the start of
 * the previous period, joined to their ticket and category.
 *
 * Why that set holds every request any figure counts: a closed request does nothing
 * after it closes (closing is terminal; finishing the ticket finalizes the request in the
 * same transaction, with the same time; a reopening clears finalized_at, so the request is open
 * again), so a request with any step inside
 * [prevFrom, now] is either still open or closed at or after prevFrom. Each figure keeps
 * its own exact condition from the definitions; this set only bounds the rows read.
 *
 * Each row carries the facts the figures need, each evaluated once from the definitions
 * (r, t and c are the request, its ticket and its category here): for every volume and
 * stage the period its date falls in (1 = this period, 2 = the previous one, NULL =
 * neither), the stage's hours, the local days for the daily series, and the open-backlog
 * facts. The tables below only filter and aggregate those columns.
 */
const CURRENT = raw('1');
const PREVIOUS = raw('2');

/** 1 when `at` is inside [from, to), 2 inside [prevFrom, from), else NULL (also when `when` is false). */
const periodOf = (at: Sql, b: BoundsRef, when?: Sql) => {
  const bucket = sql`CASE WHEN ${inRange(at, b.prevFrom, b.to)}
                          THEN CASE WHEN ${at} >= ${b.from} THEN ${CURRENT} ELSE ${PREVIOUS} END END`;
  return when ? sql`CASE WHEN ${when} THEN ${bucket} END` : bucket;
};

/** Column names of the per-row facts. */
const vol = (key: VolumeDefinition['key']) => raw(`"v_${key}"`);
const stagePeriod = (key: StageDefinition['key']) => raw(`"s_${key}"`);

/**
 * Durations the figures aggregate, each computed once per row even when two figures
 * share it (the cycle stage and the cycle time, the execution stage and a worker's
 * execution time are the same expression).
 */
const DURATIONS: Sql[] = [];
for (const h of [...STAGES.map((s) => hoursBetween(s.start, s.end)), cycleHours, executionHours]) {
  if (!DURATIONS.some((d) => d.text === h.text)) DURATIONS.push(h);
}
/** The column holding a duration of DURATIONS. */
function hoursOf(h: Sql): Sql {
  const i = DURATIONS.findIndex((d) => d.text === h.text);
  if (i < 0) throw new Error(`not a dashboard duration: ${h.text}`);
  return raw(`h_${i}`);
}
const stageHours = (key: StageDefinition['key']) => {
  const s = STAGES.find((x) => x.key === key)!;
  return hoursOf(hoursBetween(s.start, s.end));
};

function candidates(ctx: QueryContext, b: BoundsRef, prevFrom: Date): Sql {
  const tz = ctx.timezone;
  const localDay = (at: Sql) => sql`(${at} AT TIME ZONE ${tz})::date`;
  const volumeFact = (key: VolumeDefinition['key']) => {
    const v = VOLUMES.find((x) => x.key === key)!;
    return sql`${periodOf(v.at, b, v.where)} AS ${vol(v.key)}`;
  };
  const closedSince = sql`(r.finalized_at >= ${b.from} OR r.rejected_at >= ${b.from} OR r.cancelled_at >= ${b.from})`;
  // Columns the tables filter on come first: reading a stored row's column means walking
  // past every column before it, and each table reads the rows once.
  const facts: Sql[] = [
    sql`${isOpen} AS open, ${pastTarget(ctx.now)} AS past_target`,
    volumeFact('finalized'),
    volumeFact('received'),
    sql`${inRange(sql`t.finished_at`, b.from, b.to)} AS ticket_finished, ${ticketOpen} AS ticket_open`,
    // Daily series: received and closed from the first day on, finalized inside the period.
    sql`CASE WHEN r.created_at >= ${b.from} THEN ${localDay(sql`r.created_at`)} END AS day_received`,
    sql`CASE WHEN ${closedSince} THEN ${localDay(closedAt)} END AS day_closed`,
    sql`CASE WHEN ${inRange(sql`r.finalized_at`, b.from, b.to)}
             THEN ${localDay(sql`r.finalized_at`)} END AS day_finalized`,
    // Headline figures.
    ...VOLUMES.filter((v) => v.key !== 'finalized' && v.key !== 'received').map((v) => volumeFact(v.key)),
    ...STAGES.map(
      (s) => sql`${periodOf(s.end, b, and(sql`${s.start} IS NOT NULL`, s.where))} AS ${stagePeriod(s.key)}`,
    ),
    ...DURATIONS.map((h) => sql`${h} AS ${hoursOf(h)}`),
    sql`${hasTarget} AS sla_with, (${hasTarget} AND ${withinTarget}) AS sla_within`,
    // Cohorts (by unit, by category), workers, SLA per category, the overdue list, the backlog.
    sql`${isRejected} AS rejected, r.finalized_at IS NOT NULL AS finalized, ${wasReopened} AS reopened`,
    sql`r.requester_unit_id, r.category_id, t.worker_id, c.resolution_hours AS sla_hours, r.id, r.number, r.created_at`,
    sql`${applicableDue} AS due_at`,
    sql`CASE WHEN ${isOpen} THEN ${hoursBetween(sql`r.created_at`, sql`${ctx.now}::timestamptz`)} END AS age_hours`,
    sql`CASE WHEN ${isOpen} THEN ${backlogState} END AS state`,
  ];
  // The bound that selects the rows is a value of its own, not the CTE's: the planner then knows how few rows of a
  // large company it selects and reads them through the indexes of those dates instead of the whole table.
  const since = sql`${prevFrom}::timestamptz`;
  // Only the tickets such rows can have: an open request's ticket is open (approving opens it, reopening puts it
  // back in progress), a finalized request's ticket was finished with it, at the same time (finishing finalizes);
  // rejected and cancelled requests never had one. The planner then reads those tickets, not all of the company's.
  return sql`
    SELECT ${join(facts, ',\n           ')}
    FROM requests r ${ticketAndCategory(ctx.companyId, sql`(${ticketOpen} OR t.finished_at >= ${since})`)}
    WHERE ${requestFilter(ctx)}
      AND (${isOpen} OR r.finalized_at >= ${since} OR r.rejected_at >= ${since} OR r.cancelled_at >= ${since})`;
}

/** A JSON array of a subquery's rows, in the given order ('[]' when there is none). */
const jsonRows = (query: Sql, order: Sql) =>
  sql`(SELECT coalesce(json_agg(s ORDER BY ${order}), '[]'::json) FROM (${query}) s)`;

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

function periodAggregates(prefix: 'cur' | 'prev', period: Sql): Sql[] {
  const cols: Sql[] = [];
  for (const v of VOLUMES)
    cols.push(sql`count(*) FILTER (WHERE ${vol(v.key)} = ${period})::int AS ${raw(`"${prefix}_${v.key}"`)}`);
  for (const s of STAGES) {
    const h = stageHours(s.key);
    const f = sql`${stagePeriod(s.key)} = ${period}`;
    cols.push(sql`count(*) FILTER (WHERE ${f})::int AS ${raw(`"${prefix}_${s.key}_count"`)}`);
    // Both percentiles from one sort of the stage's hours (the array form), not one sort each.
    cols.push(
      sql`percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${h}) FILTER (WHERE ${f})
            AS ${raw(`"${prefix}_${s.key}_pct"`)}`,
    );
    cols.push(sql`avg(${h}) FILTER (WHERE ${f}) AS ${raw(`"${prefix}_${s.key}_mean"`)}`);
  }
  const finalizedIn = sql`${vol('finalized')} = ${period}`;
  cols.push(sql`count(*) FILTER (WHERE ${finalizedIn} AND sla_with)::int AS ${raw(`"${prefix}_sla_with_target"`)}`);
  cols.push(sql`count(*) FILTER (WHERE ${finalizedIn} AND sla_within)::int AS ${raw(`"${prefix}_sla_within"`)}`);
  return cols;
}

function readPeriod(row: Record<string, number | number[] | null>, prefix: 'cur' | 'prev'): PeriodFigures {
  const n = (k: string) => (row[`${prefix}_${k}`] as number | null) ?? null;
  const pct = (k: string, i: number) => (row[`${prefix}_${k}_pct`] as number[] | null)?.[i] ?? null;
  return {
    volumes: Object.fromEntries(VOLUMES.map((v) => [v.key, n(v.key) ?? 0])) as PeriodFigures['volumes'],
    stages: Object.fromEntries(
      STAGES.map((s) => [
        s.key,
        {
          count: n(`${s.key}_count`) ?? 0,
          median: pct(s.key, 0),
          p90: pct(s.key, 1),
          mean: n(`${s.key}_mean`),
        },
      ]),
    ) as PeriodFigures['stages'],
    sla: { withTarget: n('sla_with_target') ?? 0, within: n('sla_within') ?? 0 },
  };
}

/** Volumes, lead times and SLA compliance of the period and of the previous one (one row). */
const summarySql = sql`
  SELECT ${join([...periodAggregates('cur', CURRENT), ...periodAggregates('prev', PREVIOUS)], ', ')}
  FROM rows
  -- Only rows with a step in either period (every aggregate filters on one of these).
  WHERE coalesce(${join(
    [...VOLUMES.map((v) => vol(v.key)), ...STAGES.map((s) => stagePeriod(s.key))],
    ', ',
  )}) IS NOT NULL`;

// ---------------------------------------------------------------- open backlog now

export interface BacklogRow {
  state: BacklogState;
  count: number;
  medianAgeHours: number | null;
  oldestAgeHours: number | null;
}

/** Requests open right now by state, with their age since submission. */
const backlogSql = sql`
  SELECT state, count(*)::int AS count, percentile_cont(0.5) WITHIN GROUP (ORDER BY age_hours) AS median,
         max(age_hours) AS oldest
  FROM rows WHERE open
  GROUP BY state`;

function readBacklog(
  rows: { state: BacklogState; count: number; median: number | null; oldest: number | null }[],
): BacklogRow[] {
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

type DailyRow = { kind: 'received' | 'closed' | 'finalized'; day: string; n: number };

/** Counts per local day (the days were computed per row, in the company's time zone), in one pass. */
const dailySql = sql`
  SELECT CASE WHEN GROUPING(day_received) = 0 THEN 'received' WHEN GROUPING(day_closed) = 0 THEN 'closed'
              ELSE 'finalized' END AS kind,
         to_char(coalesce(day_received, day_closed, day_finalized), 'YYYY-MM-DD') AS day, count(*)::int AS n
  FROM rows
  GROUP BY GROUPING SETS ((day_received), (day_closed), (day_finalized))
  HAVING coalesce(day_received, day_closed, day_finalized) IS NOT NULL`;

function readDaily(rows: DailyRow[]): DailyCounts {
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

/** Requests received in the period by the requester's unit and by category, in one pass (CTE "cohorts"). */
const cohortsSql = sql`
  SELECT GROUPING(requester_unit_id) = 1 AS by_category, coalesce(requester_unit_id, category_id) AS id,
         count(*)::int AS requests,
         count(*) FILTER (WHERE rejected)::int AS rejected,
         count(*) FILTER (WHERE finalized)::int AS finalized,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hoursOf(cycleHours)}) AS "medianCycleHours"
  FROM rows WHERE ${vol('received')} = ${CURRENT}
  GROUP BY GROUPING SETS ((requester_unit_id), (category_id))`;

/** One of the two cohort tables, with names (top 500). */
function cohortSql(ctx: QueryContext, by: 'unit' | 'category'): Sql {
  const names = by === 'unit' ? sql`units` : sql`categories`;
  return sql`
    SELECT g.id, g.name, a.requests, a.rejected, a.finalized, a."medianCycleHours"
    FROM cohorts a
    JOIN ${names} g ON g.company_id = ${ctx.companyId} AND g.id = a.id
    WHERE ${by === 'unit' ? sql`NOT a.by_category` : sql`a.by_category`}
    ORDER BY a.requests DESC, g.name, g.id
    LIMIT 500`;
}
const cohortOrder = sql`s.requests DESC, s.name, s.id`;

// ---------------------------------------------------------------- by worker

export interface WorkerRow {
  id: number;
  name: string;
  finished: number;
  medianExecutionHours: number | null;
  openLoad: number;
}

/** Tickets finished in the period and the open load right now, per worker (top 500). */
function workerSql(ctx: QueryContext): Sql {
  return sql`
    SELECT w.id, w.name, a.finished, a."medianExecutionHours", a."openLoad"
    FROM (
      SELECT worker_id AS id,
             count(*) FILTER (WHERE ticket_finished)::int AS finished,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hoursOf(executionHours)})
               FILTER (WHERE ticket_finished) AS "medianExecutionHours",
             count(*) FILTER (WHERE ticket_open)::int AS "openLoad"
      FROM rows WHERE ticket_finished OR ticket_open
      GROUP BY 1
    ) a
    JOIN users w ON w.company_id = ${ctx.companyId} AND w.id = a.id
    ORDER BY a.finished DESC, w.name, w.id
    LIMIT 500`;
}
const workerOrder = sql`s.finished DESC, s.name, s.id`;

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
function slaSql(ctx: QueryContext): Sql {
  const finalizedIn = sql`${vol('finalized')} = ${CURRENT}`;
  return sql`
    SELECT g.id, g.name, g.resolution_hours AS "slaHours", a.finalized, a.within, a."overdueOpen"
    FROM (
      SELECT category_id AS id,
             count(*) FILTER (WHERE ${finalizedIn} AND sla_with)::int AS finalized,
             count(*) FILTER (WHERE ${finalizedIn} AND sla_within)::int AS within,
             count(*) FILTER (WHERE past_target)::int AS "overdueOpen"
      FROM rows WHERE ${finalizedIn} OR open
      GROUP BY 1
    ) a
    JOIN categories g ON g.company_id = ${ctx.companyId} AND g.id = a.id
    ORDER BY g.name, g.id
    LIMIT 500`;
}
const slaOrder = sql`s.name, s.id`;

export interface OverdueRow {
  id: number;
  number: number;
  title: string;
  createdAt: Date;
  category: string;
  unit: string;
  slaHours: number | null;
  ageHours: number;
  dueAt: Date;
  /** The due date in the company's zone (yyyy-mm-dd hh:mm), for the CSV. */
  dueLocal: string;
  state: BacklogState;
}

export const OVERDUE_LIMIT = 50;

/** Open requests already past their category's target, oldest first. */
function overdueSql(ctx: QueryContext, limit: number): Sql {
  return sql`
    SELECT o.id, o.number, q.title, o.created_at AS "createdAt", g.name AS category, u.name AS unit,
           o.sla_hours AS "slaHours", o.age_hours AS "ageHours", o.state, o.due_at AS "dueAt",
           to_char(o.due_at AT TIME ZONE ${ctx.timezone}, 'YYYY-MM-DD HH24:MI') AS "dueLocal"
    FROM (SELECT * FROM rows WHERE past_target ORDER BY due_at, id LIMIT ${limit}) o
    JOIN requests q ON q.company_id = ${ctx.companyId} AND q.id = o.id
    JOIN categories g ON g.company_id = ${ctx.companyId} AND g.id = o.category_id
    JOIN units u ON u.company_id = ${ctx.companyId} AND u.id = o.requester_unit_id`;
}
const overdueOrder = sql`s."dueAt", s.id`;

// ---------------------------------------------------------------- satisfaction and reopenings

/** The surveys of the finishes in either period, in the actor's scope and filters (CTE "surveys"). */
function surveysSql(ctx: QueryContext, b: BoundsRef): Sql {
  return sql`
    SELECT ${periodOf(surveyAt, b)} AS p, s.rating, s.answered_at IS NOT NULL AS answered, s.worker_id,
           r.category_id, r.requester_unit_id
    FROM satisfaction_surveys s
    JOIN requests r ON r.company_id = ${ctx.companyId}::int AND r.id = s.request_id
    ${ticketAndCategory(ctx.companyId)}
    WHERE s.company_id = ${ctx.companyId} AND ${inRange(surveyAt, b.prevFrom, b.to)} AND ${requestFilter(ctx)}`;
}

export interface QualityFigures {
  /** Requests finalized in the period, and those of them that had been reopened. */
  finalized: number;
  reopened: number;
  /** Surveys of the period's finishes, answered ones, and the sum of their ratings (the mean is exact from these). */
  surveys: number;
  answered: number;
  ratingSum: number;
}

export interface QualitySummary {
  current: QualityFigures;
  previous: QualityFigures;
}

/** Per period: finalized requests and their reopenings, then the surveys' figures (one pass over each). */
const qualityCounts = (period: '1' | '2') => {
  const p = raw(period);
  return sql`
      count(*) FILTER (WHERE ${vol('finalized')} = ${p})::int AS ${raw(`finalized_${period}`)},
      count(*) FILTER (WHERE ${vol('finalized')} = ${p} AND reopened)::int AS ${raw(`reopened_${period}`)}`;
};
const surveyCounts = (period: '1' | '2') => {
  const p = raw(period);
  return sql`
      count(*) FILTER (WHERE p = ${p})::int AS ${raw(`surveys_${period}`)},
      count(*) FILTER (WHERE p = ${p} AND answered)::int AS ${raw(`answered_${period}`)},
      coalesce(sum(rating) FILTER (WHERE p = ${p} AND answered), 0)::int AS ${raw(`rating_${period}`)}`;
};
const qualityOf = (period: '1' | '2') =>
  raw(`json_build_object('finalized', f.finalized_${period}, 'reopened', f.reopened_${period},
    'surveys', s.surveys_${period}, 'answered', s.answered_${period}, 'ratingSum', s.rating_${period})`);
const qualitySummarySql = sql`
  SELECT ${qualityOf('1')} AS current, ${qualityOf('2')} AS previous
  FROM (SELECT ${qualityCounts('1')}, ${qualityCounts('2')} FROM rows WHERE ${vol('finalized')} IS NOT NULL) f,
       (SELECT ${surveyCounts('1')}, ${surveyCounts('2')} FROM surveys) s`;

export type QualityGroup = 'worker' | 'category' | 'unit';
export interface QualityRow extends QualityFigures {
  kind: QualityGroup;
  id: number;
  name: string;
}

/**
 * Per worker (who finished), category and requester's unit: the period's finalized requests and reopenings, and its
 * surveys with their answers, in one pass over both (top 500 of each).
 */
function qualitySql(ctx: QueryContext): Sql {
  const c = ctx.companyId;
  return sql`
    SELECT a.kind, a.id, coalesce(w.name, g.name, u.name) AS name, a.finalized, a.reopened, a.surveys, a.answered,
           a."ratingSum"
    FROM (
      SELECT CASE WHEN GROUPING(worker_id) = 0 THEN 'worker' WHEN GROUPING(category_id) = 0 THEN 'category'
                  ELSE 'unit' END AS kind,
             coalesce(worker_id, category_id, requester_unit_id) AS id,
             sum(finalized)::int AS finalized, sum(reopened)::int AS reopened, sum(surveys)::int AS surveys,
             sum(answered)::int AS answered, sum(rating)::int AS "ratingSum",
             row_number() OVER (PARTITION BY GROUPING(worker_id), GROUPING(category_id)
                                ORDER BY sum(finalized) + sum(surveys) DESC) AS n
      FROM (
        SELECT worker_id, category_id, requester_unit_id, 1 AS finalized, reopened::int AS reopened, 0 AS surveys,
               0 AS answered, 0 AS rating
        FROM rows WHERE ${vol('finalized')} = ${CURRENT}
        UNION ALL
        SELECT worker_id, category_id, requester_unit_id, 0, 0, 1, answered::int,
               CASE WHEN answered THEN rating ELSE 0 END
        FROM surveys WHERE p = ${CURRENT}
      ) x
      GROUP BY GROUPING SETS ((worker_id), (category_id), (requester_unit_id))
      HAVING coalesce(worker_id, category_id, requester_unit_id) IS NOT NULL
    ) a
    LEFT JOIN users w ON a.kind = 'worker' AND w.company_id = ${c} AND w.id = a.id
    LEFT JOIN categories g ON a.kind = 'category' AND g.company_id = ${c} AND g.id = a.id
    LEFT JOIN units u ON a.kind = 'unit' AND u.company_id = ${c} AND u.id = a.id
    WHERE a.n <= 500`;
}
const qualityOrder = sql`s.kind, s.name, s.id`;

// ---------------------------------------------------------------- the whole dashboard, one statement

export interface DashboardFigures {
  bounds: Bounds;
  summary: Summary;
  backlog: BacklogRow[];
  daily: DailyCounts;
  byUnit: CohortRow[];
  byCategory: CohortRow[];
  byWorker: WorkerRow[];
  sla: SlaRow[];
  overdue: OverdueRow[];
  qualitySummary: QualitySummary;
  quality: QualityRow[];
}

/**
 * Every figure of the dashboard in one statement (one round trip): the period's bounds,
 * the candidate rows and their facts are computed once (see `candidates`) and each table
 * is aggregated from them inside PostgreSQL, returned as one row of JSON values; nothing
 * row-by-row reaches Node. `extra` adds more JSON columns to that row (the filter options).
 */
/**
 * At most one dashboard statement per CPU at a time; the others wait their turn in Node.
 * Each one is CPU-bound in PostgreSQL for tens of milliseconds at a million requests:
 * run all at once they only share the cores, so every one finishes late, and the pages of
 * everyone else wait behind them. Measured at 1 000 000 requests, 10 connections: p99
 * 287–366 ms unlimited, 277–282 ms with one per CPU (one in all: half the throughput).
 */
const dashboardSlots = pLimit(availableParallelism());

/**
 * From how many requests a company's dashboard is planned for its own values (`reportRows`) rather than with the
 * named statement's generic plan. A period is then a small share of the company's rows, which only a plan made for
 * its dates reads through their indexes: 90 days of a company of 2 000 000 requests took 17–21 s with the generic
 * plan (the whole table read) and ~1 s planned for its values. For a company of a few thousand requests the generic
 * plan is as good, and planning the statement again on every page cost more than running it (18 ms of planning under
 * load against 15 ms of execution). At 10 000 requests the generic plan probes the tickets once per row (it expects
 * 81 rows, not 6 863): planned for its values, 90 days took 65 ms instead of 90 (95–101 instead of 116–130 ms of
 * PostgreSQL CPU per dashboard under load, 1 000 000 requests, alternated runs).
 */
export const PLAN_FOR_VALUES_FROM = 5_000;

/** Whether the company has issued at least `threshold` requests (its counter, one key probe). */
async function plannedForValues(db: Db, companyId: number, threshold: number): Promise<boolean> {
  const [c] = await rows<{ n: number }>(db, sql`SELECT request_seq AS n FROM companies WHERE id = ${companyId}::int`);
  return (c?.n ?? 0) >= threshold;
}

export async function dashboardFigures<E extends Record<string, unknown> = Record<string, never>>(
  db: Db,
  ctx: QueryContext,
  extra: { [K in keyof E]: Sql } = {} as { [K in keyof E]: Sql },
  overdueLimit = OVERDUE_LIMIT,
  /** Tests set it to try both plans on small data. */
  planForValuesFrom = PLAN_FOR_VALUES_FROM,
): Promise<DashboardFigures & { extra: E }> {
  const bounds = periodBounds(ctx.timezone, ctx.filters.period);
  const extraCols = Object.entries(extra as Record<string, Sql>).map(([k, v]) => sql`, ${v} AS ${raw(`"x_${k}"`)}`);
  // Through pg itself (db/sql.ts), on the report connections or the main pool: the row is a few large JSON values,
  // which Prisma's raw-query path copied and converted again (CPU and memory per dashboard).
  const run = (await plannedForValues(db, ctx.companyId, planForValuesFrom)) ? reportRows : rows;
  const [row] = await dashboardSlots(() =>
    run<
      {
        bounds: Record<keyof Bounds, string>;
        summary: Record<string, number | number[] | null>;
        backlog: Parameters<typeof readBacklog>[0];
        daily: DailyRow[];
        units: CohortRow[];
        categories: CohortRow[];
        workers: WorkerRow[];
        sla: SlaRow[];
        overdue: (Omit<OverdueRow, 'createdAt' | 'dueAt'> & { createdAt: string; dueAt: string })[];
        quality_summary: QualitySummary;
        quality: QualityRow[];
      } & Record<string, unknown>
    >(
      db,
      sql`
    WITH bounds AS (${boundsSql(bounds)}),
    rows AS MATERIALIZED (${candidates(ctx, BOUNDS, bounds.prevFrom)}),
    cohorts AS MATERIALIZED (${cohortsSql}),
    surveys AS MATERIALIZED (${surveysSql(ctx, BOUNDS)})
    SELECT (SELECT row_to_json(bounds) FROM bounds) AS bounds,
           (SELECT row_to_json(s) FROM (${summarySql}) s) AS summary,
           ${jsonRows(backlogSql, sql`s.state`)} AS backlog,
           ${jsonRows(dailySql, sql`s.kind, s.day`)} AS daily,
           ${jsonRows(cohortSql(ctx, 'unit'), cohortOrder)} AS units,
           ${jsonRows(cohortSql(ctx, 'category'), cohortOrder)} AS categories,
           ${jsonRows(workerSql(ctx), workerOrder)} AS workers,
           ${jsonRows(slaSql(ctx), slaOrder)} AS sla,
           ${jsonRows(overdueSql(ctx, overdueLimit), overdueOrder)} AS overdue,
           (SELECT row_to_json(s) FROM (${qualitySummarySql}) s) AS quality_summary,
           ${jsonRows(qualitySql(ctx), qualityOrder)} AS quality
           ${extraCols.length ? join(extraCols, ' ') : Prisma.empty}`,
    ),
  );
  const r = row!;
  return {
    bounds: { prevFrom: new Date(r.bounds.prevFrom), from: new Date(r.bounds.from), to: new Date(r.bounds.to) },
    summary: { current: readPeriod(r.summary, 'cur'), previous: readPeriod(r.summary, 'prev') },
    backlog: readBacklog(r.backlog),
    daily: readDaily(r.daily),
    byUnit: r.units,
    byCategory: r.categories,
    byWorker: r.workers,
    sla: r.sla,
    overdue: r.overdue.map((o) => ({ ...o, createdAt: new Date(o.createdAt), dueAt: new Date(o.dueAt) })),
    qualitySummary: r.quality_summary,
    quality: r.quality,
    extra: Object.fromEntries(Object.keys(extra).map((k) => [k, r[`x_${k}`]])) as E,
  };
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
  /** The answers to the category's fields as stored (JSON). */
  fieldValues: unknown;
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
  const keyset = after
    ? sql`AND (r.created_at, r.id) > (${after.createdAt}::timestamptz, ${after.id}::int)`
    : Prisma.empty;
  return rows<RequestExportRow & { createdAt: Date }>(
    db,
    sql`
    SELECT r.id, r.number, r.title, r.status::text AS status, r.priority::text AS priority,
           u.name AS unit, a.name AS "serviceArea", c.name AS category, q.name AS requester, w.name AS worker,
           ${local(sql`r.created_at`)} AS submitted, ${local(sql`r.authorized_at`)} AS authorized,
           ${local(sql`r.approved_at`)} AS approved, ${local(sql`r.rejected_at`)} AS rejected,
           r.rejection_stage::text AS "rejectionStage", ${local(sql`r.cancelled_at`)} AS cancelled,
           ${local(sql`t.started_at`)} AS started, ${local(sql`t.finished_at`)} AS finished,
           ${local(sql`r.finalized_at`)} AS finalized, ${cycleHours} AS "cycleHours",
           c.resolution_hours AS "slaHours",
           CASE WHEN r.finalized_at IS NULL OR NOT ${hasTarget} THEN NULL ELSE ${withinTarget} END AS "withinTarget",
           r.created_at AS "createdAt", r.field_values AS "fieldValues"
    FROM requests r ${ticketAndCategory(ctx.companyId)}
    JOIN units u ON u.company_id = ${ctx.companyId}::int AND u.id = r.requester_unit_id
    JOIN units a ON a.company_id = ${ctx.companyId}::int AND a.id = r.service_area_id
    JOIN users q ON q.company_id = ${ctx.companyId}::int AND q.id = r.requester_id
    LEFT JOIN users w ON w.company_id = ${ctx.companyId}::int AND w.id = t.worker_id
    WHERE ${requestFilter(ctx)} AND ${inRange(sql`r.created_at`, b.from, b.to)} ${keyset}
    ORDER BY r.created_at, r.id
    LIMIT ${pageSize}`,
  );
}
