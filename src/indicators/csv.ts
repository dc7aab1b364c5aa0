// CSV exports of every dashboard table and of the period's requests, written with
// csv-stringify and streamed to the response (UTF-8 with BOM so Excel reads accents).
// Every cell, the header's too, goes through safeCsvCell (no spreadsheet formula).
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import type { Db } from '../db/client.js';
import { STAGES, VOLUMES } from './definitions.js';
import { safeCsvCell, type CsvCell } from '../web/csv.js';
import { storedFieldValues, type FieldValue } from '../org/index.js';
import { formatNumber } from '../web/view-helpers.js';
import { csvDelimiter, csvNumber, ratio, type Lang } from './format.js';
import { periodBounds } from './period.js';
import { requestsPage, type QueryContext, type RequestExportRow } from './queries.js';
import type { Dashboard, QualityLine } from './service.js';

interface Table {
  header: string[];
  rows: CsvCell[][];
}

/** The tables of the dashboard, by their URL name. */
export const TABLE_EXPORTS = {
  volumenes: (d, t, lang) => ({
    header: [
      t('indicators.table.figure'),
      t('indicators.table.current'),
      t('indicators.table.previous'),
      t('indicators.table.change'),
    ],
    rows: VOLUMES.map((v) => {
      const cur = d.summary.current.volumes[v.key];
      const prev = d.summary.previous.volumes[v.key];
      return [t(`indicators.volumes.${v.key}`), cur, prev, csvNumber(cur - prev, lang)];
    }),
  }),
  tiempos: (d, t, lang) => ({
    header: [
      t('indicators.table.stage'),
      `${t('indicators.table.count')}`,
      `${t('indicators.table.median')} (h)`,
      `${t('indicators.table.p90')} (h)`,
      `${t('indicators.table.mean')} (h)`,
      `${t('indicators.table.previous')}: ${t('indicators.table.median')} (h)`,
    ],
    rows: STAGES.map((s) => {
      const c = d.summary.current.stages[s.key];
      const p = d.summary.previous.stages[s.key];
      return [
        t(`indicators.stages.${s.key}`),
        c.count,
        csvNumber(c.median, lang),
        csvNumber(c.p90, lang),
        csvNumber(c.mean, lang),
        csvNumber(p.median, lang),
      ];
    }),
  }),
  pendientes: (d, t, lang) => ({
    header: [
      t('indicators.backlog.state'),
      t('indicators.backlog.count'),
      `${t('indicators.backlog.medianAge')} (h)`,
      `${t('indicators.backlog.oldest')} (h)`,
    ],
    rows: d.backlog.map((b) => [
      t(`indicators.backlog.states.${b.state}`),
      b.count,
      csvNumber(b.medianAgeHours, lang),
      csvNumber(b.oldestAgeHours, lang),
    ]),
  }),
  'por-dia': (d, t) => ({
    header: [
      t('indicators.daily.day'),
      t('indicators.daily.received'),
      t('indicators.daily.finalized'),
      t('indicators.daily.backlog'),
    ],
    rows: d.days.map((x) => [x.day, x.received, x.finalized, x.backlog]),
  }),
  'por-unidad': (d, t, lang) => cohortTable(d.byUnit, t('indicators.byUnit.name'), t, lang),
  'por-categoria': (d, t, lang) => cohortTable(d.byCategory, t('indicators.byCategory.name'), t, lang),
  'por-trabajador': (d, t, lang) => ({
    header: [
      t('indicators.byWorker.name'),
      t('indicators.byWorker.finished'),
      `${t('indicators.byWorker.medianExecution')} (h)`,
      t('indicators.byWorker.openLoad'),
    ],
    rows: d.byWorker.map((w) => [w.name, w.finished, csvNumber(w.medianExecutionHours, lang), w.openLoad]),
  }),
  sla: (d, t, lang) => ({
    header: [
      t('indicators.byCategory.name'),
      `${t('indicators.sla.target')} (h)`,
      t('indicators.sla.finalized'),
      t('indicators.sla.within'),
      `${t('indicators.sla.compliance')} (%)`,
      t('indicators.sla.overdueOpen'),
    ],
    rows: d.sla.map((s) => [
      s.name,
      s.slaHours,
      s.finalized,
      s.within,
      csvNumber(s.compliance === null ? null : s.compliance * 100, lang),
      s.overdueOpen,
    ]),
  }),
  // The period's totals and its previous period, then each worker, category and unit (issue 17).
  satisfaccion: (d, t, lang) => {
    const pct = (r: number | null) => csvNumber(r === null ? null : r * 100, lang);
    const line = (group: string, name: string, q: QualityLine): CsvCell[] => [
      group,
      name,
      q.surveys,
      q.answered,
      pct(q.responseRate),
      csvNumber(q.average, lang),
      q.finalized,
      q.reopened,
      pct(q.reopenRate),
    ];
    const k = (key: string) => t(`satisfaction.indicators.${key}`);
    return {
      header: [
        k('cols.group'),
        k('cols.name'),
        k('cols.surveys'),
        k('cols.answered'),
        `${k('cols.responseRate')} (%)`,
        k('cols.averageLong'),
        k('cols.finalized'),
        k('cols.reopened'),
        `${k('cols.reopenRate')} (%)`,
      ],
      rows: [
        line(k('by.period'), t('indicators.table.current'), d.quality.current),
        line(k('by.period'), t('indicators.table.previous'), d.quality.previous),
        ...(['worker', 'category', 'unit'] as const).flatMap((kind) =>
          d.quality.groups[kind].map((g) => line(k(`by.${kind}`), g.name, g)),
        ),
      ],
    };
  },
  vencidas: (d, t, lang) => ({
    header: [
      t('indicators.overdue.request'),
      t('indicators.csv.title'),
      t('indicators.byCategory.name'),
      t('indicators.byUnit.name'),
      t('indicators.backlog.state'),
      t('indicators.overdue.due'),
      `${t('indicators.overdue.age')} (h)`,
    ],
    rows: d.overdue.map((o) => [
      formatNumber('SOL', o.number),
      o.title,
      o.category,
      o.unit,
      t(`indicators.backlog.states.${o.state}`),
      o.dueLocal,
      csvNumber(o.ageHours, lang),
    ]),
  }),
} satisfies Record<string, (d: Dashboard, t: TFunction, lang: Lang) => Table>;

