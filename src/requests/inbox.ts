// Inboxes: which requests each role sees, in which tabs (the statements are in inbox-queries.ts).
import { dueBadge, type DueBadge } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import type { RequestStatus } from '../generated/prisma/client.js';
import type { Actor } from '../auth/index.js';
import { SEARCH_LIMIT, searchRequests, type RequestScope } from '../conversation/index.js';
import { paginated, type Paginated } from '../web/pagination.js';
import type { InboxFilters } from './filters.js';
import {
  ALL_STATUSES,
  filterOptions,
  lanePage,
  laneCounts,
  type Lane,
  type LaneFilters,
  type RequestRow,
} from './inbox-queries.js';

export type { RequestRow } from './inbox-queries.js';

export interface Tab {
  key: string;
  statuses: RequestStatus[] | null;
  count: number;
}

/** A row of a list with its due badge (none when no due date applies). */
export type InboxRow = RequestRow & { due: DueBadge | null };

export interface InboxPage extends Paginated<InboxRow> {
  tabs: Tab[];
  tab: Tab;
  /** When the search matched more requests than it returns, that limit (the tabs hold its newest matches). */
  searchCapped: number | null;
}

/** The lane (indexed column and its values) a scope reads. */
export function laneOf(actor: Actor, scope: RequestScope): Lane {
  if (scope.requesterId !== undefined) return { column: 'requester_id', keys: [scope.requesterId] };
  if (scope.requesterUnitIds) return { column: 'requester_unit_id', keys: scope.requesterUnitIds };
  if (scope.serviceAreaIds) return { column: 'service_area_id', keys: scope.serviceAreaIds };
  if (scope.authorizerUnitIds)
    return { column: 'authorizer_unit_id', keys: scope.authorizerUnitIds, awaitingAdmins: scope.awaitingAdmins };
  return { column: 'company_id', keys: [actor.companyId] };
}

/** The filters of the page; text is a full-text search (Spanish, accent-insensitive, visible comments included). */
export async function laneFilters(db: Db, actor: Actor, scope: RequestScope, f: InboxFilters): Promise<LaneFilters> {
  const { unitId, categoryId, priority, from, to, number, ticketNumber, sort } = f;
  const found = f.text ? await searchRequests(db, actor, scope, f.text) : undefined;
  const requestIds = found?.ids;
  return { unitId, categoryId, priority, from, to, number, ticketNumber, requestIds, searchCapped: found?.more, sort };
}

async function inbox(
  { db, clock }: InboxDeps,
  actor: Actor,
  scope: RequestScope,
  order: [string, RequestStatus[] | null][],
  filters: InboxFilters,
  defaultKey = ALL[0],
): Promise<InboxPage> {
  const lane = laneOf(actor, scope);
  const narrowed = await laneFilters(db, actor, scope, filters);
  const byStatus = await laneCounts(db, actor.companyId, lane, narrowed);
  const count = (statuses: RequestStatus[]) => statuses.reduce((n, s) => n + (byStatus.get(s) ?? 0), 0);
  const tabs: Tab[] = order.map(([key, statuses]) => ({ key, statuses, count: count(statuses ?? ALL_STATUSES) }));
  const tab = tabs.find((t) => t.key === filters.tab) ?? tabs.find((t) => t.key === defaultKey)!;
  const list = await paginated(
    filters.page,
    async () => tab.count,
    (window) => lanePage(db, actor.companyId, lane, tab.statuses ?? ALL_STATUSES, narrowed, window),
  );
  const now = clock();
  const items = list.items.map((r) => ({ ...r, due: dueBadge(r, now, actor.timezone) }));
  return { tabs, tab, ...list, items, searchCapped: narrowed.searchCapped ? SEARCH_LIMIT : null };
}

/** "Todas" comes first in every inbox's tab strip; a role's inbox may open on another tab. */
const ALL: [string, null] = ['todas', null];

export interface InboxDeps {
  db: Db;
  clock: () => Date;
}

/** "Mis solicitudes": the person's own requests. */
export function myRequests(deps: InboxDeps, actor: Actor, filters: InboxFilters) {
  return inbox(
    deps,
    actor,
    { requesterId: actor.id },
    [
      ALL,
      ['pendientes', ['PENDING']],
      ['autorizadas', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ],
    filters,
  );
}

/**
 * "Autorizaciones": the requests whose expected authorizer is the head of a unit the person heads (also as a
 * substitute) and, for an admin, those the administrators authorize; pending-to-authorize first.
 */
export function unitInbox(deps: InboxDeps, actor: Actor, filters: InboxFilters) {
  return inbox(
    deps,
    actor,
    { authorizerUnitIds: actor.headedUnitIds, awaitingAdmins: actor.isCompanyAdmin },
    [
      ALL,
      ['pendientes', ['PENDING']],
      ['autorizadas', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ],
    filters,
    'pendientes',
  );
}

/** Services head: every request sent to their area(s), authorized-awaiting-decision first. */
export function servicesInbox(deps: InboxDeps, actor: Actor, filters: InboxFilters) {
  return inbox(
    deps,
    actor,
    { serviceAreaIds: actor.servicesAreaIds },
    [
      ALL,
      ['por-decidir', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
      ['en-unidad', ['PENDING']],
    ],
    filters,
    'por-decidir',
  );
}

/** Company admin: every request of the company (read-only). */
export function companyRequests(deps: InboxDeps, actor: Actor, filters: InboxFilters) {
  return inbox(
    deps,
    actor,
    {},
    [
      ALL,
      ['pendientes', ['PENDING']],
      ['por-decidir', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ],
    filters,
  );
}

const INBOXES = { mine: myRequests, unit: unitInbox, services: servicesInbox, company: companyRequests };
export type InboxKind = keyof typeof INBOXES;

type Options = Awaited<ReturnType<typeof filterOptions>>;

/** One inbox page and, when the page offers them, the units and categories to filter by. */
export async function loadInbox(
  deps: InboxDeps,
  actor: Actor,
  input: { kind: InboxKind; filters: InboxFilters; withOptions: boolean },
): Promise<{ result: InboxPage; options: Options }> {
  const result = await INBOXES[input.kind](deps, actor, input.filters);
  const options = input.withOptions ? await filterOptions(deps.db, actor.companyId) : { units: [], categories: [] };
  return { result, options };
}
