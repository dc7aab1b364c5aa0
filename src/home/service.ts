import type { Db } from '../db/client.js';
import { roleKeys, type Actor } from '../auth/index.js';
import { companySummary } from './queries.js';

/** What the home page shows: the person's roles and their company at a glance. */
export async function homeOf(deps: { db: Db }, actor: Actor) {
  return { roles: roleKeys(actor), summary: await companySummary(deps.db, actor.companyId) };
}
