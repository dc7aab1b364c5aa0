// What every scenario gets: the app's address, a database client, signed-in sessions by role; and the helpers
// scenarios share (one session per connection, undoing what the writes left).
import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import type pg from 'pg';
import type { Budget } from '../budget.js';
import type { Session } from '../sessions.js';

export type Person = Session & { email: string; companyId: number };

export interface ScenarioContext {
  base: string;
  db: pg.Client;
  /** Sessions by role (unitHead, services, worker, admin, employee) of the ordinary companies. */
  sessions: Record<string, Person[]>;
  /** The same roles in the very large company (--large-company), else empty. */
  largeSessions: Record<string, Person[]>;
  password: string;
  duration: number;
  warmup: number;
  /** Filled by prepare(): data a scenario needs (ids to visit, pending requests…). */
  data?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  connections?: number;
  /** Write scenarios consume data: no warm-up. */
  noWarmup?: boolean;
  /** 302 for form posts answered with redirect-after-post. */
  successStatus?: 200 | 302;
  /** Runs only when the database holds the very large company. */
  largeOnly?: boolean;
  prepare?(ctx: ScenarioContext): Promise<void>;
  /** Undoes what the scenario wrote, after counting it. */
  cleanup?(ctx: ScenarioContext): Promise<void>;
  /** A fixed number of requests instead of a duration. */
  amount?(ctx: ScenarioContext): number;
  requests(ctx: ScenarioContext): Partial<autocannon.Options>;
  /** Rows really committed (counted in the database before and after the run). */
  count?(ctx: ScenarioContext): Promise<number>;
  budget: Budget;
}

export type Ctx = Record<string, unknown> & { s?: Person };

/** Each connection keeps one signed-in session; `path` picks the URL of each request. */
export function perSession(people: Person[], path: (p: Person) => string): Partial<autocannon.Options> {
  if (people.length === 0) throw new Error('no benchmark session for this scenario');
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

/** Each request a form post of one session (the body made per request). */
/**
 * A signed-in form's body as a browser posts it: its CSRF token and its own one-time key (src/submissions), which
 * every state-changing form carries, so each post also claims its key and records where it went.
 */
export function formBody(person: Person, fields: Record<string, string>): string {
  return new URLSearchParams({ _csrf: person.csrf, _once: randomUUID(), ...fields }).toString();
}

export function postPerSession(
  people: Person[],
  path: (p: Person) => string,
  body: (p: Person) => Record<string, string>,
): Partial<autocannon.Options> {
  if (people.length === 0) throw new Error('no benchmark session for this scenario');
  let next = 0;
  return {
    requests: [
      {
        method: 'POST',
        setupRequest: (req: autocannon.Request, context: Ctx) => {
          context.s ??= people[next++ % people.length]!;
          const s = context.s;
          return {
            ...req,
            path: path(s),
            body: formBody(s, body(s)),
            headers: { ...req.headers, cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          };
        },
      } as autocannon.Request,
    ],
  };
}

export const rand = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

/** The notification jobs the write scenarios queued (no worker runs during the benchmark), and their form keys. */
export async function clearQueuedNotifications(db: pg.Client) {
  await db.query(`DELETE FROM form_submissions`);
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
    'VACUUM (ANALYZE) requests, request_events, request_counts, request_authorizer_counts, tickets, ticket_counts, ' +
      'companies, job_outbox, notifications, request_comments',
  );
}

/** A row count of the database, for the write scenarios' before/after. */
export async function countOf(db: pg.Client, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await db.query(sql, params)).rows[0].count);
}
