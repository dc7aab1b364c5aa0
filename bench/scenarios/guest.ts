// Pages of people without an account, not signed in: the company's portal, the status page a portal link opens,
// and the satisfaction survey a finished request's email links to. Their links are made for the run and removed
// after it.
import { createHash, randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { readBudget } from '../budget.js';
import { rand, type Scenario, type ScenarioContext } from './context.js';

/** Links of each company made for a scenario (a portal status link, a survey), at most this many per company. */
const LINKS_PER_COMPANY = 20;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Each request a GET of a path picked per request; no session. */
function anonymous(path: () => string): Partial<autocannon.Options> {
  return {
    requests: [
      {
        method: 'GET',
        setupRequest: (req: autocannon.Request) => ({ ...req, path: path() }),
      } as autocannon.Request,
    ],
  };
}

/** Opens the portal of every company of the admins' sessions; returns company id → slug. */
async function openPortals(ctx: ScenarioContext): Promise<Map<number, string>> {
  const slugs = new Map<number, string>();
  for (const p of ctx.sessions.admin!) {
    if (slugs.has(p.companyId)) continue;
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
    slugs.set(p.companyId, slug);
  }
  return slugs;
}

export const guestScenarios: Scenario[] = [
  {
    // The public portal's page (/p/<slug>): intro and service catalogue of a company.
    name: 'portal-page',
    async prepare(ctx) {
      ctx.data = { ...ctx.data, portalSlugs: [...(await openPortals(ctx)).values()] };
    },
    requests: (ctx) => anonymous(() => `/p/${rand(ctx.data!.portalSlugs as string[])}`),
    budget: readBudget,
  },
  {
    // A request's status as its requester sees it from the link the portal mails (/p/<slug>/estado/<token>):
    // state, history and public comments. Links to recent requests of each company.
    name: 'portal-status',
    async prepare(ctx) {
      const paths: string[] = [];
      for (const [companyId, slug] of await openPortals(ctx)) {
        const found = await ctx.db.query(
          `SELECT id FROM requests WHERE company_id = $1 ORDER BY created_at DESC LIMIT $2`,
          [companyId, LINKS_PER_COMPANY],
        );
        for (const { id } of found.rows) {
          const token = randomBytes(32).toString('base64url');
          await ctx.db.query(
            `INSERT INTO portal_status_links (company_id, request_id, token_hash, expires_at, created_at)
             VALUES ($1, $2, $3, now() + interval '1 day', now())`,
            [companyId, id, sha256(token)],
          );
          paths.push(`/p/${slug}/estado/${token}`);
        }
      }
      ctx.data = { ...ctx.data, statusPaths: paths };
    },
    async cleanup(ctx) {
      const hashes = (ctx.data?.statusPaths as string[]).map((p) => sha256(p.split('/').pop()!));
      await ctx.db.query(`DELETE FROM portal_status_links WHERE token_hash = ANY($1::text[])`, [hashes]);
    },
    requests: (ctx) => anonymous(() => rand(ctx.data!.statusPaths as string[])),
    budget: readBudget,
  },
  {
    // The satisfaction survey of a finished request (/encuesta/<token>), open and not yet answered.
    name: 'survey',
    async prepare(ctx) {
      const tokens: string[] = [];
      const companies = new Set(ctx.sessions.admin!.map((p) => p.companyId));
      for (const companyId of companies) {
        const done = await ctx.db.query(
          `SELECT r.id, r.reopen_count, t.worker_id FROM requests r
             JOIN tickets t ON t.company_id = r.company_id AND t.request_id = r.id
            WHERE r.company_id = $1 AND r.status = 'FINALIZED'
              AND NOT EXISTS (SELECT 1 FROM satisfaction_surveys s WHERE s.company_id = r.company_id
                                AND s.request_id = r.id AND s.round = r.reopen_count)
            ORDER BY r.created_at DESC LIMIT $2`,
          [companyId, LINKS_PER_COMPANY],
        );
        for (const r of done.rows) {
          // The token's shape (`<company>.<request>.<round>.<signature>`); the page looks it up by its hash.
          const token = `${companyId}.${r.id}.${r.reopen_count}.${randomBytes(32).toString('base64url')}`;
          await ctx.db.query(
            `INSERT INTO satisfaction_surveys (company_id, request_id, round, worker_id, token_hash, created_at,
                                               expires_at)
             VALUES ($1, $2, $3, $4, $5, now(), now() + interval '30 days')`,
            [companyId, r.id, r.reopen_count, r.worker_id, sha256(token)],
          );
          tokens.push(token);
        }
      }
      ctx.data = { ...ctx.data, surveyTokens: tokens };
    },
    async cleanup(ctx) {
      const hashes = (ctx.data?.surveyTokens as string[]).map(sha256);
      await ctx.db.query(`DELETE FROM satisfaction_surveys WHERE token_hash = ANY($1::text[])`, [hashes]);
    },
    requests: (ctx) => anonymous(() => `/encuesta/${rand(ctx.data!.surveyTokens as string[])}`),
    budget: readBudget,
  },
];
