import type { Db } from '../db/client.js';
import { isCompanyAdmin, roleKeys, type Actor } from '../auth/index.js';
import { companySummary, orgProblems } from './queries.js';

/** What the home page shows: the person's roles, their company at a glance and, to an admin, what to fix. */
export async function homeOf(deps: { db: Db }, actor: Actor) {
  const [summary, problems] = await Promise.all([
    companySummary(deps.db, actor.companyId),
    isCompanyAdmin(actor) ? orgProblems(deps.db, actor.companyId) : null,
  ]);
  return { roles: roleKeys(actor), summary, problems };
}
