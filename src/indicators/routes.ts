import { Router } from 'express';
import { actorOf, requireRole } from '../auth/index.js';
import type { Db } from '../db/client.js';
import type { NavSection } from '../web/navigation.js';
import { NotFoundError } from '../web/errors.js';
import { REQUESTS_EXPORT, TABLE_EXPORTS, isTableName, sendRequests, sendTable } from './csv.js';
import { intlLocale } from '../web/i18n.js';
import { HOW_KEYS } from './definitions.js';
import { formatDecimal, formatDuration, formatInteger, formatPercent, type Lang } from './format.js';
import { canSeeIndicators, indicatorScope } from './policy.js';
import { periodLength } from './period.js';
import { MAX_DAYS, filtersToQuery, parseFilters } from './schema.js';
import { loadIndicatorsPage, queryContext, type Dashboard } from './service.js';

/** Link to a request's page (the requests feature owns it). */
export const requestHref = (id: number) => `/solicitudes/${id}`;

export const indicatorsNav: NavSection = {
  visible: canSeeIndicators,
  item: () => ({ href: '/indicadores', labelKey: 'indicators.nav', icon: 'graph-up' }),
};

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar day ("2026-03-09") as shown in the interface, e.g. "9 mar 2026" (formatters built once). */
function formatDay(day: string, lang: Lang, withYear = true): string {
  const key = `${lang}|${withYear}`;
  let f = dayFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(lang), {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
    });
    dayFormats.set(key, f);
  }
  return f.format(new Date(`${day}T12:00:00Z`));
}

/** The series of the charts, for the JSON data block read by public/js/indicators.js. */
function chartData(d: Dashboard, lang: Lang, t: (k: string) => string): string {
  const data = {
    labels: d.days.map((x) => formatDay(x.day, lang, false)),
    received: d.days.map((x) => x.received),
    finalized: d.days.map((x) => x.finalized),
    backlog: d.days.map((x) => x.backlog),
    text: {
      received: t('indicators.daily.received'),
      finalized: t('indicators.daily.finalized'),
      backlog: t('indicators.daily.backlog'),
      satisfaction: t('satisfaction.indicators.satisfaction.average'),
    },
    // Mean rating per worker who finished (those with answers).
    satisfaction: d.quality.groups.worker
      .filter((w) => w.average !== null)
      .map((w) => ({ label: w.name, value: Math.round(w.average! * 100) / 100 })),
  };
  // Inside <script type="application/json"> nothing may close the element.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

export function indicatorRoutes(db: Db, clock: () => Date) {
  const router = Router();
  router.use('/indicadores', requireRole(canSeeIndicators));

  router.get('/indicadores', async (req, res) => {
    const actor = actorOf(req);
    const now = clock();
    const filters = parseFilters(req.query, now, actor.timezone);
    const { options, dashboard } = await loadIndicatorsPage(db, actor, filters, now);
    const lang = req.lang;
    res.render('indicators/index', {
      title: req.t('indicators.title'),
      actor,
      // Not `scope`: EJS reads a data key of that name as its (deprecated) option.
      companyWide: indicatorScope(actor).kind === 'company',
      filters,
      options,
      d: dashboard,
      query: filtersToQuery(filters),
      days: periodLength(filters.period),
      maxDays: MAX_DAYS,
      howKeys: HOW_KEYS,
      chartJson: chartData(dashboard, lang, req.t),
      requestHref,
      tableExports: Object.keys(TABLE_EXPORTS),
      fmt: {
        int: (n: number) => formatInteger(n, lang),
        dec: (n: number) => formatDecimal(n, lang),
        score: (n: number) => formatDecimal(n, lang, 2),
        pct: (r: number | null) => formatPercent(r, lang),
        dur: (h: number | null) => formatDuration(h, lang),
        day: (day: string) => formatDay(day, lang),
      },
    });
  });

  router.get('/indicadores/exportar/:table', async (req, res) => {
    const actor = actorOf(req);
    const name = String(req.params.table);
    const now = clock();
    const filters = parseFilters(req.query, now, actor.timezone);
    const ctx = queryContext(actor, filters, now);
    const filename = `indicadores-${name}-${filters.period.from}_${filters.period.to}.csv`;
    if (name === REQUESTS_EXPORT) {
      await sendRequests(res, db, ctx, req.t, req.lang, filename);
      return;
    }
    if (!isTableName(name)) throw new NotFoundError();
    const { dashboard } = await loadIndicatorsPage(db, actor, filters, now);
    await sendTable(res, filename, TABLE_EXPORTS[name](dashboard, req.t, req.lang), req.lang);
  });

  return router;
}
