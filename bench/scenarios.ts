// The benchmark scenarios: what each one requests, with which sessions, and its budget.
import { createHash, randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import type pg from 'pg';
import type { Session } from './sessions.js';

type Person = Session & { email: string; companyId: number };

export interface ScenarioContext {
  base: string;
  db: pg.Client;
  sessions: Record<string, Person[]>;
  anonymous: Session[];
  password: string;
  duration: number;
  warmup: number;
  /** Filled by prepare(): data a scenario needs (ids to visit, pending requests…). */
  data?: Record<string, unknown>;
}

interface Result {
  name: string;
  connections: number;
  rps: number;
  p99_ms: number;
  errors: number;
  non2xx: number;
  rss_mb: number;
  committed?: number;
  answered_ok?: number;
}
interface Verdict {
  ok: boolean;
  text: string;
}

export interface Scenario {
  name: string;
  connections?: number;
  /** Write scenarios consume data: no warm-up. */
  noWarmup?: boolean;
  /** 302 for form posts answered with redirect-after-post. */
  successStatus?: 200 | 302;
  prepare?(ctx: ScenarioContext): Promise<void>;
  /** Undoes what the scenario wrote, after counting it. */
  cleanup?(ctx: ScenarioContext): Promise<void>;
  /** A fixed number of requests instead of a duration. */
  amount?(ctx: ScenarioContext): number;
  requests(ctx: ScenarioContext): Partial<autocannon.Options>;
  /** Rows really committed (counted in the database before and after the run). */
  count?(ctx: ScenarioContext): Promise<number>;
  budget(r: Result, baseline?: Result): Verdict[];
}

type Ctx = Record<string, unknown> & { s?: Person };

/** Each connection keeps one signed-in session; `path` picks the URL of each request. */
function perSession(people: Person[], path: (p: Person) => string): Partial<autocannon.Options> {
  let next = 0;
  return {
    requests: [
      {
        method: 'GET',
        setupRequest: (req: autocannon.Request, context: Ctx) => {
          context.s ??= people[next++ % people.length]!;
          return { ...req, path: path(context.s), headers: { ...req.headers, cookie: context.s.cookie } };
        },
      } as autocannon.Request,
    ],
  };
}

const rss = (r: Result): Verdict => ({ ok: r.rss_mb <= 250, text: `RSS ${r.rss_mb} MB ≤ 250 MB` });

function readBudget(r: Result, baseline?: Result): Verdict[] {
  const share = baseline ? r.rps / baseline.rps : 0;
  return [
    { ok: r.p99_ms <= 50, text: `p99 ${r.p99_ms} ms ≤ 50 ms` },
    { ok: share >= 0.35, text: `throughput ${(share * 100).toFixed(0)} % of baseline ≥ 35 %` },
    { ok: r.errors === 0 && r.non2xx === 0, text: `${r.errors} errors, ${r.non2xx} non-2xx` },
    rss(r),
  ];
}

function writeBudget(r: Result): Verdict[] {
  return [
    { ok: r.rps >= 500, text: `${r.rps} req/s ≥ 500` },
    { ok: r.p99_ms <= 100, text: `p99 ${r.p99_ms} ms ≤ 100 ms` },
    // Requests still in flight when the clock stops commit without being counted as answered.
    {
      ok:
        r.committed !== undefined &&
        r.answered_ok !== undefined &&
        r.committed >= r.answered_ok &&
        r.committed - r.answered_ok <= r.connections &&
        r.errors === 0 &&
        r.non2xx === 0,
      text:
        `${r.committed} committed for ${r.answered_ok} answered (+ at most ${r.connections} in flight), ` +
        `${r.errors} errors, ${r.non2xx} failed`,
    },
    rss(r),
  ];
}

const rand = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

export const scenarios: Scenario[] = [
  {
    name: 'baseline',
    requests: () => ({ requests: [{ method: 'GET', path: '/__bench/baseline' }] }),
    budget: (r) => [rss(r)],
  },
  {
    // Not in the budget: the baseline page behind every middleware of a signed-in page,
    // i.e. what any page costs before its own queries and template.
    name: 'signed-in-baseline',
    requests: (ctx) => perSession(ctx.sessions.unitHead!, () => '/__bench/signed-in-baseline'),
    budget: (r, baseline) => [
      {
        ok: true,
        text: `${baseline ? Math.round((r.rps / baseline.rps) * 100) : 0} % of baseline (for reference, no budget)`,
      },
      { ok: r.errors === 0 && r.non2xx === 0, text: `${r.errors} errors, ${r.non2xx} non-2xx` },
      rss(r),
    ],
  },
  {
    name: 'inbox-unit-head',
    requests: (ctx) => perSession(ctx.sessions.unitHead!, () => '/autorizaciones'),
    budget: readBudget,
  },
  {
    name: 'inbox-services',
    requests: (ctx) => perSession(ctx.sessions.services!, () => '/bandeja'),
    budget: readBudget,
  },
  {
    name: 'my-tickets',
    requests: (ctx) => perSession(ctx.sessions.worker!, () => '/mis-tickets'),
    budget: readBudget,
  },
  {
    // The API's list (GET /api/v1/requests, a services head's inbox) with bearer tokens made for the run.
    name: 'api-requests-services',
    async prepare(ctx) {
      const tokens: string[] = [];
      for (const p of ctx.sessions.services!) {
        const token = `sol_${randomBytes(32).toString('base64url')}`;
        await ctx.db.query(
          `INSERT INTO api_tokens (company_id, name, token_hash, hint, user_id, scopes, rate_limit, created_by_id)
           SELECT company_id, 'bench', $2, right($1, 4), id, '{read}', 1000000000, id FROM users WHERE email = $3`,
          [token, createHash('sha256').update(token).digest('hex'), p.email],
        );
        tokens.push(token);
      }
      ctx.data = { ...ctx.data, apiTokens: tokens };
    },
    async cleanup(ctx) {
      await ctx.db.query(`DELETE FROM api_tokens WHERE name = 'bench'`);
    },
    requests: (ctx) => {
      const tokens = ctx.data!.apiTokens as string[];
      let next = 0;
      return {
        requests: [
          {
            method: 'GET',
            setupRequest: (req: autocannon.Request, context: Ctx & { token?: string }) => {
              context.token ??= tokens[next++ % tokens.length]!;
              const headers = { ...req.headers, authorization: `Bearer ${context.token}` };
              return { ...req, path: '/api/v1/requests?view=services', headers };
            },
          } as autocannon.Request,
        ],
      };
    },
    budget: readBudget,
  },
  {
    // The company's sign-in log (every sign-in of the bench's sessions wrote to it), first page.
    name: 'sign-in-log',
    requests: (ctx) => perSession(ctx.sessions.admin!, () => '/admin/accesos'),
    budget: readBudget,
  },
  {
    // Each person's to-do (issue 17): one statement of key probes whatever the role; every role's sessions.
    name: 'home',
    requests: (ctx) =>
      perSession(
        ['unitHead', 'services', 'worker', 'admin'].flatMap((role) => ctx.sessions[role] ?? []),
        () => '/',
      ),
    budget: readBudget,
  },
  {
    name: 'request-detail',
    async prepare(ctx) {
      const ids = new Map<number, number[]>();
      for (const p of ctx.sessions.admin!) {
        const rows = await ctx.db.query(`SELECT id FROM requests WHERE company_id = $1 ORDER BY random() LIMIT 200`, [
          p.companyId,
        ]);
        ids.set(
          p.companyId,
          rows.rows.map((r) => r.id),
        );
      }
      ctx.data = { ...ctx.data, detailIds: ids };
    },
    requests: (ctx) => {
      const ids = ctx.data!.detailIds as Map<number, number[]>;
      return perSession(ctx.sessions.admin!, (p) => `/solicitudes/${rand(ids.get(p.companyId)!)}`);
    },
    budget: readBudget,
  },
  {
    // The admin's working calendar (issue 16): the company's hours, thresholds and one year's holidays.
    name: 'calendar',
    requests: (ctx) => perSession(ctx.sessions.admin!, () => '/admin/calendario'),
    budget: readBudget,
  },
  {
    // A head's absences and substitutes (issue 16).
    name: 'absences',
    requests: (ctx) => perSession(ctx.sessions.unitHead!, () => '/ausencias'),
    budget: readBudget,
  },
  {
    // The public portal's page (/p/<slug>, not signed in): intro and service catalogue of a company.
    name: 'portal-page',
    async prepare(ctx) {
      const slugs: string[] = [];
      for (const p of ctx.sessions.admin!) {
        const row = await ctx.db.query(
          `UPDATE companies SET portal_enabled = true, portal_slug = COALESCE(portal_slug, 'bench-' || id)
            WHERE id = $1 RETURNING portal_slug`,
          [p.companyId],
        );
        const slug = row.rows[0].portal_slug as string;
        // The platform-wide register of portal addresses (the portal finds its company there).
        await ctx.db.query(`INSERT INTO portal_slugs (slug, company_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          slug,
          p.companyId,
        ]);
        slugs.push(slug);
      }
      ctx.data = { ...ctx.data, portalSlugs: slugs };
    },
    requests: (ctx) => {
      const slugs = ctx.data!.portalSlugs as string[];
      return {
        requests: [
          {
            method: 'GET',
            setupRequest: (req: autocannon.Request) => ({ ...req, path: `/p/${rand(slugs)}` }),
          } as autocannon.Request,
        ],
      };
    },
    budget: readBudget,
  },
  {
    name: 'indicators',
    // The budget is set at 10 connections (on 1 000 000 requests).
    connections: 10,
    requests: (ctx) => {
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const to = new Date();
      const from = new Date(to.getTime() - 89 * 86_400_000);
      return perSession(ctx.sessions.admin!, () => `/indicadores?desde=${day(from)}&hasta=${day(to)}`);
    },
    budget: (r) => [
      { ok: r.p99_ms <= 300, text: `p99 ${r.p99_ms} ms ≤ 300 ms (the budget applies on 1 000 000 requests)` },
      { ok: r.errors === 0 && r.non2xx === 0, text: `${r.errors} errors, ${r.non2xx} non-2xx` },
      rss(r),
    ],
  },
  {
    name: 'submit-request',
    noWarmup: true,
    successStatus: 302,
    async prepare(ctx) {
      await clearQueuedNotifications(ctx.db);
      await resetSubmitted(ctx.db);
      const rows = await ctx.db.query(
        `SELECT company_id, service_area_id, min(id) AS category_id
         FROM categories GROUP BY company_id, service_area_id`,
      );
      ctx.data = { ...ctx.data, forms: new Map(rows.rows.map((r) => [r.company_id, r])) };
    },
    requests: (ctx) => {
      const forms = ctx.data!.forms as Map<number, { service_area_id: number; category_id: number }>;
      const people = ctx.sessions.employee!;
      let next = 0;
      let n = 0;
      return {
        requests: [
          {
            method: 'POST',
            path: '/solicitudes',
            setupRequest: (req: autocannon.Request, context: Ctx) => {
              context.s ??= people[next++ % people.length]!;
              const form = forms.get(context.s.companyId)!;
              const body = new URLSearchParams({
                _csrf: context.s.csrf,
                serviceAreaId: String(form.service_area_id),
                categoryId: String(form.category_id),
                title: `Bench ${++n}`,
                description: 'Solicitud creada por el benchmark de carga.',
                priority: 'MEDIUM',
                location: '',
              }).toString();
              return {
                ...req,
                body,
                headers: {
                  ...req.headers,
                  cookie: context.s.cookie,
                  'content-type': 'application/x-www-form-urlencoded',
                },
              };
            },
          } as autocannon.Request,
        ],
      };
    },
    count: async (ctx) =>
      Number((await ctx.db.query(`SELECT count(*) FROM requests WHERE title LIKE 'Bench %'`)).rows[0].count),
    cleanup: async (ctx) => {
      await clearQueuedNotifications(ctx.db);
      await resetSubmitted(ctx.db);
      await vacuumWritten(ctx.db);
    },
    budget: writeBudget,
  },
  {
    name: 'authorize',
    noWarmup: true,
    successStatus: 302,
    async prepare(ctx) {
      await clearQueuedNotifications(ctx.db);
      await resetAuthorized(ctx.db);
      // Every request of the run authorizes a different pending request of that head's units.
      const heads = ctx.sessions.unitHead!;
      const rows = await ctx.db.query(
        `SELECT r.id, h.email
         FROM requests r JOIN units un ON un.id = r.requester_unit_id JOIN users h ON h.id = un.head_id
         WHERE r.status = 'PENDING' AND h.email = ANY($1) ORDER BY r.id`,
        [heads.map((h) => h.email)],
      );
      const byEmail = new Map(heads.map((h) => [h.email, h]));
      const queue = rows.rows.map((r) => ({ id: r.id as number, head: byEmail.get(r.email)! }));
      // Interleave heads so concurrent connections touch different companies.
      queue.sort((a, b) => ((a.id * 2654435761) % 4294967296) - ((b.id * 2654435761) % 4294967296));
      ctx.data = { ...ctx.data, pending: queue, authorizeFrom: new Date() };
    },
    requests: (ctx) => {
      const queue = ctx.data!.pending as { id: number; head: Person }[];
      let next = 0;
      return {
        requests: [
          {
            method: 'POST',
            setupRequest: (req: autocannon.Request) => {
              const item = queue[next++];
              if (!item) throw new Error('the authorize scenario ran out of pending requests');
              return {
                ...req,
                path: `/solicitudes/${item.id}/authorize`,
                body: `_csrf=${encodeURIComponent(item.head.csrf)}&comment=`,
                headers: {
                  ...req.headers,
                  cookie: item.head.cookie,
                  'content-type': 'application/x-www-form-urlencoded',
                },
              };
            },
          } as autocannon.Request,
        ],
      };
    },
    count: async (ctx) =>
      Number(
        (
          await ctx.db.query(`SELECT count(*) FROM request_events WHERE action = 'AUTHORIZE' AND created_at >= $1`, [
            ctx.data!.authorizeFrom,
          ])
        ).rows[0].count,
      ),
    cleanup: async (ctx) => {
      await clearQueuedNotifications(ctx.db);
      await resetAuthorized(ctx.db);
      await vacuumWritten(ctx.db);
    },
    budget: writeBudget,
  },
  {
    name: 'login',
    // Few connections: the per-IP limiter counts sign-ins in flight, and bcrypt bounds the rate anyway.
    connections: 10,
    noWarmup: true,
    successStatus: 302,
    amount: (ctx) => ctx.anonymous.length,
    requests: (ctx) => {
      const emails = ctx.sessions.employee!.map((p) => p.email);
      let next = 0;
      return {
        requests: [
          {
            method: 'POST',
            path: '/login',
            setupRequest: (req: autocannon.Request) => {
              // Each sign-in needs a fresh anonymous session (the login regenerates it).
              const anon = ctx.anonymous[next++ % ctx.anonymous.length]!;
              const body = new URLSearchParams({
                _csrf: anon.csrf,
                email: rand(emails),
                password: ctx.password,
              }).toString();
              return {
                ...req,
                body,
                headers: { ...req.headers, cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
              };
            },
          } as autocannon.Request,
        ],
      };
    },
    // bcrypt (cost 12) bounds this by design; reported, not budgeted.
    budget: (r) => [{ ok: true, text: `${r.rps} sign-ins/s (bcrypt cost 12, on ${'this machine'})` }, rss(r)],
  },
];

/** The notification jobs the write scenarios queued (no worker runs during the benchmark). */
async function clearQueuedNotifications(db: pg.Client) {
  await db.query(`DELETE FROM job_outbox`);
  await db.query(`DELETE FROM graphile_worker._private_jobs`);
  await db.query(`DELETE FROM notifications`);
}

/**
 * Clears the row versions the write scenarios and their undo leave dead, between
 * scenarios. On a million requests autovacuum waits for 200 000 of them, which a few runs
 * on the same database reach (186 600 seen): it would then vacuum `requests` in the middle
 * of whichever scenario was being measured.
 */
export async function vacuumWritten(db: pg.Client) {
  await db.query(
    'VACUUM (ANALYZE) requests, request_events, request_counts, tickets, ticket_counts, companies, job_outbox, ' +
      'notifications',
  );
}

/** The write scenarios undo themselves so a reused database stays at its scale. */
async function resetSubmitted(db: pg.Client) {
  await db.query(`WITH r AS (SELECT id FROM requests WHERE title LIKE 'Bench %'),
                      e AS (DELETE FROM request_events WHERE request_id IN (SELECT id FROM r))
                 DELETE FROM requests WHERE id IN (SELECT id FROM r)`);
}

async function resetAuthorized(db: pg.Client) {
  await db.query(`
    WITH undone AS (DELETE FROM request_events WHERE action = 'AUTHORIZE' AND comment IS NULL AND data IS NULL
                      AND created_at > (SELECT built_at FROM bench_meta) RETURNING request_id)
    UPDATE requests SET status = 'PENDING', authorized_at = NULL, authorized_by_id = NULL
    WHERE id IN (SELECT request_id FROM undone)`);
}
