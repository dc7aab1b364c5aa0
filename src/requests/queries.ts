// Inbox queries. Every one is scoped by company inside the query, paginated, and
// shaped to use an index that leads with company_id (see prisma/schema.prisma).
import type { Db } from '../db/client.js';
import type { Prisma, RequestStatus } from '../generated/prisma/client.js';
import type { Actor } from '../org/actor.js';
import { scopeWhere, searchRequestIds, type RequestScope } from '../conversation/search.js';
import { paginate } from '../web/pagination.js';
import type { InboxFilters } from './filters.js';

export const listSelect = {
  id: true,
  number: true,
  title: true,
  status: true,
  priority: true,
  createdAt: true,
  requester: { select: { name: true } },
  requesterUnit: { select: { name: true } },
  category: { select: { name: true } },
  ticket: { select: { status: true, number: true, worker: { select: { name: true } } } },
} satisfies Prisma.RequestSelect;

export type RequestRow = Prisma.RequestGetPayload<{ select: typeof listSelect }>;

export interface Tab {
  key: string;
  statuses: RequestStatus[] | null;
  count: number;
}

/** Tabs of an inbox: state groups in display order, with their counts (one grouped query). */
async function tabsWithCounts(db: Db, where: Prisma.RequestWhereInput, order: [string, RequestStatus[] | null][]): Promise<Tab[]> {
  const groups = await db.request.groupBy({ by: ['status'], where, _count: { _all: true } });
  const byStatus = new Map(groups.map((g) => [g.status, g._count._all]));
  const total = groups.reduce((n, g) => n + g._count._all, 0);
  return order.map(([key, statuses]) => ({
    key,
    statuses,
    count: statuses ? statuses.reduce((n, s) => n + (byStatus.get(s) ?? 0), 0) : total,
  }));
}

export interface InboxPage {
  tabs: Tab[];
  tab: Tab;
  rows: RequestRow[];
  page: ReturnType<typeof paginate>;
}

async function inbox(db: Db, actor: Actor, scope: RequestScope, order: [string, RequestStatus[] | null][], filters: InboxFilters): Promise<InboxPage> {
  const narrowed: Prisma.RequestWhereInput = { ...scopeWhere(actor.companyId, scope), ...filterWhere(filters) };
  // Text: full-text search (Spanish, accent-insensitive, visible comments included).
  if (!filters.number && filters.text) narrowed.id = { in: await searchRequestIds(db, actor, scope, filters.text) };
  const tabs = await tabsWithCounts(db, narrowed, order);
  const tab = tabs.find((t) => t.key === filters.tab) ?? tabs[0]!;
  const where: Prisma.RequestWhereInput = tab.statuses ? { ...narrowed, status: { in: tab.statuses } } : narrowed;
  const page = paginate(tab.count, filters.page);
  const rows = await db.request.findMany({
    where,
    select: listSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: page.skip,
    take: page.take,
  });
  return { tabs, tab, rows, page };
}

function filterWhere(f: InboxFilters): Prisma.RequestWhereInput {
  const where: Prisma.RequestWhereInput = {};
  if (f.unitId) where.requesterUnitId = f.unitId;
  if (f.categoryId) where.categoryId = f.categoryId;
  if (f.priority) where.priority = f.priority;
  if (f.from || f.to) where.createdAt = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) };
  if (f.number) where.number = f.number;
  return where;
}

const ALL: [string, null] = ['todas', null];

/** "Mis solicitudes": the person's own requests. */
export function myRequests(db: Db, actor: Actor, filters: InboxFilters) {
  return inbox(db, actor, { requesterId: actor.id }, [
    ALL,
    ['pendientes', ['PENDING']],
    ['autorizadas', ['AUTHORIZED']],
    ['en-atencion', ['APPROVED']],
    ['finalizadas', ['FINALIZED']],
    ['rechazadas', ['REJECTED']],
    ['canceladas', ['CANCELLED']],
  ], filters);
}

/** Unit head: the requests of the staff of the units they head, pending-to-authorize first. */
export function unitInbox(db: Db, actor: Actor, filters: InboxFilters) {
  return inbox(db, actor, { requesterUnitIds: actor.headedUnitIds }, [
    ['pendientes', ['PENDING']],
    ['autorizadas', ['AUTHORIZED']],
    ['en-atencion', ['APPROVED']],
    ['finalizadas', ['FINALIZED']],
    ['rechazadas', ['REJECTED']],
    ['canceladas', ['CANCELLED']],
    ALL,
  ], filters);
}

/** Services head: every request sent to their area(s), authorized-awaiting-decision first. */
export function servicesInbox(db: Db, actor: Actor, filters: InboxFilters) {
  return inbox(db, actor, { serviceAreaIds: actor.servicesAreaIds }, [
    ['por-decidir', ['AUTHORIZED']],
    ['en-atencion', ['APPROVED']],
    ['finalizadas', ['FINALIZED']],
    ['rechazadas', ['REJECTED']],
    ['canceladas', ['CANCELLED']],
    ['en-unidad', ['PENDING']],
    ALL,
  ], filters);
}

/** Company admin: every request of the company (read-only). */
export function companyRequests(db: Db, actor: Actor, filters: InboxFilters) {
  return inbox(db, actor, {}, [
    ALL,
    ['pendientes', ['PENDING']],
    ['por-decidir', ['AUTHORIZED']],
    ['en-atencion', ['APPROVED']],
    ['finalizadas', ['FINALIZED']],
    ['rechazadas', ['REJECTED']],
    ['canceladas', ['CANCELLED']],
  ], filters);
}

/** Navigation badges: what waits for this person. */
export function pendingToAuthorize(db: Db, actor: Actor) {
  return db.request.count({ where: { companyId: actor.companyId, requesterUnitId: { in: actor.headedUnitIds }, status: 'PENDING' } });
}
export function awaitingDecision(db: Db, actor: Actor) {
  return db.request.count({ where: { companyId: actor.companyId, serviceAreaId: { in: actor.servicesAreaIds }, status: 'AUTHORIZED' } });
}
