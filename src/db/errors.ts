import { Prisma } from '../generated/prisma/client.js';

/** A unique constraint refused the write: Prisma's P2002, or PostgreSQL's 23505 (also when wrapped in `.cause`). */
export function isUniqueViolation(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return true;
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { code?: unknown }).code === '23505') return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isUniqueViolation(cause);
}
