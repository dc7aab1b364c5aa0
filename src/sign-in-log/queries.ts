// Statements of the sign-in log. Prisma where it reads well, raw SQL where measured faster (here all Prisma; both
// lists read the (company_id[, user_id], created_at DESC) indexes).
import type { Db } from '../db/client.js';

const select = {
  id: true,
  createdAt: true,
  email: true,
  ip: true,
  userAgent: true,
  method: true,
  result: true,
  user: { select: { name: true } },
} as const;

export interface SignInRow {
  id: bigint;
  createdAt: Date;
  email: string;
  ip: string;
  userAgent: string;
  method: string;
  result: string;
  user: { name: string } | null;
}

type Scope = { companyId: number; userId?: number };
const where = (s: Scope) => (s.userId === undefined ? { companyId: s.companyId } : s);

export function countSignIns(db: Db, scope: Scope): Promise<number> {
  return db.signInLog.count({ where: where(scope) });
}

export function signInsPage(db: Db, scope: Scope, window: { skip: number; take: number }): Promise<SignInRow[]> {
  return db.signInLog.findMany({
    where: where(scope),
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select,
    ...window,
  });
}

/** Every company's entries older than `before` (the created_at index). */
export async function deleteSignInsBefore(db: Db, before: Date): Promise<number> {
  const { count } = await db.signInLog.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}
