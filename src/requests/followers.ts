// Followers ("Seguidores", issue 17): anyone who sees a request adds colleagues of the company; followers see it
// (canView), comment (never internal notes) and hear of it by their preferences; they can stop following.
import type { Actor } from '../auth/index.js';
import { dueBadge } from '../calendar/index.js';
import { ForbiddenError, ValidationError } from '../web/errors.js';
import { paginatedWithTotal } from '../web/pagination.js';
import { deleteFollower, followingPage, insertFollower } from './follower-queries.js';
import { canAddFollowers, canRemoveFollower } from './policy.js';
import { loadVisibleState, type Deps } from './service.js';

/** Adds a colleague (by email) as a follower of a request the actor sees. */
export async function addFollower(deps: Deps, actor: Actor, requestId: number, input: { email: string }) {
  const state = await loadVisibleState(deps.db, actor, requestId);
  if (!canAddFollowers(actor, state)) throw new ForbiddenError('followers.forbidden');
  const added = await insertFollower(deps.db, {
    companyId: actor.companyId,
    requestId: state.id,
    email: input.email,
    addedById: actor.id,
    now: deps.clock(),
  });
  if (added.personId === null) throw new ValidationError({ email: 'followers.errors.unknown' });
  if (added.requester) throw new ValidationError({ email: 'followers.errors.requester' });
  return { number: state.number };
}

/** Stops following (oneself), or takes a follower off (a participant). */
export async function removeFollower(deps: Deps, actor: Actor, requestId: number, userId: number) {
  const state = await loadVisibleState(deps.db, actor, requestId);
  if (!canRemoveFollower(actor, state, userId)) throw new ForbiddenError('followers.forbidden');
  await deleteFollower(deps.db, actor.companyId, state.id, userId);
  return { number: state.number, self: userId === actor.id };
}

/** "Siguiendo": the requests the person follows, one page, with their due badges. */
export async function followingList(deps: Deps, actor: Actor, page: number) {
  const list = await paginatedWithTotal(page, (window) => followingPage(deps.db, actor.companyId, actor.id, window));
  const now = deps.clock();
  return { ...list, items: list.items.map((r) => ({ ...r, due: dueBadge(r, now, actor.timezone) })) };
}
