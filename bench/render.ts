// npm run bench:render [-- --before] [--pages 3000]
// What rendering costs, without HTTP or a database: an inbox page of 20 requests and the organisation chart of 300
// units, rendered from memory with the app's view options, helpers and texts, CPU ms per page. On a shared machine
// this is steadier than req/s under load. `--before` renders them as before the sixth stop: every template given the
// names of all templates, EJS's escaping, i18next asked for every text with options, no kept date texts (the
// templates themselves are today's: the chart's single loop of the seventh stop was measured against the nested
// includes by rendering both commits in turn, docs/benchmark.md).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ejs from 'ejs';
import { buildTree, chartRows } from '../src/org/tree.js';
import { projectRoot } from '../src/paths.js';
import { intlLocale, translator } from '../src/web/i18n.js';
import { fragmentRenderer } from '../src/web/fragments.js';
import { fastViewOptions, templateLocals } from '../src/web/template-locals.js';
import { escapeHtml, viewHelpers } from '../src/web/view-helpers.js';

const { values: args } = parseArgs({
  options: { before: { type: 'boolean', default: false }, pages: { type: 'string', default: '3000' } },
});
const views = path.join(projectRoot, 'views');
const pages = Number(args.pages);

function allNames(dir: string): string[] {
  const files = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(path.join(d, e.name)) : e.name.endsWith('.ejs') ? [path.join(d, e.name)] : [],
    );
  return [...new Set(files(dir).flatMap((f) => templateLocals(readFileSync(f, 'utf8'))))].sort();
}

/** The view options of the app (app.ts), or those before the sixth stop. */
function makeViewOptions() {
  const common = { rmWhitespace: true, root: views, cache: true };
  if (!args.before) return { ...common, escape: escapeHtml, ...fastViewOptions() };
  const load = ejs.fileLoader;
  ejs.fileLoader = (file: string) => `<% { %>${load(file).toString()}<% } %>`;
  return { ...common, _with: false, destructuredLocals: allNames(views) };
}

// The app's options, spelled out: viewOptions() would install the app's template loader, which --before replaces.
const fragmentOptions = { root: views, rmWhitespace: true, escape: escapeHtml, _with: false } as const;
const fragment = fragmentRenderer({ viewOptions: fragmentOptions, cache: true, helpers: viewHelpers });

// One formatter per zone and language, as before; only the texts were not kept. Made once: a formatter made for
// every page cost more than the page's rendering measured here (until the eighth stop it was made per page).
const format = new Intl.DateTimeFormat(intlLocale('es'), {
  timeZone: 'America/Bogota',
  dateStyle: 'medium',
  timeStyle: 'short',
});
const uncachedDate = (date: Date | null) => (date ? format.format(date) : '—');

/** What every page's locals hold besides its own data (app.locals and a signed-in person's res.locals). */
function pageLocals(currentPath: string) {
  const before = args.before ? { t: slowT(), formatDateTime: uncachedDate } : { t: translator('es') };
  return {
    ...viewHelpers,
    fragment,
    settings: {},
    lang: 'es',
    currentPath,
    currentUser: { id: 1, name: 'Ana Gómez', timezone: 'America/Bogota', actingFor: {}, isCompanyAdmin: true },
    nav: [],
    flash: [],
    csrfToken: () => 'x'.repeat(88),
    formKeys: () => `<input type="hidden" name="_csrf" value="${'x'.repeat(88)}">`,
    ...before,
  };
}

/** i18next's own t of the language for texts with options, as before the memo (src/web/i18n.ts). */
function slowT() {
  const memo = translator('es');
  let i = 0;
  // A fresh count or name each time defeats the memo, as i18next alone would answer.
  return (key: string, options?: Record<string, unknown>) =>
    options === undefined ? memo(key) : (memo as (k: string, o: unknown) => string)(key, { ...options, _n: i++ });
}

function inboxData() {
  const now = Date.now();
  const items = Array.from({ length: 20 }, (_, i) => ({
    id: 100_000 + i,
    number: 5_000 + i,
    title: `Solicitud de prueba número ${i} con un título realista`,
    status: i % 3 === 0 ? 'PENDING' : 'AUTHORIZED',
    priority: 'MEDIUM',
    createdAt: new Date(now - i * 3_600_000),
    authorizerUnitId: 1,
    serviceAreaId: 2,
    requester: { name: `Persona ${i}` },
    requesterUnit: { name: 'Unidad de producción' },
    category: { name: 'Mantenimiento eléctrico' },
    ticket: null,
    due: { state: 'ok', at: new Date(now + i * 3_600_000) },
  }));
  const tabs = ['todas', 'pendientes', 'autorizadas', 'en-atencion', 'finalizadas', 'rechazadas', 'canceladas'].map(
    (key, i) => ({ key, statuses: null, count: 100 - i }),
  );
  return {
    title: 'Autorizaciones',
    view: { kind: 'unit', path: '/autorizaciones', filters: false, emptyKey: 'requests.empty', quickActions: true },
    result: {
      items,
      tabs,
      tab: tabs[1],
      page: { page: 1, pages: 5, total: 100, skip: 0, take: 20 },
      searchCapped: null,
    },
    filters: { q: '' },
    units: [],
    categories: [],
    link: () => '/autorizaciones?tab=pendientes',
  };
}

function chartData() {
  const units = Array.from({ length: 300 }, (_, i) => ({
    id: i + 1,
    name: `Unidad ${(i * 7919) % 300}`,
    kind: i < 4 ? 'SERVICE_AREA' : 'REGULAR',
    parentId: i < 34 ? null : 5 + (i % 29),
    head: { name: `Jefe ${i}` },
    _count: { members: i % 12 },
  }));
  return { title: 'Organigrama', rows: chartRows(buildTree(units)) };
}

const viewOptions = makeViewOptions();

async function measure(name: string, file: string, data: () => Record<string, unknown>, currentPath: string) {
  const opts = { ...viewOptions, filename: path.join(views, file) };
  const render = () =>
    new Promise<string>((resolve, reject) =>
      ejs.renderFile(opts.filename, { ...pageLocals(currentPath), ...data() }, opts as ejs.Options, (err, html) =>
        err ? reject(err) : resolve(html),
      ),
    );
  for (let i = 0; i < 50; i++) await render();
  const start = process.cpuUsage();
  let size = 0;
  for (let i = 0; i < pages; i++) size = (await render()).length;
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000 / pages;
  console.log(`${name}: ${ms.toFixed(3)} ms of CPU per page (${Math.round(size / 1024)} KB)`);
}

console.log(args.before ? 'As before the sixth stop:' : 'As the app renders now:');
await measure('inbox (20 requests)', 'requests/inbox.ejs', inboxData, '/autorizaciones');
await measure('organisation chart (300 units)', 'admin/org-chart.ejs', chartData, '/admin/organigrama');
