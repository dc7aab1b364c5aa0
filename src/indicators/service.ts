// Puts the dashboard together: the actor's scope, the filter options they may pick
// and every figure of the period (one statement, see dashboardFigures).
import type { Db } from '../db/client.js';
import type { Actor } from '../org/actor.js';
import { BACKLOG_STATES, type Sql } from './definitions.js';
import { backlogCurve, delta, ratio, type Delta } from './format.js';
import { indicatorScope, type IndicatorScope } from './policy.js';
import { daysOf, previousPeriod, type Period } from './period.js';
import { Prisma } from '../generated/prisma/client.js';
import {
  dashboardFigures,
  type BacklogRow,
  type DashboardFigures,
  type Bounds,
  type CohortRow,
  type OverdueRow,
  type QueryContext,
  type SlaRow,
  type Summary,
  type WorkerRow,
} from './queries.js';
import type { IndicatorFilters } from './schema.js';

const sql = Prisma.sql;

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
function filterOptionsSql(actor: Actor, scope: IndicatorScope): Sql {
  const companyId = actor.companyId;
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
    'serviceAreas', ${list(sql`'id', id, 'name', name`, sql`units WHERE company_id = ${companyId} AND kind = 'SERVICE_AREA' ${areaWhere}`)},
    'units', ${list(sql`'id', id, 'name', name`, sql`units WHERE company_id = ${companyId} ${unitWhere}`)},
    'categories', ${list(
      sql`'id', id, 'name', name, 'slaHours', sla_hours, 'serviceAreaId', service_area_id`,
      sql`categories WHERE company_id = ${companyId} AND service_area_id IN (${areaIds})`,
    )},
    'workers', ${list(sql`'id', id, 'name', name`, sql`users WHERE company_id = ${companyId} AND is_worker AND unit_id IN (${areaIds})`)})`;
}

export async function filterOptions(db: Db, actor: Actor, scope: IndicatorScope): Promise<FilterOptions> {
  const [row] = await db.$queryRaw<{ options: FilterOptions }[]>`SELECT ${filterOptionsSql(actor, scope)} AS options`;
  return row!.options;
}

export interface Headline {
  key: string;
  kind: 'count' | 'hours' | 'ratio';
  delta: Delta;
}

export interface Dashboard {
  period: Period;
  previous: Period;
  bounds: Bounds;
  summary: Summary;
  headlines: Headline[];
  backlog: BacklogRow[];
  openNow: number;
  days: { day: string; received: number; finalized: number; backlog: number }[];
  byUnit: CohortRow[];
  byCategory: CohortRow[];
  byWorker: WorkerRow[];
  sla: (SlaRow & { compliance: number | null })[];
  slaOverall: { current: number | null; previous: number | null };
  overdue: OverdueRow[];
  overdueTotal: number;
  /** Nothing happened in the period and nothing is open: show the empty state. */
  empty: boolean;
}

export function queryContext(actor: Actor, filters: IndicatorFilters, now: Date): QueryContext {
  return { companyId: actor.companyId, timezone: actor.timezone, scope: indicatorScope(actor), filters, now };
}

export async function loadDashboard(
  db: Db,
  ctx: QueryContext,
  categories: FilterOptions['categories'],
): Promise<Dashboard> {
  return assemble(ctx, await dashboardFigures(db, ctx), categories);
}

/** The whole page in one statement: the filter options the actor may pick and the dashboard. */
export async function loadIndicatorsPage(
  db: Db,
  actor: Actor,
  filters: IndicatorFilters,
  now: Date,
): Promise<{ options: FilterOptions; dashboard: Dashboard }> {
  const ctx = queryContext(actor, filters, now);
  const figures = await dashboardFigures<{ options: FilterOptions }>(db, ctx, {
    options: filterOptionsSql(actor, ctx.scope),
  });
  const options = figures.extra.options;
  return { options, dashboard: assemble(ctx, figures, options.categories) };
}

function assemble(ctx: QueryContext, figures: DashboardFigures, categories: FilterOptions['categories']): Dashboard {
  const period = ctx.filters.period;
  const {
    bounds,
    summary: sum,
    backlog,
    daily,
    byUnit: units,
    byCategory: cats,
    byWorker: workers,
    sla: slaRows,
    overdue,
  } = figures;
  const openNow = backlog.reduce((n, r) => n + r.count, 0);
  const dayList = daysOf(period);
  const curve = backlogCurve(dayList, openNow, daily.received, daily.closed);
  const days = dayList.map((day, i) => ({
    day,
    received: daily.received.get(day) ?? 0,
    finalized: daily.finalized.get(day) ?? 0,
    backlog: curve[i]!,
  }));

  // Every category in scope is listed with its target, even with no activity in the period.
  const slaBy = new Map(slaRows.map((r) => [r.id, r]));
  const sla = categories
    .filter((c) => !ctx.filters.categoryId || c.id === ctx.filters.categoryId)
    .filter((c) => !ctx.filters.serviceAreaId || c.serviceAreaId === ctx.filters.serviceAreaId)
    .map(
      (c) =>
        slaBy.get(c.id) ?? { id: c.id, name: c.name, slaHours: c.slaHours, finalized: 0, within: 0, overdueOpen: 0 },
    )
    .map((r) => ({ ...r, compliance: r.slaHours === null ? null : ratio(r.within, r.finalized) }));

  const cur = sum.current;
  const prev = sum.previous;
  const slaOverall = {
    current: ratio(cur.sla.within, cur.sla.withTarget),
    previous: ratio(prev.sla.within, prev.sla.withTarget),
  };
  const headlines: Headline[] = [
    ...Object.keys(cur.volumes).map((key): Headline => {
      const k = key as keyof typeof cur.volumes;
      return { key: `volumes.${k}`, kind: 'count', delta: delta(cur.volumes[k], prev.volumes[k]) };
    }),
    ...Object.keys(cur.stages).map((key): Headline => {
      const k = key as keyof typeof cur.stages;
      return { key: `stages.${k}`, kind: 'hours', delta: delta(cur.stages[k].median, prev.stages[k].median) };
    }),
    { key: 'sla.compliance', kind: 'ratio', delta: delta(slaOverall.current, slaOverall.previous) },
  ];
  const activity = Object.values(cur.volumes).reduce((a, b) => a + b, 0);
  return {
    period,
    previous: previousPeriod(period),
    bounds,
    summary: sum,
    headlines,
    backlog,
    openNow,
    days,
    byUnit: units,
    byCategory: cats,
    byWorker: workers,
    sla,
    slaOverall,
    overdue,
    overdueTotal: slaRows.reduce((n, r) => n + r.overdueOpen, 0),
    empty: activity === 0 && openNow === 0,
  };
}

export { BACKLOG_STATES };
