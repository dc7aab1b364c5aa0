// Who may take part in the conversation on a request. Used by the use cases, the views
// (through loadConversation), the search and the attachment downloads.
import type { Actor } from '../auth/index.js';

/**
 * What the conversation's rules need of a request: whether the person may see it (the
 * requests feature's rule, decided there) and the service area it was sent to.
 */
export interface RequestAccess {
  visible: boolean;
  serviceAreaId: number;
  /** Seen only as a follower ("Seguidores"): comments yes, internal notes never. */
  asFollower?: boolean;
}

/** Anyone who can see a request may comment on it, in any state (also after it is finalized). */
export function canComment(_actor: Actor, r: RequestAccess): boolean {
  return r.visible;
}

/**
 * The service areas whose internal notes this person may read: the areas they head
 * and, for a worker, their own area; `'all'` for a company admin. The search query
 * uses this same list, so search and pages cannot disagree.
 */
export function internalNoteAreas(actor: Actor): number[] | 'all' {
  if (actor.isCompanyAdmin) return 'all';
  const areas = [...actor.servicesAreaIds];
  if (actor.isWorker && actor.unitId !== null && !areas.includes(actor.unitId)) areas.push(actor.unitId);
  return areas;
}

/**
 * Internal notes (and their files) are for the staff of the request's service area
 * (its head and its workers) and company admins — never the requester, the unit head
 * or a follower as such.
 */
export function canSeeInternalNotes(actor: Actor, r: RequestAccess): boolean {
  if (!r.visible || r.asFollower) return false;
  const areas = internalNoteAreas(actor);
  return areas === 'all' || areas.includes(r.serviceAreaId);
}

export function canAddInternalNote(actor: Actor, r: RequestAccess): boolean {
  return canSeeInternalNotes(actor, r);
}
