// The write scenarios: form posts as people send them (CSRF, one-time key, session), every row counted in the database
// after the run and undone afterwards, so a reused database keeps its scale. Then the sign-ins.
import type autocannon from 'autocannon';
import type pg from 'pg';
import { loginBudget, writeBudget } from '../budget.js';
import { anonymousSession, pool, type Session } from '../sessions.js';
import {
  clearQueuedNotifications,
  countOf,
  formBody,
  postPerSession,
  rand,
  vacuumWritten,
  type Person,
  type Scenario,
  type ScenarioContext,
} from './context.js';

const APPROVE_TEXT = 'Revisar según el benchmark de carga.';
const COMMENT_TEXT = 'Comentario del benchmark de carga.';
/** Sign-ins of the `login` scenario, one fresh anonymous session each. */
const SIGN_INS = 300;

/** Each request of the run posts to a different item of a queue made by prepare(). */
function postEach(
  queue: { id: number; person: Person }[],
  path: (id: number) => string,
  body: (id: number) => Record<string, string>,
): Partial<autocannon.Options> {
  let next = 0;
  return {
    requests: [
      {
        method: 'POST',
        setupRequest: (req: autocannon.Request) => {
          const item = queue[next++];
          if (!item) throw new Error('the scenario ran out of prepared requests');
          return {
            ...req,
            path: path(item.id),
            body: formBody(item.person, body(item.id)),
            headers: {
              ...req.headers,
              cookie: item.person.cookie,
              'content-type': 'application/x-www-form-urlencoded',
            },
          };
        },
      } as autocannon.Request,
    ],
  };
}

/** Interleaves a queue by a hash of the ids, so concurrent connections touch different companies. */
function shuffled<T extends { id: number }>(queue: T[]): T[] {
  const h = (id: number) => (id * 2654435761) % 4294967296;
  return queue.sort((a, b) => h(a.id) - h(b.id));
}

/** Requests (id and who acts on them) found by a statement returning (id, email) for the people given. */
async function queueOf(ctx: ScenarioContext, people: Person[], sql: string) {
  const found = await ctx.db.query(sql, [people.map((p) => p.email)]);
  const byEmail = new Map(people.map((p) => [p.email, p]));
  return shuffled(found.rows.map((r) => ({ id: r.id as number, person: byEmail.get(r.email)! })));
}

const eventsSince = (ctx: ScenarioContext, action: string) =>
  countOf(ctx.db, `SELECT count(*) FROM request_events WHERE action = $1 AND created_at >= $2`, [
    action,
    ctx.data!.since,
  ]);

