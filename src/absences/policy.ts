// Who records and removes absences (issue 16).
import { headsInOwnRight, isCompanyAdmin, type Actor } from '../auth/index.js';

/** A unit head or services head records their own absence; an administrator, anyone's. */
export function mayRecordAbsenceOf(actor: Actor, userId: number): boolean {
  return isCompanyAdmin(actor) || (userId === actor.id && headsInOwnRight(actor));
}

/** Whoever may record an absence may delete it (before it ends). */
export const mayDeleteAbsenceOf = mayRecordAbsenceOf;

/** The "Ausencias" page of a head. */
export const hasOwnAbsences = headsInOwnRight;
