import { auditActor, diff, recordAudit } from '../../audit/index.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../auth/index.js';
import { companySettings, updateCompanySettings, type CompanySettings } from './queries.js';
import type { SettingsInput } from './schemas.js';

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
