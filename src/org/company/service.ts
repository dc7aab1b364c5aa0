import { auditActor, diff, recordAudit } from '../../audit/index.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../auth/index.js';
import { isUniqueViolation } from '../../db/errors.js';
import { ValidationError } from '../../web/errors.js';
import {
  companySettings,
  portalSettings,
  unitHeads,
  updateCompanySettings,
  updatePortalSettings,
  type CompanySettings,
} from './queries.js';
import type { PortalSettingsInput, SettingsInput } from './schemas.js';

interface Deps {
  db: Db;
}

export function loadCompanySettings(deps: Deps, actor: Actor): Promise<CompanySettings> {
  return companySettings(deps.db, actor.companyId);
}

/** The company's name, time zone and language; the change is audited. */
export async function saveCompanySettings(deps: Deps, actor: Actor, input: SettingsInput): Promise<void> {
  const { companyId } = actor;
  await deps.db.$transaction(async (tx) => {
    const before = await companySettings(tx, companyId);
    await updateCompanySettings(tx, companyId, input);
    await recordAudit(tx, companyId, auditActor(actor), {
      action: 'company.updated',
      entityType: 'company',
      entityId: companyId,
      summary: input.name,
      changes: diff(before, input),
    });
  });
}

/** The portal's settings and who may be its intake approver (the company's unit heads). */
export async function loadPortalSettings(deps: Deps, actor: Actor) {
  const [settings, approvers] = await Promise.all([
    portalSettings(deps.db, actor.companyId),
    unitHeads(deps.db, actor.companyId),
  ]);
  return { settings, approvers };
}

/**
 * Switches the public portal on or off with its address, intro text and intake approver (a unit head of the company,
 * who authorizes the guests' "No sé" requests). A slug another company has is a ValidationError; audited.
 */
export async function savePortalSettings(deps: Deps, actor: Actor, input: PortalSettingsInput): Promise<void> {
  const { companyId } = actor;
  if (
    input.portalIntakeApproverId !== null &&
    !(await unitHeads(deps.db, companyId)).some((h) => h.id === input.portalIntakeApproverId)
  )
    throw new ValidationError({ portalIntakeApproverId: 'forms.invalidChoice' });
  try {
    await deps.db.$transaction(async (tx) => {
      const before = await portalSettings(tx, companyId);
      await updatePortalSettings(tx, companyId, input);
      await recordAudit(tx, companyId, auditActor(actor), {
        action: 'company.portal.updated',
        entityType: 'company',
        entityId: companyId,
        summary: input.portalSlug ?? '—',
        changes: diff(before, input),
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ portalSlug: 'portal.admin.slugTaken' });
    throw err;
  }
}
