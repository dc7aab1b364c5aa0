// Hostile input at every route, as every role. Generated values — NUL and other control characters, tsquery-ish
// punctuation (ʼ becomes ' once folded), very long strings, impossible dates, out-of-range and foreign ids, arrays
// where a string is expected, malformed multipart bodies — never make a 5xx or a slow answer, and never change a row
// of another company. Routes come from the app's own router, so a new route is covered the day it is added.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchSql, searchWords } from '../../src/conversation/search.js';
import { rows } from '../../src/db/sql.js';
import { TABLE_EXPORTS } from '../../src/indicators/csv.js';
import { ACTIONS } from '../../src/requests/lifecycle.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeCompany, makeOrg, makeUnit, makeUser } from '../support/factories.js';
import { pdf, png } from '../support/files.js';
import { signIn } from '../support/http.js';
import { act, submitThroughForm } from '../support/requests.js';

/** No answer may take longer (a hang counts as a failure, not as a stuck test). */
const TIME_BOUND_MS = 5_000;
/** Generated inputs per route and role: ~80 routes × 7 roles keep the whole file near a minute. */
const RUNS = 2;

let db: TestDatabase & { drop(): Promise<void> };
let app: Express;

/** Text that has broken, or could break, a statement or a parser. */
const NASTY = [
  '\u0000',
  'a\u0000b',
  '\u0001\u0008\u001b\u007f\u0085',
  'ʼ',
  'ʼʼ ʼaʼ',
  "'",
  ':*',
  '&|!()<>',
  '\\',
  "donʼt:* & |!(x) <-> 'y'\\",
  '%',
  '_',
  '%_\\',
  '2026-02-30',
  '9999-12-31',
  '0000-00-00',
  '2026-13-45',
  '1900-01-01',
  '-1',
  '0',
  '2147483648',
  '99999999999999999999',
  '1e309',
  'NaN',
  '1.5',
  ' ',
  '',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\uFEFF',
  '\uD800',
  'ﬁ½⁰¹²Ǆ',
  '\u202E',
];
const PUNCTUATION = [...'ʼ\'":*&|!()<>\\%_ -\u0000\u0001\u02b9\u2019'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...PUNCTUATION, 'a', 'é', '1'), maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 20_000, 100_000).map((n) => 'ʼa'.repeat(n / 2)) },
  { weight: 1, arbitrary: fc.constantFrom(100, 200).map((n) => 'ʼa'.repeat(n / 2)) },
);
/** A value of a form field: text, or several where one is expected. */
const value = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }) },
);
/** In a URL, long text only makes a 431 (or a cut connection) before the app sees it. */
const shortText = text.filter((s) => s.length <= 200);
const queryValue = fc.oneof(
  { weight: 4, arbitrary: shortText },
  { weight: 1, arbitrary: fc.array(shortText, { minLength: 2, maxLength: 3 }) },
);
/** Ids and names in a path: out of int4, negative, not numbers, encoded NUL… */
const hostileSegment = fc.oneof(
  fc.constantFrom('0', '-1', '2147483648', '99999999999999999999', 'abc', '1e3', '1.5', ' 1', 'ʼ', '\u0000', '%'),
  fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => s.length > 0),
);

