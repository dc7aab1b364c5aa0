// Hot read paths (the actor of every request, inbox and tray pages) send their SQL to the
// pg pool directly: through Prisma's $queryRaw the same statement cost ~250 µs of CPU
// instead of ~55 µs (measured, 4 000 sequential queries). Statements are still written
// with Prisma.sql (parameters, never string concatenation) and are named, so PostgreSQL
// plans each once per connection.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { Prisma } from '../generated/prisma/client.js';

const pools = new WeakMap<object, pg.Pool>();
const reportPools = new WeakMap<object, pg.Pool>();

/** Lets `rows` (and `reportRows`) reach the pools behind this Prisma client (connectDatabase does it). */
export function registerPool(prisma: object, pool: pg.Pool, reportPool?: pg.Pool) {
  pools.set(prisma, pool);
  if (reportPool) reportPools.set(prisma, reportPool);
}

// The same few hundred statement texts come back on every request: their names are kept instead of hashed again.
const names = new Map<string, string>();

export function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    name = `p_${createHash('sha1').update(sql).digest('base64url')}`;
    // Texts that vary (lists spelled out) must not grow this without bound.
    if (names.size >= 5_000) names.clear();
    names.set(sql, name);
  }
  return name;
}

/**
 * The pool for code that sends its statements as `query(text, values)` (connect-pg-simple, the form and API keys):
 * each one is sent named, so PostgreSQL parses and plans it once per connection (the session read was planned on every
 * request: ~0.1 ms of PostgreSQL CPU against 0.04 to run it). Only `query` is there: that code must not end or check
 * out from the app's pool.
 */
export function namingPool(pool: pg.Pool): pg.Pool {
  const query = (text: string, values?: unknown[]) => pool.query({ name: statementName(text), text, values });
  return { query } as unknown as pg.Pool;
}

/**
 * The rows of a statement, sent to the pool behind a Prisma client made by connectDatabase (never a transaction's:
 * statements that must join one are written with the transaction's own $queryRaw). Columns must be cast to int,
 * text, boolean, json or timestamptz.
 */
export async function rows<T>(db: object, query: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(db);
  if (!pool) throw new Error('rows(): this Prisma client was not made by connectDatabase (no pool registered)');
  // Prisma.Sql builds its text anew on every read of `text`: read once.
  const text = query.text;
  const res = await pool.query({ name: statementName(text), text, values: query.values });
  return res.rows as T[];
}

/**
 * The name of the user, unit or category that `alias.column` points to, as a scalar
 * sub-query: one probe of its (company_id, id) key, in the statement's company. In list
 * statements, joins for names let the planner scan a company's whole table per row.
 * The company is the statement's parameter, not the outer row's column: on Citus every
 * table of a statement must name the company for it to be routed to one shard.
 */
export function nameOf(
  table: 'users' | 'units' | 'categories',
  alias: string,
  column: string,
  companyId: number,
): Prisma.Sql {
  return Prisma.sql`(SELECT name FROM ${Prisma.raw(table)} WHERE company_id = ${companyId}::int
                     AND id = ${Prisma.raw(`${alias}.${column}`)})`;
}

/**
 * The rows of a report's statement (the indicators), on the report connections (Database.reportPool): planned for
 * its own values each time, with room to sort in memory. Falls back to the main pool when there is none.
 */
export async function reportRows<T>(db: object, query: Prisma.Sql): Promise<T[]> {
  const pool = reportPools.get(db);
  if (!pool) return rows<T>(db, query);
  const res = await pool.query({ text: query.text, values: query.values });
  return res.rows as T[];
}

/**
 * A subquery's rows as one JSON array ('[]' when there is none), in `order` over its alias `p`: a list carried in a
 * statement beside other values (a page with its tab counts), one round trip instead of two.
 */
export function jsonArray(query: Prisma.Sql, order: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT coalesce(json_agg(p ORDER BY ${order}), '[]') FROM (${query}) p)`;
}

/** An instant read from JSON, where a timestamptz is a string. */
export function instant(value: string): Date;
export function instant(value: string | null): Date | null;
export function instant(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

/**
 * A list page with the list's total in one statement (the pages that read both, paginatedWithTotal): `count` a
 * statement of one count, `page` the page's rows, read as JSON in `order` over `p`.
 */
export async function pageWithTotal<T>(
  db: object,
  count: Prisma.Sql,
  page: Prisma.Sql,
  order: Prisma.Sql,
): Promise<{ total: number; items: T[] }> {
  const [row] = await rows<{ total: number; items: T[] }>(
    db,
    Prisma.sql`SELECT (${count})::int AS total, ${jsonArray(page, order)} AS items`,
  );
  return { total: row?.total ?? 0, items: row?.items ?? [] };
}
