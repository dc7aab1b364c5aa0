import type { Actor } from '../auth/index.js';
import { isCompanyAdmin, isServicesHead, isUnitHead } from '../auth/index.js';

/** Company admins, services heads and unit heads measure the service; nobody else. */
export const canSeeIndicators = (a: Actor) => isCompanyAdmin(a) || isServicesHead(a) || isUnitHead(a);

/**
 * Which requests a person's indicators are computed over.
 * - company admin: the whole company;
 * - otherwise the union of the requests sent to the service areas they head and the
 *   requests submitted from the units they head.
 * The company itself is never part of the scope: every query takes it from the actor.
 */
export type IndicatorScope =
  { kind: 'company' } | { kind: 'limited'; serviceAreaIds: number[]; requesterUnitIds: number[] };

export function indicatorScope(a: Actor): IndicatorScope {
  if (isCompanyAdmin(a)) return { kind: 'company' };
  return {
    kind: 'limited',
    serviceAreaIds: [...a.servicesAreaIds],
    requesterUnitIds: a.headedUnits.filter((u) => !u.isServiceArea).map((u) => u.id),
  };
}
