import type { Db } from '../db/client.js';
import type { Prisma, TicketStatus } from '../generated/prisma/client.js';
import type { Actor } from '../org/actor.js';
import { searchRequestIds, type RequestScope } from '../conversation/search.js';
import { parseRequestNumber } from '../requests/filters.js';
import { paginate } from '../web/pagination.js';

const ticketSelect = {
  id: true,
  number: true,
  status: true,
  assignedAt: true,
  startedAt: true,
  finishedAt: true,
  needsReassignment: true,
  instructions: true,
  worker: { select: { id: true, name: true } },
  request: { select: { id: true, number: true, title: true, priority: true, requesterUnit: { select: { name: true } }, category: { select: { name: true } } } },
} satisfies Prisma.TicketSelect;

export type TicketRow = Prisma.TicketGetPayload<{ select: typeof ticketSelect }>;

const TICKET_TABS: [string, TicketStatus][] = [
  ['asignados', 'ASSIGNED'],
  ['en-ejecucion', 'IN_PROGRESS'],
  ['finalizados', 'DONE'],
];

/** The tray's search box: a request number, or words matched by the inbox full-text search. */
async function searchWhere(db: Db, actor: Actor, scope: RequestScope, q: string | undefined): Promise<Prisma.TicketWhereInput> {
  if (!q) return {};
  const number = parseRequestNumber(q);
  if (number !== undefined) return { request: { is: { number } } };
  return { requestId: { in: await searchRequestIds(db, actor, scope, q) } };
}

async function ticketTray(db: Db, scope: Prisma.TicketWhereInput, tabKey: string | undefined, requestedPage: number) {
  const groups = await db.ticket.groupBy({ by: ['status'], where: scope, _count: { _all: true } });
  const counts = new Map(groups.map((g) => [g.status, g._count._all]));
  const tabs = TICKET_TABS.map(([key, status]) => ({ key, status, count: counts.get(status) ?? 0 }));
  const tab = tabs.find((t) => t.key === tabKey) ?? tabs[0]!;
  const page = paginate(tab.count, requestedPage);
  const rows = await db.ticket.findMany({
    where: { ...scope, status: tab.status },
    select: ticketSelect,
    orderBy: [{ assignedAt: 'desc' }, { id: 'desc' }],
    skip: page.skip,
    take: page.take,
  });
  return { tabs, tab, rows, page };
}

/** "Mis tickets": assigned first, then in progress, then done. */
export async function myTickets(db: Db, actor: Actor, tab: string | undefined, page: number, q?: string) {
  const search = await searchWhere(db, actor, { workerId: actor.id }, q);
  return ticketTray(db, { companyId: actor.companyId, workerId: actor.id, ...search }, tab, page);
}

/** The services head's tray: tickets of their area(s) by state, optionally of one worker. */
export async function areaTickets(db: Db, actor: Actor, tab: string | undefined, page: number, workerId?: number, q?: string) {
  const search = await searchWhere(db, actor, { serviceAreaIds: actor.servicesAreaIds }, q);
  return ticketTray(db, { companyId: actor.companyId, serviceAreaId: { in: actor.servicesAreaIds }, ...(workerId ? { workerId } : {}), ...search }, tab, page);
}

/** Active workers of a service area with their open-ticket load (staff availability), lightest first. */
export async function workersWithLoad(db: Db, companyId: number, serviceAreaId: number) {
  const workers = await db.user.findMany({
    where: { companyId, unitId: serviceAreaId, isWorker: true, active: true },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
  });
  if (workers.length === 0) return [];
  const loads = await db.ticket.groupBy({
    by: ['workerId', 'status'],
    where: { companyId, workerId: { in: workers.map((w) => w.id) }, status: { in: ['ASSIGNED', 'IN_PROGRESS'] } },
    _count: { _all: true },
  });
  return workers
    .map((w) => {
      const of = (s: TicketStatus) => loads.find((l) => l.workerId === w.id && l.status === s)?._count._all ?? 0;
      const assigned = of('ASSIGNED');
      const inProgress = of('IN_PROGRESS');
      return { ...w, assigned, inProgress, open: assigned + inProgress };
    })
    .sort((a, b) => a.open - b.open || a.name.localeCompare(b.name));
}

/** Workers of the actor's areas (for the tray's worker filter), with their open load. */
export async function areaWorkers(db: Db, actor: Actor) {
  const lists = await Promise.all(actor.servicesAreaIds.map((areaId) => workersWithLoad(db, actor.companyId, areaId)));
  return lists.flat();
}

export function openTicketsOf(db: Db, actor: Actor) {
  return db.ticket.count({ where: { companyId: actor.companyId, workerId: actor.id, status: { in: ['ASSIGNED', 'IN_PROGRESS'] } } });
}