export type TableName = keyof typeof TABLE_EXPORTS;
export const REQUESTS_EXPORT = 'solicitudes';
export const isTableName = (name: string): name is TableName => Object.hasOwn(TABLE_EXPORTS, name);

function cohortTable(rows: Dashboard['byUnit'], nameHeader: string, t: TFunction, lang: Lang): Table {
  return {
    header: [
      nameHeader,
      t('indicators.byUnit.requests'),
      t('indicators.byUnit.rejected'),
      `${t('indicators.byUnit.rejectionRate')} (%)`,
      `${t('indicators.byUnit.medianCycle')} (h)`,
    ],
    rows: rows.map((r) => {
      const rate = ratio(r.rejected, r.requests);
      return [
        r.name,
        r.requests,
        r.rejected,
        csvNumber(rate === null ? null : rate * 100, lang),
        csvNumber(r.medianCycleHours, lang),
      ];
    }),
  };
}

function startCsv(res: Response, filename: string, header: string[], lang: Lang) {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  const out = stringify({ bom: true, delimiter: csvDelimiter(lang), record_delimiter: 'windows' });
  const done = pipeline(out, res);
  // Awaited at the end; a client that goes away must not leave an unhandled rejection meanwhile.
  done.catch(() => {});
  out.write(header.map(safeCsvCell));
  return { out, done };
}

async function writeRow(out: ReturnType<typeof stringify>, row: CsvCell[]) {
  if (out.destroyed) throw new Error('CSV export aborted: the client went away');
  if (!out.write(row.map(safeCsvCell))) await once(out, 'drain');
}

export async function sendTable(res: Response, filename: string, table: Table, lang: Lang) {
  const { out, done } = startCsv(res, filename, table.header, lang);
  for (const row of table.rows) await writeRow(out, row);
  out.end();
  await done;
}

const PAGE = 2000;

/** The columns of the requests export, by their key under indicators.csv.* (the header). */
const REQUEST_COLUMNS = [
  'number',
  'title',
  'status',
  'priority',
  'unit',
  'serviceArea',
  'category',
  'requester',
  'worker',
  'submitted',
  'authorized',
  'approved',
  'rejected',
  'rejectionStage',
  'cancelled',
  'started',
  'finished',
  'finalized',
  'cycleHours',
  'slaHours',
  'withinTarget',
  'fields',
] as const;

/** One request as the cells of REQUEST_COLUMNS. */
function requestCells(r: RequestExportRow, t: TFunction, lang: Lang): CsvCell[] {
  return [
    formatNumber('SOL', r.number),
    r.title,
    t(`indicators.status.${r.status}`),
    t(`indicators.priority.${r.priority}`),
    r.unit,
    r.serviceArea,
    r.category,
    r.requester,
    r.worker,
    r.submitted,
    r.authorized,
    r.approved,
    r.rejected,
    r.rejectionStage ? t(`indicators.rejectionStage.${r.rejectionStage}`) : null,
    r.cancelled,
    r.started,
    r.finished,
    r.finalized,
    csvNumber(r.cycleHours, lang),
    r.slaHours,
    r.withinTarget === null ? null : t(r.withinTarget ? 'indicators.csv.yes' : 'indicators.csv.no'),
    fieldsCell(r.fieldValues, t),
  ];
}

/** The answers to the category's fields in one cell: "Label: value; Label: value". */
function fieldsCell(values: unknown, t: TFunction): string | null {
  const answers = storedFieldValues(values);
  if (!answers.length) return null;
  const shown = (v: FieldValue['value']) =>
    typeof v === 'boolean' ? t(v ? 'indicators.csv.yes' : 'indicators.csv.no') : String(v);
  return answers.map((a) => `${a.label}: ${shown(a.value)}`).join('; ');
}

/** Every request received in the period, one row each with every date of its lifecycle, page by page. */
export async function sendRequests(
  res: Response,
  db: Db,
  ctx: QueryContext,
  t: TFunction,
  lang: Lang,
  filename: string,
) {
  const bounds = periodBounds(ctx.timezone, ctx.filters.period);
  const header = REQUEST_COLUMNS.map((key) => t(`indicators.csv.${key}`));
  const { out, done } = startCsv(res, filename, header, lang);
  let after: { createdAt: Date; id: number } | null = null;
  for (;;) {
    const page = await requestsPage(db, ctx, bounds, after, PAGE);
    for (const r of page) await writeRow(out, requestCells(r, t, lang));
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  out.end();
  await done;
}
