// Statements of the sign-in log. The lists through pg (one statement: the page with its total), read through the
// (company_id[, user_id], created_at DESC) indexes; the purge through Prisma.
import type { Db } from '../db/client.js';
import { instant, nameOf, pageWithTotal } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

export interface SignInRow {
  /** The log's bigint id, as text. */
  id: string;
  createdAt: Date;
  email: string;
  ip: string;
  userAgent: string;
  method: string;
  result: string;
  user: { name: string } | null;
}

type Scope = { companyId: number; userId?: number };

/** A page of a company's (or one person's) sign-in attempts, newest first, with how many there are. */
export async function signInsPage(
  db: Db,
  scope: Scope,
  window: { skip: number; take: number },
): Promise<{ total: number; items: SignInRow[] }> {
  const where =
    scope.userId === undefined
      ? Prisma.sql`l.company_id = ${scope.companyId}::int`
      : Prisma.sql`l.company_id = ${scope.companyId}::int AND l.user_id = ${scope.userId}::int`;
  const page = Prisma.sql`
    SELECT l.id::text AS id, l.created_at AS "createdAt", l.email, l.ip, l.user_agent AS "userAgent", l.method,
           l.result, ${nameOf('users', 'l', 'user_id', scope.companyId)} AS user_name
      FROM sign_in_log l
     WHERE ${where}
     ORDER BY l.created_at DESC, l.id DESC
     LIMIT ${window.take} OFFSET ${window.skip}`;
  const { total, items: found } = await pageWithTotal<Omit<SignInRow, 'createdAt' | 'user'> & JsonTail>(
    db,
    Prisma.sql`SELECT count(*) FROM sign_in_log l WHERE ${where}`,
    page,
    Prisma.sql`p."createdAt" DESC, p.id::bigint DESC`,
  );
  const items = found.map(({ createdAt, user_name, ...entry }) => ({
    ...entry,
    createdAt: instant(createdAt),
    user: user_name === null ? null : { name: user_name },
  }));
  return { total, items };
}

/** The columns of a row read as JSON that are not yet what SignInRow holds. */
type JsonTail = { createdAt: string; user_name: string | null };

/** Every company's entries older than `before` (the created_at index). */
export async function deleteSignInsBefore(db: Db, before: Date): Promise<number> {
  const { count } = await db.signInLog.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}
