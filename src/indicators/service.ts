// Puts the dashboard together: the actor's scope, the filter options they may pick
// and every figure of the period (one statement, see dashboardFigures).
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { BACKLOG_STATES } from './definitions.js';
import { backlogCurve, delta, ratio, type Delta } from './format.js';
import { indicatorScope, type IndicatorScope } from './policy.js';
import { daysOf, previousPeriod, type Bounds, type Period } from './period.js';
import {
  dashboardFigures,
  filterOptionsSql,
  readFilterOptions,
  type BacklogRow,
  type DashboardFigures,
  type FilterOptions,
  type CohortRow,
  type OverdueRow,
  type QualityFigures,
  type QualityGroup,
  type QualityRow,
  type QueryContext,
  type SlaRow,
  type Summary,
  type WorkerRow,
} from './queries.js';
import type { IndicatorFilters } from './schema.js';

export type { FilterOptions };

/** What the actor may filter by: only units, areas, categories and workers within their scope. */
export function filterOptions(db: Db, actor: Actor, scope: IndicatorScope): Promise<FilterOptions> {
  return readFilterOptions(db, actor.companyId, scope);
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
  quality: Quality;
  /** Nothing happened in the period and nothing is open: show the empty state. */
  empty: boolean;
}

/** Figures of one group (or of the whole period) with their exact ratios: null where there is nothing to divide. */
export type QualityLine = QualityFigures & {
  /** Mean rating of the answered surveys (1–5). */
  average: number | null;
  /** Answered surveys over surveys. */
  responseRate: number | null;
  /** Reopened over finalized. */
  reopenRate: number | null;
};

export interface Quality {
  current: QualityLine;
  previous: QualityLine;
  /** The headline figures against the previous period ('score' is a 1–5 mean; a lower reopen rate is better). */
  headlines: { key: string; kind: 'score' | 'ratio' | 'ratioLower'; delta: Delta }[];
  groups: Record<QualityGroup, (QualityLine & { id: number; name: string })[]>;
}

export function qualityLine(f: QualityFigures): QualityLine {
  return {
    ...f,
    average: f.answered ? f.ratingSum / f.answered : null,
    responseRate: ratio(f.answered, f.surveys),
    reopenRate: ratio(f.reopened, f.finalized),
  };
}

function qualityOf(summary: { current: QualityFigures; previous: QualityFigures }, rows: QualityRow[]): Quality {
  const current = qualityLine(summary.current);
  const previous = qualityLine(summary.previous);
  const groups: Quality['groups'] = { worker: [], category: [], unit: [] };
  for (const r of rows) groups[r.kind].push({ ...qualityLine(r), id: r.id, name: r.name });
  return {
    current,
    previous,
    headlines: [
      { key: 'satisfaction.average', kind: 'score', delta: delta(current.average, previous.average) },
      { key: 'satisfaction.responseRate', kind: 'ratio', delta: delta(current.responseRate, previous.responseRate) },
      { key: 'reopen.rate', kind: 'ratioLower', delta: delta(current.reopenRate, previous.reopenRate) },
    ],
    groups,
  };
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
    options: filterOptionsSql(actor.companyId, ctx.scope),
  });
  const options = figures.extra.options;
  return { options, dashboard: assemble(ctx, figures, options.categories) };
}

/** Every category in scope with its target and compliance, even with no activity in the period. */
function slaByCategory(ctx: QueryContext, slaRows: SlaRow[], categories: FilterOptions['categories']) {
  const slaBy = new Map(slaRows.map((r) => [r.id, r]));
  return categories
    .filter((c) => !ctx.filters.categoryId || c.id === ctx.filters.categoryId)
    .filter((c) => !ctx.filters.serviceAreaId || c.serviceAreaId === ctx.filters.serviceAreaId)
    .map(
      (c) =>
        slaBy.get(c.id) ?? { id: c.id, name: c.name, slaHours: c.slaHours, finalized: 0, within: 0, overdueOpen: 0 },
    )
    .map((r) => ({ ...r, compliance: ratio(r.within, r.finalized) }));
}

/** The headline figures: each volume, each stage's median and SLA compliance, against the previous period. */
function headlinesOf(
  { current: cur, previous: prev }: Summary,
  slaOverall: { current: number | null; previous: number | null },
): Headline[] {
  return [
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
    qualitySummary,
    quality,
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

  const cur = sum.current;
  const prev = sum.previous;
  const slaOverall = {
    current: ratio(cur.sla.within, cur.sla.withTarget),
    previous: ratio(prev.sla.within, prev.sla.withTarget),
  };
  const sla = slaByCategory(ctx, slaRows, categories);
  const headlines = headlinesOf(sum, slaOverall);
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
    quality: qualityOf(qualitySummary, quality),
    empty: activity === 0 && openNow === 0,
  };
}

export { BACKLOG_STATES };