/** Bodies a multipart parser can't read: no boundary, truncated, garbage, a broken part header. */
const malformedMultipart = fc.constantFrom(
  { type: 'multipart/form-data', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n' },
  {
    type: 'multipart/form-data; boundary=x',
    body: '--x\r\nContent-Disposition: form-data; name="archivos"; filename="a.pdf"\r\n\r\n%PDF-1.4 trunc',
  },
  { type: 'multipart/form-data; boundary=x', body: 'garbage without any boundary' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nbroken header\r\n\r\nvalue\r\n--x--\r\n' },
  {
    type: 'multipart/form-data; boundary=x',
    body: '--x\r\nContent-Disposition: form-data; name="a\u0000"\r\n\r\nb\r\n--x--',
  },
  { type: 'multipart/form-data; boundary="', body: '--"\r\n' },
);

interface Route {
  method: 'get' | 'post';
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every GET and POST route of the app, from its router stack. */
function routesOf(app: Express): Route[] {
  const found = new Map<string, Route>();
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === 'get' || method === 'post')
            found.set(`${method} ${layer.route.path}`, { method, ...layer.route });
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  // Signing out ends the agent's session: last.
  return [...found.values()]
    .map(({ method, path }) => ({ method, path }))
    .sort((x, y) => Number(x.path === '/logout') - Number(y.path === '/logout'));
}

const patternOf = (route: Route) => new RegExp(`^${route.path.replace(/:[a-zA-Z]+/g, '[^/]+')}/?$`);

type Role = 'anonymous' | 'employee' | 'unitHead' | 'servicesHead' | 'worker' | 'companyAdmin' | 'platformOperator';
const ROLES: Role[] = [
  'anonymous',
  'employee',
  'unitHead',
  'servicesHead',
  'worker',
  'companyAdmin',
  'platformOperator',
];

interface Ids {
  request: number;
  attachment: number;
  unit: number;
  person: number;
  category: number;
  company: number;
}

let own: Ids;
let other: Ids;
let operatorCompany: number;
let otherCompanyId: number;
const agents = new Map<Role, { agent: request.Agent; csrf: string }>();

/** The own and the other company's record a path's `:id` names. */
function idsFor(route: Route): [number, number] {
  const pick = (k: keyof Ids): [number, number] => [own[k], other[k]];
  if (route.path.startsWith('/adjuntos')) return pick('attachment');
  if (route.path.startsWith('/admin/unidades')) return pick('unit');
  if (route.path.startsWith('/admin/personas')) return pick('person');
  if (route.path.startsWith('/admin/categorias')) return pick('category');
  // The operator may suspend other companies: only their own company (refused) and hostile ids.
  if (route.path.startsWith('/plataforma')) return [operatorCompany, operatorCompany];
  return pick('request');
}

/** Valid values of a param, for the pages read to learn the forms. */
function knownParam(route: Route, name: string): string[] {
  if (name === 'action') return [...ACTIONS];
  if (name === 'table') return Object.keys(TABLE_EXPORTS);
  if (name === 'id') return [String(idsFor(route)[0])];
  return ['x'];
}

function paramArb(route: Route, name: string): fc.Arbitrary<string> {
  const [mine, theirs] = idsFor(route);
  const known = name === 'id' ? [String(mine), String(theirs)] : knownParam(route, name);
  return fc.oneof(fc.constantFrom(...known), hostileSegment);
}

function urlOf(route: Route, params: Record<string, string>, query: [string, string][] = []): string {
  const p = route.path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? 'x'));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${p}?${qs}` : p;
}

/** Form fields learnt from the app's own pages: the action they post to, their names and first valid values. */
const forms: { action: string; fields: Map<string, string> }[] = [];
const queryNames = new Set(['q', 'page', 'pagina', 'tab', 'estado', 'desde', 'hasta', 'from', 'to']);

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** A value an empty input would accept, so that one hostile field at a time reaches the app's deeper checks. */
function validDefault(attrs: string): string {
  const type = /type="([^"]+)"/.exec(attrs)?.[1] ?? 'text';
  if (type === 'email') return `hostil-${forms.length}@prueba.test`;
  if (type === 'password') return 'clave-Segura-de-prueba-2026';
  if (type === 'number') return '24';
  if (type === 'date') return '2026-01-15';
  if (type === 'tel' || type === 'file' || type === 'hidden') return '';
  return 'Texto de prueba';
}

function learnForms(html: string) {
  for (const [, attrs, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const method = /method="([^"]+)"/i.exec(attrs!)?.[1]?.toLowerCase() ?? 'get';
    const action = decode(/action="([^"]*)"/.exec(attrs!)?.[1] ?? '');
    const fields = new Map<string, string>();
    const add = (tagAttrs: string, v: string) => {
      const name = /name="([^"]+)"/.exec(tagAttrs)?.[1];
      if (name && name !== '_csrf' && !fields.get(decode(name))) fields.set(decode(name), decode(v));
    };
    for (const [, attrs, options] of inner!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      add(attrs!, /<option\b[^>]*value="([^"]+)"/.exec(options!)?.[1] ?? '');
    }
    for (const [, attrs, content] of inner!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      add(attrs!, content!.trim() || 'Texto de prueba suficientemente largo');
    }
    for (const [, attrs] of inner!.matchAll(/<input\b([^>]*)>/g)) {
      if (/type="(?:checkbox|radio)"/.test(attrs!) && !/\bchecked\b/.test(attrs!)) continue;
      add(attrs!, /value="([^"]*)"/.exec(attrs!)?.[1] || validDefault(attrs!));
    }
    if (method === 'get') for (const name of fields.keys()) queryNames.add(name);
    else forms.push({ action: action.split('?')[0]!, fields });
  }
  for (const [, qs] of html.matchAll(/href="[^"?]*\?([^"#]+)"/g)) {
    for (const name of new URLSearchParams(decode(qs!)).keys()) queryNames.add(name);
  }
}

/** The valid fields of the forms that post to this route (all the forms' fields when none does). */
function baselineOf(route: Route): Map<string, string> {
  const pattern = patternOf(route);
  const matching = forms.filter((f) => pattern.test(f.action));
  const merged = new Map<string, string>();
  for (const f of matching.length ? matching : forms)
    for (const [k, v] of f.fields) if (!merged.has(k)) merged.set(k, v);
  return merged;
}

const MULTIPART_PATHS = ['/solicitudes', '/solicitudes/:id/comentarios', '/solicitudes/:id/editar'];
const isMultipartRoute = (route: Route) => route.method === 'post' && MULTIPART_PATHS.includes(route.path);

interface Input {
  params: Record<string, string>;
  query: [string, string][];
  body: [string, string][];
  fileName: string | null;
  malformed: { type: string; body: string } | null;
}

function pairs(entries: [string, string | string[]][]): [string, string][] {
  return entries.flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]));
}

function inputArb(route: Route): fc.Arbitrary<Input> {
  const names = [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]!);
  const params = fc.record(Object.fromEntries(names.map((n) => [n, paramArb(route, n)])));
  const queryEntries = fc.uniqueArray(fc.tuple(fc.constantFrom(...queryNames), queryValue), {
    maxLength: 8,
    selector: (t) => t[0],
  });
  if (route.method === 'get') {
    return fc.record({ params, query: queryEntries.map(pairs) }).map((r) => ({
      ...r,
      body: [],
      fileName: null,
      malformed: null,
    }));
  }
  const baseline = baselineOf(route);
  const fieldNames = [...new Set([...baseline.keys(), 'name', 'email', 'title', 'body'])];
  const overrides = fc.uniqueArray(fc.tuple(fc.constantFrom(...fieldNames), value), {
    minLength: 1,
    maxLength: 4,
    selector: (t) => t[0],
  });
  return fc
    .record({
      params,
      query: queryEntries.map(pairs),
      overrides,
      fileName: isMultipartRoute(route) ? fc.option(text, { freq: 2 }) : fc.constant(null),
      malformed: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: malformedMultipart }),
    })
    .map(({ overrides: o, ...r }) => {
      const changed = new Map<string, string | string[]>(baseline);
      for (const [k, v] of o) changed.set(k, v);
      return { ...r, body: pairs([...changed]) };
    });
}

async function send(role: Role, route: Route, input: Input): Promise<{ status: number; ms: number }> {
  const { agent, csrf } = agents.get(role)!;
  const url = urlOf(route, input.params, input.query);
  const started = Date.now();
  let req = route.method === 'get' ? agent.get(url) : agent.post(url);
  req = req.timeout(TIME_BOUND_MS);
  if (route.method === 'post') {
    if (input.malformed) {
      req = req.set('Content-Type', input.malformed.type).send(input.malformed.body);
    } else if (isMultipartRoute(route)) {
      req = req.field('_csrf', csrf);
      for (const [k, v] of input.body) req = req.field(k, v);
      if (input.fileName !== null) req = req.attach('archivos', pdf(), input.fileName || 'x');
    } else {
      const body = new URLSearchParams([['_csrf', csrf], ...input.body]).toString();
      req = req.type('form').send(body);
    }
  }
  try {
    const res = await req;
    return { status: res.status, ms: Date.now() - started };
  } catch (err) {
    const timedOut = (err as { timeout?: unknown }).timeout !== undefined;
    // A connection cut by the server is a failure like a 5xx; a timeout is the hang this test is about.
    return { status: timedOut ? 599 : 598, ms: Date.now() - started };
  }
}

/** A fingerprint of every row of a company, in every table that has a company_id. */
async function fingerprint(companyId: number): Promise<string> {
  const tables = await db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'company_id' ORDER BY table_name`,
  );
  const parts = [
    (await db.pool.query(`SELECT md5(c::text) AS h FROM companies c WHERE id = $1`, [companyId])).rows[0].h as string,
  ];
  for (const { table_name } of tables.rows) {
    const res = await db.pool.query(
      `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h
         FROM "${table_name}" t WHERE company_id = $1`,
      [companyId],
    );
    parts.push(`${table_name}:${res.rows[0].n}:${res.rows[0].h}`);
  }
  return parts.join('\n');
}

