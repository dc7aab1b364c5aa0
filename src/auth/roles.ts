import type { Actor } from './actor.js';

// Role predicates used by navigation, routes and views alike.

export const isUnitHead = (a: Actor) => a.headedUnits.some((u) => !u.isServiceArea);
export const isServicesHead = (a: Actor) => a.servicesAreaIds.length > 0;
export const isWorker = (a: Actor) => a.isWorker;
export const isCompanyAdmin = (a: Actor) => a.isCompanyAdmin;
/** Who has an "Autorizaciones" inbox: unit heads (also as substitutes) and the admins (requests that reach them). */
export const authorizes = (a: Actor) => isUnitHead(a) || isCompanyAdmin(a);
/** Heads in their own right (not only as a substitute) record their absences. */
export const headsInOwnRight = (a: Actor) => a.headedUnits.some((u) => !a.actingFor[u.id]);

/** Spanish-first role labels (i18n keys) for the person's badge list. */
export function roleKeys(a: Actor): string[] {
  const keys = ['roles.employee'];
  if (isUnitHead(a)) keys.push('roles.unitHead');
  if (isServicesHead(a)) keys.push('roles.servicesHead');
  if (isWorker(a)) keys.push('roles.worker');
  if (isCompanyAdmin(a)) keys.push('roles.companyAdmin');
  return keys;
}
