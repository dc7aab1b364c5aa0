// The ticket trays' use cases: which tickets each tray shows, in which tabs (the
// statements are in queries.ts).
import { dueBadge } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import type { TicketStatus } from '../generated/prisma/client.js';
import type { Actor } from '../auth/index.js';
import { SEARCH_LIMIT, searchRequests, type RequestScope } from '../conversation/index.js';
import { loadDetail, parseRequestNumber, parseTicketNumber } from '../requests/index.js';
import { NotFoundError } from '../web/errors.js';
import { PAGE_SIZE, paginate, paginated } from '../web/pagination.js';
import { ticketRequestId, trayPage, traySummary, type TraySearch, type TrayScope } from './queries.js';

export interface TicketDeps {
  db: Db;
  clock: () => Date;
}

export interface TrayInput {
  tab?: string;
  page: number;
  /** The search box: a request number, or words matched by the inbox full-text search. */
  q?: string;
  /** 'due': by the request's resolution due date. */
  sort?: 'due';
}

const TICKET_TABS: [string, TicketStatus][] = [
  ['asignados', 'ASSIGNED'],
  ['en-ejecucion', 'IN_PROGRESS'],
  ['finalizados', 'DONE'],
];

async function traySearch(db: Db, actor: Actor, scope: RequestScope, q: string | undefined): Promise<TraySearch> {
  if (!q) return null;
  const requestNumber = parseRequestNumber(q);
  if (requestNumber !== undefined) return { requestNumber };
  const ticketNumber = parseTicketNumber(q);
  if (ticketNumber !== undefined) return { ticketNumber };
  const found = await searchRequests(db, actor, scope, q);
  return { requestIds: found.ids, more: found.more };
}

/**
 * A tray page. Its first page is read with the counts, in their statement, for the tab asked for or else the first
 * one; when the tray opens on another tab (the first has nothing in it), or on a later page, that page is read after
 * the counts, its window clamped to the tab's count.
 */
async function ticketTray(
  { db, clock }: TicketDeps,
  actor: Actor,
  scope: TrayScope,
  search: TraySearch,
  input: TrayInput,
  workersOf?: number[],
) {
  const { sort } = input;
  const asked = TICKET_TABS.find(([key]) => key === input.tab) ?? TICKET_TABS[0]!;
  const first = input.page === 1 ? { status: asked[1], skip: 0, take: PAGE_SIZE, sort } : undefined;
  const summary = await traySummary(db, actor.companyId, scope, search, { page: first, workersOf });
  const tabs = TICKET_TABS.map(([key, status]) => ({ key, status, count: summary.byStatus.get(status) ?? 0 }));
  // Unless one is asked for, the first tab with work in it (in progress when nothing waits to be started).
  const tab = tabs.find((t) => t.key === input.tab) ?? tabs.find((t) => t.count > 0) ?? tabs[0]!;
  const list =
    summary.page && tab.status === first?.status
      ? { items: summary.page, page: paginate(tab.count, 1) }
      : await paginated(
          input.page,
          async () => tab.count,
          (window) => trayPage(db, actor.companyId, scope, search, { status: tab.status, ...window, sort }),
        );
  const now = clock();
  const items = list.items.map((t) => ({ ...t, due: dueBadge(t.request, now, actor.timezone) }));
  // When the search matched more requests than it returns, that limit (the tabs hold its newest matches).
  const searchCapped = search && 'more' in search && search.more ? SEARCH_LIMIT : null;
  return { tray: { tabs, tab, ...list, items, searchCapped }, workers: summary.workers ?? [] };
}

/** "Mis tickets": assigned first, then in progress, then done. */
export async function myTickets(deps: TicketDeps, actor: Actor, input: TrayInput) {
  const search = await traySearch(deps.db, actor, { workerId: actor.id }, input.q);
  return (await ticketTray(deps, actor, { column: 'worker_id', keys: [actor.id] }, search, input)).tray;
}

/**
 * The services head's tray: tickets of their area(s) by state, optionally of one worker, and the areas' workers with
 * their loads (read in the statement of the counts).
 */
export async function areaTickets(deps: TicketDeps, actor: Actor, input: TrayInput & { workerId?: number }) {
  const { db } = deps;
  const search = await traySearch(db, actor, { serviceAreaIds: actor.servicesAreaIds }, input.q);
  const scope: TrayScope = input.workerId
    ? { column: 'worker_id', keys: [input.workerId], areaIds: actor.servicesAreaIds }
    : { column: 'service_area_id', keys: actor.servicesAreaIds };
  const { tray, workers } = await ticketTray(deps, actor, scope, search, input, actor.servicesAreaIds);
  return { result: tray, workers };
}

/** A ticket with its request, for whoever may see that request (the requests' rule); anything else is a 404. */
export async function loadTicket(deps: TicketDeps, actor: Actor, input: { id: number }) {
  const requestId = await ticketRequestId(deps.db, actor.companyId, input.id);
  if (requestId === null) throw new NotFoundError();
  const { request } = await loadDetail(deps, actor, requestId);
  if (!request.ticket) throw new NotFoundError();
  return { ticket: request.ticket, request };
}