const show = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'string' && x.length > 80 ? `${x.slice(0, 40)}…(${x.length})` : x,
  );

beforeAll(async () => {
  db = await createTestDatabase();
  const [a, b] = [await makeOrg(db.prisma), await makeOrg(db.prisma)];
  otherCompanyId = b.companyId;
  const operatorHome = await makeCompany(db.prisma);
  operatorCompany = operatorHome.id;
  const operator = await makeUser(db.prisma, operatorHome.id, { isCompanyAdmin: true });
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'solicitudes-hostile-'));
  app = buildApp(db, { UPLOAD_DIR: uploadDir, PLATFORM_OPERATOR_EMAILS: operator.email });

  async function records(org: typeof a): Promise<Ids> {
    const employee = await signIn(app, org.employee.email);
    const request = await submitThroughForm(employee, org, {}, [{ name: 'foto.png', data: png(8, 8) }]);
    await act(await signIn(app, org.head.email), request, 'authorize');
    const attachment = await db.prisma.attachment.findFirstOrThrow({ where: { requestId: request } });
    // Records an admin may edit or deactivate without ending the sessions of the test's own people.
    const unit = await makeUnit(db.prisma, org.companyId);
    const person = await makeUser(db.prisma, org.companyId, { unitId: unit.id });
    const category = await db.prisma.category.create({
      data: { companyId: org.companyId, serviceAreaId: org.area.id, name: `Extra ${unit.id}`, resolutionHours: 24 },
    });
    return {
      request,
      attachment: attachment.id,
      unit: unit.id,
      person: person.id,
      category: category.id,
      company: org.companyId,
    };
  }
  [own, other] = [await records(a), await records(b)];

  const users: Record<Exclude<Role, 'anonymous'>, string> = {
    employee: a.employee.email,
    unitHead: a.head.email,
    servicesHead: a.servicesHead.email,
    worker: a.worker.email,
    companyAdmin: a.admin.email,
    platformOperator: operator.email,
  };
  const anonymous = request.agent(app);
  const loginPage = await anonymous.get('/login');
  agents.set('anonymous', { agent: anonymous, csrf: /name="_csrf" value="([^"]+)"/.exec(loginPage.text)![1]! });
  for (const [role, email] of Object.entries(users)) {
    const agent = await signIn(app, email);
    const page = await agent.get('/cuenta');
    agents.set(role as Role, { agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1]! });
  }

  // The forms and filters of every page each role can see, with their valid values.
  for (const route of routesOf(app).filter((r) => r.method === 'get' && r.path !== '/logout')) {
    const names = [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]!);
    for (const role of ROLES) {
      for (const combo of names.length ? knownParam(route, names.at(-1)!).slice(0, 2) : ['']) {
        const params = Object.fromEntries(names.map((n) => [n, n === names.at(-1) ? combo : knownParam(route, n)[0]!]));
        const res = await agents.get(role)!.agent.get(urlOf(route, params));
        if (res.type === 'text/html') learnForms(res.text);
      }
    }
  }
}, 120_000);
afterAll(() => db.drop());

