import type { Db } from '../db/client.js';
import { paginated, type Paginated } from '../web/pagination.js';
import { auditEntriesPage, countAuditEntries, type AuditEntryRow } from './queries.js';

/** One page of the actor's company's audit log, newest first. */
export function listAuditLog(
  deps: { db: Db },
  actor: { companyId: number },
  input: { page: number },
): Promise<Paginated<AuditEntryRow>> {
  return paginated(
    input.page,
    () => countAuditEntries(deps.db, actor.companyId),
    (window) => auditEntriesPage(deps.db, actor.companyId, window),
  );
}
