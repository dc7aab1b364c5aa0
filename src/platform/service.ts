import { recordAudit } from '../audit/index.js';
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { ForbiddenError, NotFoundError } from '../web/errors.js';
import { paginated } from '../web/pagination.js';
import { companiesPage, countCompanies, findCompany, lastActivity, setCompanyActiveRow } from './queries.js';

interface Deps {
  db: Db;
}

/** One page of every company with its size and its latest activity. */
export async function listCompanies(deps: Deps, _actor: Actor, input: { page: number }) {
  const result = await paginated(
    input.page,
    () => countCompanies(deps.db),
    (w) => companiesPage(deps.db, w),
  );
  const { lastRequest, lastLogin } = await lastActivity(
    deps.db,
    result.items.map((c) => c.id),
  );
  const items = result.items.map((c) => ({
    ...c,
    lastRequest: lastRequest.get(c.id) ?? null,
    lastLogin: lastLogin.get(c.id) ?? null,
  }));
  return { items, page: result.page };
}

/**
 * Suspends or reactivates a company; the operator never suspends their own. The operator is not a member of that
 * company: only their email, followed by `operatorLabel`, is recorded in its audit log.
 */
export async function setCompanyActive(
  deps: Deps,
  actor: Actor,
  input: { companyId: number; active: boolean; operatorLabel: string },
) {
  const { companyId, active } = input;
  if (companyId === actor.companyId && !active) throw new ForbiddenError('platform.notOwn');
  const company = await findCompany(deps.db, companyId);
  if (!company) throw new NotFoundError();
  await deps.db.$transaction(async (tx) => {
    await setCompanyActiveRow(tx, companyId, active);
    await recordAudit(
      tx,
      companyId,
      { id: null, email: `${actor.email} (${input.operatorLabel})` },
      {
        action: active ? 'company.reactivated' : 'company.suspended',
        entityType: 'company',
        entityId: companyId,
        summary: company.name,
        changes: { active: [!active, active] },
      },
    );
  });
  return { name: company.name };
}
