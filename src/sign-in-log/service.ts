// Use cases of the sign-in log: a person's own attempts, the company's (admins), and the 90-day purge.
import type { Actor } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { paginatedWithTotal, type Paginated } from '../web/pagination.js';
import { deleteSignInsBefore, signInsPage, type SignInRow } from './queries.js';

export const SIGN_IN_LOG_DAYS = 90;

/** One page of the actor's own sign-in attempts, newest first. */
export function listOwnSignIns(deps: { db: Db }, actor: Actor, input: { page: number }): Promise<Paginated<SignInRow>> {
  const scope = { companyId: actor.companyId, userId: actor.id };
  return paginatedWithTotal(input.page, (w) => signInsPage(deps.db, scope, w));
}

/** One page of every sign-in attempt of the actor's company (admins), newest first. */
export function listCompanySignIns(
  deps: { db: Db },
  actor: Actor,
  input: { page: number },
): Promise<Paginated<SignInRow>> {
  const scope = { companyId: actor.companyId };
  return paginatedWithTotal(input.page, (w) => signInsPage(deps.db, scope, w));
}

/** Removes the entries older than 90 days (the scheduled job); returns how many went. */
export function purgeSignInLog(deps: { db: Db }, now: Date): Promise<number> {
  return deleteSignInsBefore(deps.db, new Date(now.getTime() - SIGN_IN_LOG_DAYS * 24 * 3600_000));
}
