// Named policy functions of the corrections, the requester's edit and the followers, used by the use cases (which
// re-check them) and the detail page (which shows exactly what they allow). Who may see a request is canView
// (lifecycle.ts), the one visibility rule.
import type { Actor } from '../auth/index.js';
import { canView, participates, type RequestState } from './lifecycle.js';

/** The services head of the request's area: the head (or their substitute) of the area it was sent to. */
const headsItsArea = (actor: Actor, r: RequestState) => actor.servicesAreaIds.includes(r.serviceAreaId);

/** Send the request to another service area of the company: authorized, not yet decided, not on hold. */
export function canReroute(actor: Actor, r: RequestState): boolean {
  return headsItsArea(actor, r) && r.status === 'AUTHORIZED' && !r.onHoldSince;
}

/** Correct its category and priority: from authorization until the ticket is finished. */
export function canCorrect(actor: Actor, r: RequestState): boolean {
  return headsItsArea(actor, r) && (r.status === 'AUTHORIZED' || r.status === 'APPROVED');
}

/** Whether the role (not the state) lets the actor re-route or correct it: otherwise 403, else a state conflict. */
export function mayEverCorrect(actor: Actor, r: RequestState): boolean {
  return headsItsArea(actor, r);
}

/** The requester edits title, description and location and adds files while the request waits for authorization. */
export function canEdit(actor: Actor, r: RequestState): boolean {
  return actor.id === r.requesterId && r.status === 'PENDING';
}

/** Anyone who sees the request (its participants and its followers) may add colleagues as followers. */
export function canAddFollowers(actor: Actor, r: RequestState): boolean {
  return canView(actor, r);
}

/** A follower stops following; a participant may also take a follower off. */
export function canRemoveFollower(actor: Actor, r: RequestState, followerId: number): boolean {
  return canView(actor, r) && (followerId === actor.id || participates(actor, r));
}

/** The requester's email and phone are for the people who work on it (not the requester, not mere followers). */
export function canSeeRequesterContact(actor: Actor, r: RequestState): boolean {
  return actor.id !== r.requesterId && participates(actor, r);
}
