// Deleting a company: a company admin (or the platform operator) asks for it, it can be restored for 30 days, then
// a scheduled job removes every row and file of the company.
import type { Logger } from 'pino';
import { auditActor, recordAudit, type AuditActor } from '../audit/index.js';
import type { Actor } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.js';
import { removeCompanyFiles } from './files.js';
import { companiesDueForDeletion, companyDeletionState, deleteCompanyRows, setDeletionDue } from './queries.js';

export const DELETION_GRACE_DAYS = 30;

interface Deps {
  db: Db;
  clock: () => Date;
}

export async function companyDeletion(deps: Pick<Deps, 'db'>, actor: Actor) {
  const state = await companyDeletionState(deps.db, actor.companyId);
  if (!state) throw new NotFoundError();
  return state;
}

async function schedule(deps: Deps, companyId: number, by: AuditActor, confirmName: string | null): Promise<string> {
  return deps.db.$transaction(async (tx) => {
    const state = await companyDeletionState(tx, companyId);
    if (!state) throw new NotFoundError();
    if (confirmName !== null && confirmName.trim() !== state.name)
      throw new ValidationError({ confirmName: 'privacy.confirmMismatch' });
    if (state.deletionDueAt) throw new ConflictError('privacy.deletionAlreadyScheduled');
    const due = new Date(deps.clock().getTime() + DELETION_GRACE_DAYS * 24 * 3600_000);
    await setDeletionDue(tx, companyId, due);
    await recordAudit(tx, companyId, by, {
      action: 'privacy.deletionScheduled',
      entityType: 'company',
      entityId: companyId,
      summary: state.name,
      changes: { deletionDueAt: [null, due.toISOString()] },
    });
    return state.name;
  });
}

async function restore(deps: Deps, companyId: number, by: AuditActor): Promise<string> {
  return deps.db.$transaction(async (tx) => {
    const state = await companyDeletionState(tx, companyId);
    if (!state) throw new NotFoundError();
    if (!state.deletionDueAt) throw new ConflictError('privacy.notScheduled');
    await setDeletionDue(tx, companyId, null);
    await recordAudit(tx, companyId, by, {
      action: 'privacy.deletionCancelled',
      entityType: 'company',
      entityId: companyId,
      summary: state.name,
      changes: { deletionDueAt: [state.deletionDueAt.toISOString(), null] },
    });
    return state.name;
  });
}

/** A company admin asks for the deletion of their company, typing its name to confirm; audited. */
export function requestCompanyDeletion(deps: Deps, actor: Actor, input: { confirmName: string }) {
  return schedule(deps, actor.companyId, auditActor(actor), input.confirmName);
}

export function restoreCompany(deps: Deps, actor: Actor) {
  return restore(deps, actor.companyId, auditActor(actor));
}

/** The platform operator (not a member of the company: recorded by address only). */
export function scheduleDeletionAsOperator(deps: Deps, operator: Actor, input: { companyId: number }) {
  return schedule(deps, input.companyId, { id: null, email: operator.email }, null);
}

export function restoreAsOperator(deps: Deps, operator: Actor, input: { companyId: number }) {
  return restore(deps, input.companyId, { id: null, email: operator.email });
}

/** Removes every row (every table holding company_id, and what refers to its people) and every file of a company. */
export async function purgeCompany(deps: { db: Db; config: Config }, companyId: number): Promise<void> {
  await deps.db.$transaction((tx) => deleteCompanyRows(tx, companyId), { timeout: 10 * 60_000 });
  await removeCompanyFiles(deps.config, companyId);
}

/** The scheduled job: the companies whose grace period ended are removed. Returns their ids. */
export async function purgeDueCompanies(deps: Deps & { config: Config; logger: Logger }): Promise<number[]> {
  const due = await companiesDueForDeletion(deps.db, deps.clock());
  for (const companyId of due) {
    await purgeCompany(deps, companyId);
    deps.logger.info({ companyId }, 'company deleted after its grace period');
  }
  return due;
}
