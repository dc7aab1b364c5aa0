import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';

export interface AuditActor {
  /** Null when someone outside the company acted (the platform operator, or signup). */
  id: number | null;
  email: string;
}

/** Who is recorded for a change made by a member of the company (any actor with an id and an email). */
export function auditActor(actor: { id: number; email: string }): AuditActor {
  return { id: actor.id, email: actor.email };
}

export interface AuditInput {
  action: string;
  entityType: 'company' | 'unit' | 'user' | 'category' | 'holiday' | 'api_token' | 'webhook';
  entityId?: number | null;
  /** Name of the thing changed, shown in the log. */
  summary: string;
  /** field → [before, after] */
  changes?: Record<string, [unknown, unknown]> | null;
}

/** The fields whose value differs between two snapshots, as field → [before, after]. */
export function diff<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v !== undefined && JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null))
      out[k] = [before[k] ?? null, v ?? null];
  }
  return out;
}

/** Records an administrative change; call inside the transaction that makes it. */
export async function recordAudit(db: Pick<Db, 'auditEntry'>, companyId: number, actor: AuditActor, input: AuditInput) {
  await db.auditEntry.create({
    data: {
      companyId,
      actorId: actor.id,
      actorEmail: actor.email,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      summary: input.summary,
      changes:
        input.changes && Object.keys(input.changes).length ? (input.changes as Prisma.InputJsonValue) : undefined,
    },
  });
}
