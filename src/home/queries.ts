// Statements of the home page (Prisma where it reads well, raw SQL where measured faster: the to-do is ONE statement
// of key probes on the inboxes' indexes, a few rows per list whatever the company's volume).
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma, type Priority, type RequestStatus, type TicketStatus } from '../generated/prisma/client.js';

export interface OrgProblems {
  /** Active units and service areas with no active head: their requests have nobody to act (shown first 20). */
  headless: { id: number; name: string }[];
  /** Active people without a unit: they cannot submit requests (first 20, and how many in all). */
  unitless: { id: number; name: string }[];
  unitlessCount: number;
}

/** A request as a to-do list shows it. */
export interface TodoRow {
  id: number;
  number: number;
  title: string;
  status: RequestStatus;
  priority: Priority;
  createdAt: Date;
  requesterName: string;
  /** The unit or service area it waits on (to mark a substitute's "en reemplazo de"). */
  unitId: number | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  onHoldSince: Date | null;
  ticket: { number: number; status: TicketStatus; workerName: string } | null;
  /** Who it waits on (the requester's own open requests): the unit or area, and its active head. */
  authorizerUnit: { name: string; headName: string | null } | null;
  awaitingAdmins: boolean;
  serviceArea: { name: string };
  areaHeadName: string | null;
}

export interface TodoLists {
  toAuthorize: TodoRow[];
  toDecide: TodoRow[];
  tickets: TodoRow[];
  mine: TodoRow[];
  following: TodoRow[];
  mineOpen: number;
  followingCount: number;
}

/** How many rows each list shows (its count says how many wait in all). */
export const TODO_ROWS = 5;

/**
 * The columns of a to-do row of `r` (a requests row of company `c`), as JSON. Every table names the company: on Citus
 * the statement is answered by the company's shard. The company is a parameter, so every company shares one
 * statement text (a literal made one prepared statement per company and connection, each ~9 KB kept in the app).
 */
const ROW = (c: number) => Prisma.sql`json_build_object(
  'id', r.id, 'number', r.number, 'title', r.title, 'status', r.status, 'priority', r.priority,
  'createdAt', r.created_at, 'unitId', r.unit_id, 'responseDueAt', r.response_due_at,
  'resolutionDueAt', r.resolution_due_at, 'onHoldSince', r.on_hold_since, 'awaitingAdmins', r.awaiting_admins,
  'requesterName', (SELECT name FROM users WHERE company_id = ${c}::int AND id = r.requester_id),
  'serviceArea', json_build_object('name',
    (SELECT name FROM units WHERE company_id = ${c}::int AND id = r.service_area_id)),
  'ticket', (SELECT json_build_object('number', t.number, 'status', t.status, 'workerName',
                (SELECT name FROM users WHERE company_id = ${c}::int AND id = t.worker_id))
               FROM tickets t WHERE t.company_id = ${c}::int AND t.request_id = r.id))`;

/** A requester's row also says whom it waits on (key probes of the authorizer unit and the area). */
const WAITING_ROW = (c: number) =>
  Prisma.sql`(${ROW(c)}::jsonb || jsonb_build_object(
  'authorizerUnit', (SELECT json_build_object('name', g.name, 'headName', h.name) FROM units g
                       LEFT JOIN users h ON h.company_id = ${c}::int AND h.id = g.head_id AND h.active
                      WHERE g.company_id = ${c}::int AND g.id = r.authorizer_unit_id),
  'areaHeadName', (SELECT h.name FROM units g JOIN users h ON h.company_id = ${c}::int AND h.id = g.head_id
                                                         AND h.active
                     WHERE g.company_id = ${c}::int AND g.id = r.service_area_id)))`;

const COLUMNS = Prisma.raw(`r.id, r.number, r.title, r.status::text AS status, r.priority::text AS priority,
  r.created_at, r.company_id, r.requester_id, r.service_area_id, r.authorizer_unit_id, r.awaiting_admins,
  r.response_due_at, r.resolution_due_at, r.on_hold_since`);

const agg = (c: number, order: string) => Prisma.sql`COALESCE(json_agg(${ROW(c)} ORDER BY ${Prisma.raw(order)}), '[]')`;

/**
 * Everything that waits for the person, in one statement: pending requests they authorize (oldest first),
 * authorized requests of the areas they head (most overdue first), their open tickets (most overdue first), their
 * own open requests with whom they wait on, and the open requests they follow. Each list is a few key probes of
 * the inboxes' indexes ((area, state, due), (authorizer unit, state, created), (worker, state)).
 */
