import type { Request } from 'express';
import { actorOf } from '../../auth/guards.js';
import type { AuditActor } from '../../audit/record.js';
import { Prisma } from '../../generated/prisma/client.js';

/** Optional id from a form select: '' → null. */
export function optionalId(value: string): number | null | 'invalid' {
  if (value === '') return null;
  return /^\d{1,9}$/.test(value) ? Number(value) : 'invalid';
}

export function auditActor(req: Request): AuditActor {
  const a = actorOf(req);
  return { id: a.id, email: a.email };
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

export const PAGE_SIZE = 25;

/** ?page=N (1-based) → skip/take and the page number. */
export function pageOf(req: Request) {
  const raw = Number(req.query.page);
  const page = Number.isInteger(raw) && raw > 0 && raw < 100_000 ? raw : 1;
  return { page, skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE };
}
