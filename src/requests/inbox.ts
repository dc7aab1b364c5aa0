// Inboxes: which requests each role sees, in which tabs (the statements are in inbox-queries.ts).
import { dueBadge, type DueBadge } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import type { RequestStatus } from '../generated/prisma/client.js';
import type { Actor } from '../auth/index.js';
import { SEARCH_LIMIT, searchRequests, type RequestScope } from '../conversation/index.js';
import { PAGE_SIZE, paginate, paginated, type Paginated } from '../web/pagination.js';
import type { InboxFilters } from './filters.js';
import {
  ALL_STATUSES,
  lanePage,
  laneSummary,
  type FilterOptions,
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

/** An inbox: whose requests it reads, its tabs in order (key, states; null: every state) and the tab it opens on. */
interface InboxDefinition {
  scope: (actor: Actor) => RequestScope;
  tabs: [string, RequestStatus[] | null][];
  opensOn?: string;
}

/** "Todas" comes first in every inbox's tab strip; a role's inbox may open on another tab. */
const ALL: [string, null] = ['todas', null];

const INBOXES = {
  /** "Mis solicitudes": the person's own requests. */
  mine: {
    scope: (actor) => ({ requesterId: actor.id }),
    tabs: [
      ALL,
      ['pendientes', ['PENDING']],
      ['autorizadas', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ],
  },
  /**
   * "Autorizaciones": the requests whose expected authorizer is the head of a unit the person heads (also as a
   * substitute) and, for an admin, those the administrators authorize; pending-to-authorize first.
   */
  unit: {
    scope: (actor) => ({ authorizerUnitIds: actor.headedUnitIds, awaitingAdmins: actor.isCompanyAdmin }),
    tabs: [
      ALL,
      ['pendientes', ['PENDING']],
      ['autorizadas', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ],
    opensOn: 'pendientes',
  },
  /** Services head: every request sent to their area(s), authorized-awaiting-decision first. */
  services: {
    scope: (actor) => ({ serviceAreaIds: actor.servicesAreaIds }),
    tabs: [
      ALL,
      ['por-decidir', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
      ['en-unidad', ['PENDING']],
    ],
    opensOn: 'por-decidir',
  },
  /** Company admin: every request of the company (read-only). */
  company: {
    scope: () => ({}),
    tabs: [
      ALL,
      ['pendientes', ['PENDING']],
      ['por-decidir', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ],
  },
} satisfies Record<string, InboxDefinition>;

export type InboxKind = keyof typeof INBOXES;

export interface InboxDeps {
  db: Db;
  clock: () => Date;
}

const NO_OPTIONS: FilterOptions = { units: [], categories: [] };

/**
 * One inbox page and, when the page offers them, the units and categories to filter by. The first page is read with
 * the counts and the options, in their statement; a later page after them, its window clamped to the tab's count (a
 * link to page 500 of a tab that has shrunk shows its last page, without reading 500 pages to find out).
 */
export async function loadInbox(
  { db, clock }: InboxDeps,
  actor: Actor,
  input: { kind: InboxKind; filters: InboxFilters; withOptions: boolean },
): Promise<{ result: InboxPage; options: FilterOptions }> {
  const { filters } = input;
  const definition: InboxDefinition = INBOXES[input.kind];
  const scope = definition.scope(actor);
  const lane = laneOf(actor, scope);
  const narrowed = await laneFilters(db, actor, scope, filters);
  const opensOn = definition.opensOn ?? ALL[0];
  const [tabKey, tabStatuses] =
    definition.tabs.find(([key]) => key === filters.tab) ?? definition.tabs.find(([key]) => key === opensOn)!;
  const statuses = tabStatuses ?? ALL_STATUSES;
  const first = filters.page === 1 ? { statuses, skip: 0, take: PAGE_SIZE } : undefined;
  const summary = await laneSummary(db, actor.companyId, lane, narrowed, { options: input.withOptions, page: first });
  const count = (states: RequestStatus[]) => states.reduce((n, s) => n + (summary.byStatus.get(s) ?? 0), 0);
  const tabs: Tab[] = definition.tabs.map(([key, states]) => ({
    key,
    statuses: states,
    count: count(states ?? ALL_STATUSES),
  }));
  const tab = tabs.find((t) => t.key === tabKey)!;
  const list = summary.page
    ? { items: summary.page, page: paginate(tab.count, 1) }
    : await paginated(
        filters.page,
        async () => tab.count,
        (window) => lanePage(db, actor.companyId, lane, narrowed, { statuses, ...window }),
      );
  const now = clock();
  const items = list.items.map((r) => ({ ...r, due: dueBadge(r, now, actor.timezone) }));
  const result = { tabs, tab, ...list, items, searchCapped: narrowed.searchCapped ? SEARCH_LIMIT : null };
  return { result, options: summary.options ?? NO_OPTIONS };
}
