import type { Actor } from './actor.js';

// Role predicates used by navigation, routes and views alike.

export const isUnitHead = (a: Actor) => a.headedUnits.some((u) => !u.isServiceArea);
export const isServicesHead = (a: Actor) => a.servicesAreaIds.length > 0;
export const isWorker = (a: Actor) => a.isWorker;
export const isCompanyAdmin = (a: Actor) => a.isCompanyAdmin;

/** Spanish-first role labels (i18n keys) for the person's badge list. */
export function roleKeys(a: Actor): string[] {
  const keys = ['roles.employee'];
  if (isUnitHead(a)) keys.push('roles.unitHead');
  if (isServicesHead(a)) keys.push('roles.servicesHead');
  if (isWorker(a)) keys.push('roles.worker');
  if (isCompanyAdmin(a)) keys.push('roles.companyAdmin');
  return keys;
}
