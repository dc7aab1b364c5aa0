// Inboxes: which requests each role sees, in which tabs. Every query is scoped by
// company inside the query and paginated (the SQL is in inbox-sql.ts).
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma, type RequestStatus } from '../generated/prisma/client.js';
import type { Actor } from '../org/actor.js';
import { searchRequestIds, type RequestScope } from '../conversation/search.js';
import { paginate } from '../web/pagination.js';
import type { InboxFilters } from './filters.js';
import { ALL_STATUSES, lanePage, laneCounts, type Lane, type RequestRow } from './inbox-sql.js';

export type { RequestRow } from './inbox-sql.js';

export interface Tab {
  key: string;
  statuses: RequestStatus[] | null;
  count: number;
}

export interface InboxPage {
  tabs: Tab[];
  tab: Tab;
  rows: RequestRow[];
  page: ReturnType<typeof paginate>;
}

/** The lane (indexed column and its values) a scope reads. */
function laneOf(actor: Actor, scope: RequestScope): Lane {
  if (scope.requesterId !== undefined) return { column: 'requester_id', keys: [scope.requesterId] };
  if (scope.requesterUnitIds) return { column: 'requester_unit_id', keys: scope.requesterUnitIds };
  if (scope.serviceAreaIds) return { column: 'service_area_id', keys: scope.serviceAreaIds };
  return { column: 'company_id', keys: [actor.companyId] };
}

/** The inbox filters as conditions on `r`. */
async function filterSql(db: Db, actor: Actor, scope: RequestScope, f: InboxFilters): Promise<Prisma.Sql[]> {
  const conds: Prisma.Sql[] = [];
  if (f.unitId) conds.push(Prisma.sql`r.requester_unit_id = ${f.unitId}`);
  if (f.categoryId) conds.push(Prisma.sql`r.category_id = ${f.categoryId}`);
  if (f.priority) conds.push(Prisma.sql`r.priority = ${f.priority}::"Priority"`);
  if (f.from) conds.push(Prisma.sql`r.created_at >= ${f.from}`);
  if (f.to) conds.push(Prisma.sql`r.created_at < ${f.to}`);
  if (f.number) conds.push(Prisma.sql`r.number = ${f.number}`);
  // Text: full-text search (Spanish, accent-insensitive, visible comments included).
  else if (f.text) conds.push(Prisma.sql`r.id = ANY(${await searchRequestIds(db, actor, scope, f.text)}::int[])`);
  return conds;
}

async function inbox(
  db: Db,
  actor: Actor,
  scope: RequestScope,
  order: [string, RequestStatus[] | null][],
  filters: InboxFilters,
): Promise<InboxPage> {
  const lane = laneOf(actor, scope);
  const conds = await filterSql(db, actor, scope, filters);
  const byStatus = await laneCounts(db, actor.companyId, lane, conds);
  const count = (statuses: RequestStatus[]) => statuses.reduce((n, s) => n + (byStatus.get(s) ?? 0), 0);
  const tabs: Tab[] = order.map(([key, statuses]) => ({ key, statuses, count: count(statuses ?? ALL_STATUSES) }));
  const tab = tabs.find((t) => t.key === filters.tab) ?? tabs[0]!;
  const page = paginate(tab.count, filters.page);
  const rows =
    tab.count === 0
      ? []
      : await lanePage(db, actor.companyId, lane, tab.statuses ?? ALL_STATUSES, conds, page.skip, page.take);
  return { tabs, tab, rows, page };
}

const ALL: [string, null] = ['todas', null];

/** "Mis solicitudes": the person's own requests. */
export function myRequests(db: Db, actor: Actor, filters: InboxFilters) {
  return inbox(
    db,
    actor,
    { requesterId: actor.id },
    [
      ALL,
      ['pendientes', ['PENDING']],
      ['autorizadas', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ],
    filters,
  );
}

/** Unit head: the requests of the staff of the units they head, pending-to-authorize first. */
export function unitInbox(db: Db, actor: Actor, filters: InboxFilters) {
  return inbox(
    db,
    actor,
    { requesterUnitIds: actor.headedUnitIds },
    [
      ['pendientes', ['PENDING']],
      ['autorizadas', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
      ALL,
    ],
    filters,
  );
}

/** Services head: every request sent to their area(s), authorized-awaiting-decision first. */
export function servicesInbox(db: Db, actor: Actor, filters: InboxFilters) {
  return inbox(
    db,
    actor,
    { serviceAreaIds: actor.servicesAreaIds },
    [
      ['por-decidir', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
      ['en-unidad', ['PENDING']],
      ALL,
    ],
    filters,
  );
}

/** Company admin: every request of the company (read-only). */
export function companyRequests(db: Db, actor: Actor, filters: InboxFilters) {
  return inbox(
    db,
    actor,
    {},
    [
      ALL,
      ['pendientes', ['PENDING']],
      ['por-decidir', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ],
    filters,
  );
}

type Option = { id: number; name: string };

/** The units and categories the inbox filters offer (one statement). */
export async function filterOptions(db: Db, companyId: number): Promise<{ units: Option[]; categories: Option[] }> {
  const [row] = await rows<{ units: Option[]; categories: Option[] }>(
    db,
    Prisma.sql`
    SELECT COALESCE((SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY name)
                       FROM (SELECT id, name FROM units WHERE company_id = ${companyId} AND kind = 'REGULAR' ORDER BY name LIMIT 500) u), '[]') AS units,
           COALESCE((SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY name)
                       FROM (SELECT id, name FROM categories WHERE company_id = ${companyId} ORDER BY name LIMIT 500) c), '[]') AS categories`,
  );
  return row!;
}
