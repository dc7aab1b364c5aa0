import { Prisma } from '../generated/prisma/client.js';

/**
 * A unique index refused the write: Prisma's P2002, or PostgreSQL's 23505 as pg reports it (raw statements),
 * also when the driver error is wrapped in `.cause` (a few levels deep, never looping).
 */
export function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return true;
    if ((e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
