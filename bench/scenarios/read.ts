// The read scenarios: the two reference pages, then every page people keep open (inboxes, trays, the detail,
// the home to-do, the API list…), each against the signed-in baseline of the same run.
import { createHash, randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { baselineBudget, indicatorsBudget, readBudget, signedInBudget } from '../budget.js';
import { perSession, rand, type Ctx, type Scenario, type ScenarioContext } from './context.js';

/** The reference pages: the machine's ceiling, and the same page behind every middleware of a signed-in page. */
export const referenceScenarios: Scenario[] = [
  {
    name: 'baseline',
    requests: () => ({ requests: [{ method: 'GET', path: '/__bench/baseline' }] }),
    budget: baselineBudget,
  },
  {
    // The bare page after one round trip to PostgreSQL: the floor of a page that reads anything (not budgeted).
    name: 'one-statement',
    requests: () => ({ requests: [{ method: 'GET', path: '/__bench/one-statement' }] }),
    budget: baselineBudget,
  },
  {
    name: 'signed-in-baseline',
    requests: (ctx) => perSession(ctx.sessions.unitHead!, () => '/__bench/signed-in-baseline'),
    budget: signedInBudget,
  },
];

/** Requests each employee follows in the `following` scenario (more than one page of 20). */
const FOLLOWED = 30;

/** Ids of requests of each signed-in admin's company, for the detail page. */
async function detailIds(ctx: ScenarioContext): Promise<Map<number, number[]>> {
  const ids = new Map<number, number[]>();
  for (const p of ctx.sessions.admin!) {
    if (ids.has(p.companyId)) continue;
    const found = await ctx.db.query(`SELECT id FROM requests WHERE company_id = $1 ORDER BY random() LIMIT 200`, [
      p.companyId,
    ]);
    ids.set(
      p.companyId,
      found.rows.map((r) => r.id as number),
    );
  }
  return ids;
}

/** A page of one request (`/solicitudes/<id><suffix>`), a random one of the admin's company each time. */
const requestPage = (name: string, suffix: string): Scenario => ({
  name,
  async prepare(ctx) {
    ctx.data = { ...ctx.data, detailIds: await detailIds(ctx) };
  },
  requests: (ctx) => {
    const ids = ctx.data!.detailIds as Map<number, number[]>;
    return perSession(ctx.sessions.admin!, (p) => `/solicitudes/${rand(ids.get(p.companyId)!)}${suffix}`);
  },
  budget: readBudget,
});

/** Pages measured in the ordinary companies and, with --large-company, in the very large one (large.ts). */
export const companyReadScenarios: Scenario[] = [
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
    // "Mis solicitudes": the list every person has, of the requests they submitted.
    name: 'inbox-mine',
    requests: (ctx) => perSession(ctx.sessions.employee!, () => '/solicitudes'),
    budget: readBudget,
  },
  {
    // The company's list, unfiltered (administrators).
    name: 'inbox-company',
    requests: (ctx) => perSession(ctx.sessions.admin!, () => '/empresa/solicitudes'),
    budget: readBudget,
  },
  {
    // The services head's tray of their areas' tickets.
    name: 'tickets-services',
    requests: (ctx) => perSession(ctx.sessions.services!, () => '/tickets'),
    budget: readBudget,
  },
  {
    // "Siguiendo" (requests a person follows): each employee follows FOLLOWED of the company's recent requests,
    // added for the run and removed after it.
    name: 'following',
    async prepare(ctx) {
      const added: unknown[][] = [];
      for (const p of ctx.sessions.employee!) {
        const rows = await ctx.db.query(
          `INSERT INTO request_followers (company_id, request_id, user_id, added_by_id, created_at)
           SELECT r.company_id, r.id, u.id, u.id, r.created_at
             FROM users u
             JOIN LATERAL (SELECT company_id, id, created_at FROM requests
                            WHERE company_id = u.company_id AND requester_id <> u.id
                            ORDER BY created_at DESC LIMIT $3) r ON true
            WHERE u.company_id = $1 AND u.email = $2
           ON CONFLICT DO NOTHING
           RETURNING company_id, request_id, user_id`,
          [p.companyId, p.email, FOLLOWED],
        );
        added.push(...rows.rows.map((r) => [r.company_id, r.request_id, r.user_id]));
      }
      ctx.data = { ...ctx.data, followed: added };
    },
    async cleanup(ctx) {
      const added = (ctx.data?.followed ?? []) as number[][];
      await ctx.db.query(
        `DELETE FROM request_followers f USING unnest($1::int[], $2::int[], $3::int[]) AS a(c, r, u)
          WHERE f.company_id = a.c AND f.request_id = a.r AND f.user_id = a.u`,
        [added.map((a) => a[0]), added.map((a) => a[1]), added.map((a) => a[2])],
      );
    },
    requests: (ctx) => perSession(ctx.sessions.employee!, () => '/siguiendo'),
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
  requestPage('request-detail', ''),
  // The print view of a request: the detail's data on a page of its own.
  requestPage('request-print', '/imprimir'),
  {
    // The administrators' list of people (first page of 2 000 in the very large company).
    name: 'people',
    requests: (ctx) => perSession(ctx.sessions.admin!, () => '/admin/personas'),
    budget: readBudget,
  },
  {
    // The organisation chart: every unit with its head and people count (300 units in the very large company).
    name: 'org-chart',
    requests: (ctx) => perSession(ctx.sessions.admin!, () => '/admin/organigrama'),
    budget: readBudget,
  },
  {
    // The new-request form: the catalogue of areas and categories with their fields, and the person's units.
    name: 'new-request-form',
    requests: (ctx) => perSession(ctx.sessions.employee!, () => '/solicitudes/nueva'),
    budget: readBudget,
  },
  {
    // The company's list searched by words of a title (the search box of every list).
    name: 'search',
    requests: (ctx) =>
      perSession(
        ctx.sessions.admin!,
        () => `/empresa/solicitudes?q=${encodeURIComponent(`prueba ${1 + Math.floor(Math.random() * 2000)}`)}`,
      ),
    budget: readBudget,
  },
  {
    // 90 days of the dashboard; two connections, one per core (the budget is set on 1 000 000 requests).
    name: 'indicators',
    connections: 2,
    requests: (ctx) => {
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const to = new Date();
      const from = new Date(to.getTime() - 89 * 86_400_000);
      return perSession(ctx.sessions.admin!, () => `/indicadores?desde=${day(from)}&hasta=${day(to)}`);
    },
    budget: indicatorsBudget,
  },
];

/** Pages of the ordinary companies only. */
export const otherReadScenarios: Scenario[] = [
  {
    // The API's list (GET /api/v1/requests, a services head's inbox) with bearer tokens made for the run.
    name: 'api-requests-services',
    async prepare(ctx) {
      const tokens: string[] = [];
      for (const p of ctx.sessions.services!) {
        // The form the app issues (`sol_<company id>_<random>`): its lookup names the company.
        const token = `sol_${p.companyId}_${randomBytes(32).toString('base64url')}`;
        await ctx.db.query(
          `INSERT INTO api_tokens (company_id, name, token_hash, hint, user_id, scopes, rate_limit, created_by_id)
           SELECT company_id, 'bench', $2, right($1, 4), id, '{read}', 1000000000, id FROM users
            WHERE company_id = $4 AND email = $3`,
          [token, createHash('sha256').update(token).digest('hex'), p.email, p.companyId],
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
    // The admin's working calendar (issue 16): the company's hours, thresholds and one year's holidays.
    name: 'calendar',
    requests: (ctx) => perSession(ctx.sessions.admin!, () => '/admin/calendario'),
    budget: readBudget,
  },
  {
    // A person's account page (their data, language, notification channels, sessions).
    name: 'account',
    requests: (ctx) => perSession(ctx.sessions.employee!, () => '/cuenta'),
    budget: readBudget,
  },
  {
    // A head's absences and substitutes (issue 16).
    name: 'absences',
    requests: (ctx) => perSession(ctx.sessions.unitHead!, () => '/ausencias'),
    budget: readBudget,
  },
];
