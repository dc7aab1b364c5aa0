// The requests of an inbox for the API: the same lanes, scopes and filters as the inbox pages (inbox.ts), read
// newest first by keyset (after the last row a client saw) instead of by page number.
import type { Actor } from '../auth/index.js';
import { authorizes, isCompanyAdmin, isServicesHead } from '../auth/index.js';
import type { RequestScope } from '../conversation/index.js';
import type { RequestStatus } from '../generated/prisma/client.js';
import { ForbiddenError } from '../web/errors.js';
import type { InboxFilters } from './filters.js';
import { laneFilters, laneOf, type InboxDeps, type InboxKind } from './inbox.js';
import { ALL_STATUSES, lanePage, type RequestRow } from './inbox-queries.js';

/** Each inbox's scope and who may read it (the pages' guards). */
const FEEDS: Record<InboxKind, { allowed: (a: Actor) => boolean; scope: (a: Actor) => RequestScope; key: string }> = {
  mine: { allowed: () => true, scope: (a) => ({ requesterId: a.id }), key: 'errors.forbidden.body' },
  unit: {
    allowed: authorizes,
    scope: (a) => ({ authorizerUnitIds: a.headedUnitIds, awaitingAdmins: a.isCompanyAdmin }),
    key: 'requests.forbidden.authorize',
  },
  services: {
    allowed: isServicesHead,
    scope: (a) => ({ serviceAreaIds: a.servicesAreaIds }),
    key: 'requests.forbidden.approve',
  },
  company: { allowed: isCompanyAdmin, scope: () => ({}), key: 'errors.forbidden.body' },
};

export interface FeedInput {
  kind: InboxKind;
  statuses?: RequestStatus[];
  filters: Omit<InboxFilters, 'page' | 'tab' | 'sort'>;
  after?: { createdAt: Date; id: number };
  limit: number;
}

/** Up to `limit` requests of the inbox after `after`, and whether more follow. */
export async function requestFeed(
  { db }: InboxDeps,
  actor: Actor,
  input: FeedInput,
): Promise<{ items: RequestRow[]; hasMore: boolean }> {
  const feed = FEEDS[input.kind];
  if (!feed.allowed(actor)) throw new ForbiddenError(feed.key);
  const scope = feed.scope(actor);
  const narrowed = await laneFilters(db, actor, scope, { ...input.filters, page: 1 });
  const statuses = input.statuses?.length ? input.statuses : ALL_STATUSES;
  const rows = await lanePage(
    db,
    actor.companyId,
    laneOf(actor, scope),
    { ...narrowed, after: input.after },
    { statuses, skip: 0, take: input.limit + 1 },
  );
  return { items: rows.slice(0, input.limit), hasMore: rows.length > input.limit };
}
