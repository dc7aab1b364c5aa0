// Statements of the audit log (Prisma where it reads well, raw SQL where measured faster: here all Prisma).
import type { Db } from '../db/client.js';

export interface AuditEntryRow {
  id: bigint;
  createdAt: Date;
  actorEmail: string;
  action: string;
  summary: string;
  changes: unknown;
  actor: { name: string } | null;
}

export function countAuditEntries(db: Db, companyId: number): Promise<number> {
  return db.auditEntry.count({ where: { companyId } });
}

/** One page of the company's log, newest first. */
export function auditEntriesPage(
  db: Db,
  companyId: number,
  window: { skip: number; take: number },
): Promise<AuditEntryRow[]> {
  return db.auditEntry.findMany({
    where: { companyId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    ...window,
    select: {
      id: true,
      createdAt: true,
      actorEmail: true,
      action: true,
      summary: true,
      changes: true,
      actor: { select: { name: true } },
    },
  });
}