export const writeScenarios: Scenario[] = [
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
      let n = 0;
      return postPerSession(
        ctx.sessions.employee!,
        () => '/solicitudes',
        (s) => ({
          serviceAreaId: String(forms.get(s.companyId)!.service_area_id),
          categoryId: String(forms.get(s.companyId)!.category_id),
          title: `Bench ${++n}`,
          description: 'Solicitud creada por el benchmark de carga.',
          priority: 'MEDIUM',
          location: '',
        }),
      );
    },
    count: (ctx) => countOf(ctx.db, `SELECT count(*) FROM requests WHERE title LIKE 'Bench %'`),
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
      // Every request of the run authorizes a different pending request of that head's units (not their own:
      // a head never authorizes what they asked for).
      const queue = await queueOf(
        ctx,
        ctx.sessions.unitHead!,
        `SELECT r.id, h.email
         FROM requests r
         JOIN units un ON un.company_id = r.company_id AND un.id = r.authorizer_unit_id
         JOIN users h ON h.company_id = r.company_id AND h.id = un.head_id
         WHERE r.status = 'PENDING' AND h.email = ANY($1) AND r.requester_id <> h.id`,
      );
      ctx.data = { ...ctx.data, queue, since: new Date() };
    },
    requests: (ctx) =>
      postEach(
        ctx.data!.queue as { id: number; person: Person }[],
        (id) => `/solicitudes/${id}/authorize`,
        () => ({ comment: '' }),
      ),
    count: (ctx) => eventsSince(ctx, 'AUTHORIZE'),
    cleanup: async (ctx) => {
      await clearQueuedNotifications(ctx.db);
      await resetAuthorized(ctx.db);
      await vacuumWritten(ctx.db);
    },
    budget: writeBudget,
  },
  {
    // A services head approves an authorized request: the request moves and a ticket is made for a worker.
    name: 'approve',
    noWarmup: true,
    successStatus: 302,
    async prepare(ctx) {
      await clearQueuedNotifications(ctx.db);
      await resetApproved(ctx.db);
      const queue = await queueOf(
        ctx,
        ctx.sessions.services!,
        `SELECT r.id, h.email
         FROM requests r
         JOIN units a ON a.company_id = r.company_id AND a.id = r.service_area_id
         JOIN users h ON h.company_id = r.company_id AND h.id = a.head_id
         WHERE r.status = 'AUTHORIZED' AND h.email = ANY($1)`,
      );
      const workers = await ctx.db.query(
        `SELECT r.id, (SELECT min(w.id) FROM users w WHERE w.company_id = r.company_id
                         AND w.unit_id = r.service_area_id AND w.is_worker AND w.active) AS worker_id
           FROM requests r WHERE r.id = ANY($1)`,
        [queue.map((q) => q.id)],
      );
      const workerOf = new Map(workers.rows.map((r) => [r.id as number, r.worker_id as number]));
      ctx.data = { ...ctx.data, queue, workerOf, since: new Date() };
    },
    requests: (ctx) => {
      const workerOf = ctx.data!.workerOf as Map<number, number>;
      return postEach(
        ctx.data!.queue as { id: number; person: Person }[],
        (id) => `/solicitudes/${id}/approve`,
        (id) => ({ workerId: String(workerOf.get(id)), instructions: APPROVE_TEXT }),
      );
    },
    count: (ctx) => eventsSince(ctx, 'APPROVE'),
    cleanup: async (ctx) => {
      await clearQueuedNotifications(ctx.db);
      await resetApproved(ctx.db);
      await vacuumWritten(ctx.db);
    },
    budget: writeBudget,
  },
  {
    // A head asks about a request waiting for their authorization (the conversation of the detail page). Each
    // person's own requests share one state in the generated data, so the heads' inboxes are what can be commented.
    name: 'comment',
    noWarmup: true,
    successStatus: 302,
    async prepare(ctx) {
      await clearQueuedNotifications(ctx.db);
      await resetComments(ctx.db);
      const found = await ctx.db.query(
        `SELECT h.email, (array_agg(r.id))[1:200] AS ids
           FROM users h JOIN units un ON un.company_id = h.company_id AND un.head_id = h.id
           JOIN requests r ON r.company_id = un.company_id AND r.authorizer_unit_id = un.id AND r.status = 'PENDING'
          WHERE h.email = ANY($1) AND r.requester_id <> h.id
          GROUP BY h.email`,
        [ctx.sessions.unitHead!.map((p) => p.email)],
      );
      const idsOf = new Map(found.rows.map((r) => [r.email as string, r.ids as number[]]));
      ctx.data = { ...ctx.data, idsOf, people: ctx.sessions.unitHead!.filter((p) => idsOf.has(p.email)) };
    },
    requests: (ctx) => {
      const idsOf = ctx.data!.idsOf as Map<string, number[]>;
      return postPerSession(
        ctx.data!.people as Person[],
        (s) => `/solicitudes/${rand(idsOf.get(s.email)!)}/comentarios`,
        () => ({ body: COMMENT_TEXT }),
      );
    },
    count: (ctx) => countOf(ctx.db, `SELECT count(*) FROM request_comments WHERE body = $1`, [COMMENT_TEXT]),
    cleanup: async (ctx) => {
      await clearQueuedNotifications(ctx.db);
      await resetComments(ctx.db);
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
    // Fresh visitors' form tokens for every run (each of --rounds).
    async prepare(ctx) {
      const fresh = await pool(Array.from({ length: SIGN_INS }), 8, () => anonymousSession(ctx.base));
      ctx.data = { ...ctx.data, anonymous: fresh };
    },
    amount: () => SIGN_INS,
    requests: (ctx) => {
      const emails = ctx.sessions.employee!.map((p) => p.email);
      const anonymous = ctx.data!.anonymous as Session[];
      let next = 0;
      return {
        requests: [
          {
            method: 'POST',
            path: '/login',
            setupRequest: (req: autocannon.Request) => {
              // Each sign-in comes from a visitor of the sign-in page, with that page's form token.
              const anon = anonymous[next++ % anonymous.length]!;
              const body = new URLSearchParams({ _csrf: anon.csrf, email: rand(emails), password: ctx.password });
              return {
                ...req,
                body: body.toString(),
                headers: { ...req.headers, cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
              };
            },
          } as autocannon.Request,
        ],
      };
    },
    budget: loginBudget,
  },
];

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

async function resetApproved(db: pg.Client) {
  await db.query(
    `WITH undone AS (DELETE FROM request_events WHERE action = 'APPROVE' AND comment = $1 RETURNING request_id),
          gone AS (DELETE FROM tickets WHERE request_id IN (SELECT request_id FROM undone))
     UPDATE requests SET status = 'AUTHORIZED', approved_at = NULL, approved_by_id = NULL, resolution_due_at = NULL
      WHERE id IN (SELECT request_id FROM undone)`,
    [APPROVE_TEXT],
  );
  // Ticket numbers stay gap-free for the next run.
  await db.query(
    `UPDATE companies c SET ticket_seq = (SELECT coalesce(max(number), 0) FROM tickets WHERE company_id = c.id)`,
  );
}

async function resetComments(db: pg.Client) {
  await db.query(`DELETE FROM request_comments WHERE body = $1`, [COMMENT_TEXT]);
}