/** Values that have broken filters: every query parameter gets each of them once (in turn, so none masks another). */
const FILTER_KILLERS = ['2147483648', '-1', '2026-02-30', '9999-12-31', "ʼ'ʼ:*&|!()<>\\%_"];
/** Searches that become tsquery syntax once folded (ʼ → '), alone in the query: a search takes its own path. */
const SEARCH_KILLERS = ['aʼ', "ʼ'ʼ:*&|!()<>\\%_ ʼ"];
/** The roles that see the most filters (other roles' inboxes and trays are subsets of theirs). */
const SWEEP_ROLES: Role[] = ['companyAdmin', 'servicesHead'];

// Before the random test, which ends by signing every role out.
describe('filters', () => {
  it('never make a 5xx with every query parameter out of range, impossible or full of operators', async () => {
    const failures: string[] = [];
    // A search or a tab takes another path through the statements than the filters: they have turns of their own.
    const names = [...queryNames].filter((n) => n !== 'q' && n !== 'tab');
    for (const route of routesOf(app).filter((r) => r.method === 'get')) {
      const params = Object.fromEntries(
        [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => [m[1]!, knownParam(route, m[1]!)[0]!]),
      );
      for (const role of SWEEP_ROLES) {
        const turns = [
          ...FILTER_KILLERS.map((_, turn) =>
            names.map((n, i): [string, string] => [n, FILTER_KILLERS[(i + turn) % FILTER_KILLERS.length]!]),
          ),
          ...SEARCH_KILLERS.map((q): [string, string][] => [['q', q]]),
        ];
        for (const query of turns) {
          const input: Input = { params, query, body: [], fileName: null, malformed: null };
          const { status, ms } = await send(role, route, input);
          if (status >= 500 || ms > TIME_BOUND_MS) {
            failures.push(`${role} GET ${urlOf(route, params)} → ${status} in ${ms} ms: ${show(query)}`);
          }
        }
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);
});

describe('hostile input', () => {
  it('never makes a 5xx or a slow answer on any route, as any role, nor changes another company’s rows', async () => {
    const failures: string[] = [];
    const routes = routesOf(app);

    expect(routes.length).toBeGreaterThan(50);
    let before = await fingerprint(otherCompanyId);
    for (const route of routes) {
      for (const role of ROLES) {
        let failed: string | undefined;
        await fc
          .assert(
            fc.asyncProperty(inputArb(route), async (input) => {
              const { status, ms } = await send(role, route, input);
              if (status >= 500 || ms > TIME_BOUND_MS) {
                const where = `${role} ${route.method.toUpperCase()} ${route.path}`;
                failed ??= `${where} → ${status} in ${ms} ms: ${show(input)}`;
                return false;
              }
              return true;
            }),
            { numRuns: RUNS, endOnFailure: true },
          )
          .catch(() => failures.push(failed ?? `${role} ${route.method} ${route.path}: property failed`));
      }
      const after = await fingerprint(otherCompanyId);
      if (after !== before) failures.push(`${route.method.toUpperCase()} ${route.path} changed another company’s rows`);
      before = after;
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 300_000);
});

describe('search text', () => {
  it('always becomes a query PostgreSQL runs, whatever its characters (before or after folding)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, fc.string({ unit: 'grapheme', maxLength: 40 })), async (s) => {
        // Run with no common word (the index path), then with every word common (the walk of the newest requests).
        const run = async (words: string) => {
          await rows(db.prisma, searchSql(own.company, 'all', {}, words, []));
          const folded = await db.pool.query<{ lexemes: string[] }>(
            `SELECT tsvector_to_array(to_tsvector('pg_catalog.spanish', search_unaccent($1))) AS lexemes`,
            [words],
          );
          await rows(db.prisma, searchSql(own.company, 'all', {}, words, folded.rows[0]!.lexemes));
        };
        const words = searchWords(s);
        if (words) await run(words);
        // The SQL alone holds too, even on text that skipped the first cut (NUL aside: the input guard refuses it).
        await run(s.replaceAll('\u0000', ''));
      }),
      { numRuns: 300 },
    );
  });
});