export async function todoLists(
  db: Db,
  me: { id: number; companyId: number; headedUnitIds: number[]; servicesAreaIds: number[]; isCompanyAdmin: boolean },
): Promise<TodoLists> {
  const c = me.companyId;
  const n = TODO_ROWS;
  const [row] = await rows<{
    toAuthorize: TodoRow[];
    toDecide: TodoRow[];
    tickets: TodoRow[];
    mine: TodoRow[];
    following: TodoRow[];
    mineOpen: number;
    followingCount: number;
  }>(
    db,
    Prisma.sql`
    SELECT
      (SELECT ${agg(c, 'r.created_at, r.id')} FROM (
         SELECT * FROM (
           (SELECT p.*, p.authorizer_unit_id AS unit_id FROM unnest(${me.headedUnitIds}::int[]) AS k(unit)
             CROSS JOIN LATERAL (SELECT ${COLUMNS} FROM requests r
                                  WHERE r.company_id = ${c}::int AND r.authorizer_unit_id = k.unit
                                    AND r.status = 'PENDING'
                                  ORDER BY r.created_at LIMIT ${n}::int) p)
           UNION ALL
           (SELECT ${COLUMNS}, NULL::int AS unit_id FROM requests r
             WHERE ${me.isCompanyAdmin}::boolean AND r.company_id = ${c}::int AND r.awaiting_admins
               AND r.status = 'PENDING' AND r.requester_id <> ${me.id}::int
             ORDER BY r.created_at LIMIT ${n}::int)) q
         ORDER BY q.created_at, q.id LIMIT ${n}::int) r) AS "toAuthorize",
      (SELECT ${agg(c, 'r.response_due_at NULLS LAST, r.created_at, r.id')} FROM (
         SELECT p.*, p.service_area_id AS unit_id FROM unnest(${me.servicesAreaIds}::int[]) AS k(area)
          CROSS JOIN LATERAL (SELECT ${COLUMNS} FROM requests r
                               WHERE r.company_id = ${c}::int AND r.service_area_id = k.area
                                 AND r.status = 'AUTHORIZED'
                               ORDER BY r.response_due_at NULLS LAST LIMIT ${n}::int) p
          ORDER BY p.response_due_at NULLS LAST, p.created_at, p.id LIMIT ${n}::int) r) AS "toDecide",
      (SELECT ${agg(c, 'r.resolution_due_at NULLS LAST, r.created_at, r.id')} FROM (
         SELECT ${COLUMNS}, NULL::int AS unit_id FROM tickets t
           JOIN requests r ON r.company_id = ${c}::int AND r.id = t.request_id
          WHERE t.company_id = ${c}::int AND t.worker_id = ${me.id}::int AND t.status IN ('ASSIGNED', 'IN_PROGRESS')
          ORDER BY r.resolution_due_at NULLS LAST, r.created_at, r.id LIMIT ${n}::int) r) AS tickets,
      (SELECT COALESCE(json_agg(${WAITING_ROW(c)} ORDER BY r.created_at DESC, r.id DESC), '[]') FROM (
         SELECT ${COLUMNS}, NULL::int AS unit_id FROM requests r
          WHERE r.company_id = ${c}::int AND r.requester_id = ${me.id}::int
            AND r.status IN ('PENDING', 'AUTHORIZED', 'APPROVED')
          ORDER BY r.created_at DESC, r.id DESC LIMIT ${n}::int) r) AS mine,
      (SELECT ${agg(c, 'r.followed_at DESC')} FROM (
         SELECT ${COLUMNS}, NULL::int AS unit_id, f.created_at AS followed_at FROM request_followers f
           JOIN requests r ON r.company_id = ${c}::int AND r.id = f.request_id
          WHERE f.company_id = ${c}::int AND f.user_id = ${me.id}::int
            AND r.status IN ('PENDING', 'AUTHORIZED', 'APPROVED')
          ORDER BY f.created_at DESC LIMIT ${n}::int) r) AS following,
      (SELECT COALESCE(sum(n), 0)::int FROM request_counts
        WHERE company_id = ${c}::int AND requester_id = ${me.id}::int
          AND status IN ('PENDING', 'AUTHORIZED', 'APPROVED')) AS "mineOpen",
      (SELECT count(*)::int FROM request_followers WHERE company_id = ${c}::int AND user_id = ${me.id}::int)
        AS "followingCount"`,
  );
  const dated = (list: TodoRow[]) => list.map(toDates);
  return {
    toAuthorize: dated(row!.toAuthorize),
    toDecide: dated(row!.toDecide),
    tickets: dated(row!.tickets),
    mine: dated(row!.mine),
    following: dated(row!.following),
    mineOpen: row!.mineOpen,
    followingCount: row!.followingCount,
  };
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** JSON rows carry their instants as text. */
function toDates(r: TodoRow): TodoRow {
  return {
    ...r,
    authorizerUnit: r.authorizerUnit ?? null,
    areaHeadName: r.areaHeadName ?? null,
    createdAt: new Date(r.createdAt),
    responseDueAt: date(r.responseDueAt),
    resolutionDueAt: date(r.resolutionDueAt),
    onHoldSince: date(r.onHoldSince),
  };
}

/** The administrators' setup checklist, read only while the company's setup is not done. */
export interface SetupFacts {
  done: boolean;
  /** Units and areas exist and every active one has an active head. */
  units: boolean;
  /** Somebody besides the first administrator was invited. */
  people: boolean;
  /** The catalogue was reviewed: a category was created or edited by hand (the audit log). */
  categories: boolean;
  /** The notification channels were saved once. */
  channels: boolean;
}

/** What an administrator's home page adds, in one statement: what keeps requests from moving, the setup's facts. */
export interface AdminFacts {
  problems: OrgProblems;
  setup: SetupFacts;
}

export async function adminFacts(db: Db, companyId: number): Promise<AdminFacts> {
  const c = companyId;
  const [row] = await rows<SetupFacts & OrgProblems>(
    db,
    Prisma.sql`
    SELECT COALESCE((SELECT json_agg(json_build_object('id', x.id, 'name', x.name) ORDER BY x.name, x.id)
                       FROM (SELECT u.id, u.name FROM units u
                              WHERE u.company_id = ${c}::int AND u.active
                                AND (u.head_id IS NULL
                                     OR EXISTS (SELECT 1 FROM users h
                                                 WHERE h.company_id = ${c}::int AND h.id = u.head_id AND NOT h.active))
                              ORDER BY u.name, u.id LIMIT 20) x), '[]') AS headless,
           COALESCE((SELECT json_agg(json_build_object('id', x.id, 'name', x.name) ORDER BY x.name, x.id)
                       FROM (SELECT u.id, u.name FROM users u
                              WHERE u.company_id = ${c}::int AND u.active AND u.unit_id IS NULL
                              ORDER BY u.name, u.id LIMIT 20) x), '[]') AS unitless,
           (SELECT count(*)::int FROM users u WHERE u.company_id = ${c}::int AND u.active AND u.unit_id IS NULL)
             AS "unitlessCount",
           -- The setup checklist's facts; once the setup is done none of them is computed again.
           c.setup_done_at IS NOT NULL AS done,
           c.setup_done_at IS NOT NULL OR (
             EXISTS (SELECT 1 FROM units u WHERE u.company_id = ${c}::int AND u.active AND u.kind = 'REGULAR')
             AND NOT EXISTS (SELECT 1 FROM units u
                               LEFT JOIN users h ON h.company_id = ${c}::int AND h.id = u.head_id AND h.active
                              WHERE u.company_id = ${c}::int AND u.active AND h.id IS NULL)) AS units,
           c.setup_done_at IS NOT NULL
             OR (SELECT count(*) FROM (SELECT 1 FROM users u WHERE u.company_id = ${c}::int LIMIT 2) x) >= 2 AS people,
           c.setup_done_at IS NOT NULL
             OR EXISTS (SELECT 1 FROM audit_entries a WHERE a.company_id = ${c}::int AND a.entity_type = 'category')
             AS categories,
           c.setup_done_at IS NOT NULL
             OR EXISTS (SELECT 1 FROM company_notification_settings s WHERE s.company_id = ${c}::int) AS channels
      FROM companies c WHERE c.id = ${c}::int`,
  );
  const { headless, unitless, unitlessCount, ...setup } = row!;
  return { problems: { headless, unitless, unitlessCount }, setup };
}

/** The checklist was found complete: it is not shown (nor computed) again. */
export async function markSetupDone(db: Db, companyId: number, now: Date): Promise<void> {
  await db.company.updateMany({ where: { id: companyId, setupDoneAt: null }, data: { setupDoneAt: now } });
}
