import { Prisma } from '../generated/prisma/client.js';

/**
 * A unique index refused the write: Prisma's P2002, or PostgreSQL's 23505 as pg reports it
 * (raw statements), also when wrapped in an error's `cause`.
 */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return true;
    if ((e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
