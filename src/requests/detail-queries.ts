// The statements of the detail page (raw SQL for the request with its history, measured
// faster than Prisma's nested select; Prisma where it reads well).
import type { Actor } from '../auth/index.js';
import { conversationColumns, conversationRows, notesByRole, type ConversationJson } from '../conversation/index.js';
import type { FieldValue } from '../org/index.js';
import type { Db } from '../db/client.js';
import { instant, jsonArray, rows } from '../db/sql.js';
import {
  Prisma,
  type EventAction,
  type Priority,
  type RejectionStage,
  type RequestStatus,
  type TicketStatus,
} from '../generated/prisma/client.js';
import { serviceAreasJson, type ServiceAreaChoice } from './write-queries.js';

type Person = { id: number; name: string };

export interface RequestDetail {
  id: number;
  number: number;
  title: string;
  description: string;
  priority: Priority;
  location: string | null;
  status: RequestStatus;
  requesterId: number;
  requesterUnitId: number;
  serviceAreaId: number;
  authorizerUnitId: number | null;
  awaitingAdmins: boolean;
  /** The unit whose head authorizes, with its active head's name (null: none). */
  authorizerUnit: { name: string; headName: string | null } | null;
  /** The active head of the target service area (who decides once authorized). */
  areaHeadName: string | null;
  createdAt: Date;
  authorizedAt: Date | null;
  approvedAt: Date | null;
  rejectedAt: Date | null;
  rejectionStage: RejectionStage | null;
  rejectionReason: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  finalizedAt: Date | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  onHoldSince: Date | null;
  holdReason: string | null;
  /** The requester with the contact the people working on it use. */
  requester: Person & { email: string; phone: string | null };
  categoryId: number;
  /** The request's version for an edit form (an edit applies only if nothing changed it meanwhile). */
  updatedAt: Date;
  /** Whether the person reading it follows it. */
  followed: boolean;
  /** Its followers ("Seguidores") by name. */
  followers: Person[];
  /** A guest's request from the portal: who asked, as typed (null otherwise). */
  guestName: string | null;
  guestEmail: string | null;
  guestPhone: string | null;
  /** The answers to the category's fields, with the label and type they were answered with (null: none). */
  fieldValues: FieldValue[] | null;
  reopenCount: number;
  /** The company's reopen window, in days. */
  reopenDays: number;
  authorizedBy: Person | null;
  approvedBy: Person | null;
  rejectedBy: Person | null;
  requesterUnit: { name: string };
  serviceArea: { name: string };
  category: { name: string; responseHours: number | null; resolutionHours: number | null };
  ticket: {
    id: number;
    number: number;
    status: TicketStatus;
    workerId: number;
    instructions: string;
    assignedAt: Date;
    startedAt: Date | null;
    finishedAt: Date | null;
    resolution: string | null;
    needsReassignment: boolean;
    worker: Person;
    assignedBy: Person;
  } | null;
  events: {
    id: bigint;
    action: EventAction;
    fromStatus: RequestStatus | null;
    toStatus: RequestStatus;
    comment: string | null;
    data: Prisma.JsonValue;
    createdAt: Date;
    /** Null: the system (a reminder, escalation or overdue notice). */
    actor: Person | null;
    /** The absent head the actor stood in for. */
    onBehalfOf: Person | null;
  }[];
}

/** What the detail page shows beside the request, read in the request's statement. */
export interface DetailExtras {
  /** Its comments and files, by the reader's role (conversationOf applies the policy). */
  conversation: ReturnType<typeof conversationRows>;
  /** Names of the workers its events mention (reassignments), by id. */
  workerNames: Map<number, string>;
  /** For the head of its area while it can be decided or corrected (null otherwise): the area's workers by load. */
  workers: WorkerLoad[] | null;
  /** Likewise, the service areas its re-route and correction forms offer. */
  areas: ServiceAreaChoice[] | null;
}

/** Nested rows come back as JSON: their timestamps as text and event ids as text (bigint). */
type Row = Omit<RequestDetail, 'ticket' | 'events'> &
  ConversationJson & {
    workerNames: Record<string, string> | null;
    workers: Omit<WorkerLoad, 'open'>[] | null;
    areas: ServiceAreaChoice[] | null;
    ticket:
      | (Omit<NonNullable<RequestDetail['ticket']>, 'assignedAt' | 'startedAt' | 'finishedAt'> & {
          assignedAt: string;
          startedAt: string | null;
          finishedAt: string | null;
        })
      | null;
    events: (Omit<RequestDetail['events'][number], 'id' | 'createdAt'> & { id: string; createdAt: string })[];
  };

/** The category's targets, shown with its name. */
const CATEGORY_TARGETS = ", 'responseHours', g.response_hours, 'resolutionHours', g.resolution_hours";

/** A person of the request (`column` of r) as {id, name}, or NULL when the column is. */
const who = (companyId: number, column: string) =>
  Prisma.sql`(SELECT json_build_object('id', p.id, 'name', p.name) FROM users p
               WHERE p.company_id = ${companyId}::int AND p.id = r.${Prisma.raw(column)})`;
/** The name of a unit or category of the request, as {name} (plus `more` fields). */
const named = (companyId: number, table: string, column: string, more = '') =>
  Prisma.sql`(SELECT json_build_object('name', g.name${Prisma.raw(more)}) FROM ${Prisma.raw(table)} g
               WHERE g.company_id = ${companyId}::int AND g.id = r.${Prisma.raw(column)})`;

/**
 * The request with its people, ticket and history in one statement (the detail page is
 * read often; through Prisma's nested select it cost ~1 ms more CPU per page).
 */
function detailSql(actor: Actor, requestId: number): Prisma.Sql {
  const { companyId, id: viewerId } = actor;
  // The head of the area decides, reassigns, re-routes and corrects while it is authorized or approved (lifecycle.ts,
  // policy.ts): only then are the area's workers and the company's areas read.
  const forAreaHead = Prisma.sql`r.service_area_id = ANY(${actor.servicesAreaIds}::int[])
                                 AND r.status IN ('AUTHORIZED', 'APPROVED')`;
  return Prisma.sql`
    SELECT r.id::int AS id, r.number::int AS number, r.title::text AS title, r.description::text AS description,
           r.priority::text AS priority, r.location::text AS location, r.status::text AS status,
           r.requester_id::int AS "requesterId", r.requester_unit_id::int AS "requesterUnitId",
           r.service_area_id::int AS "serviceAreaId", r.created_at::timestamptz AS "createdAt",
           r.authorizer_unit_id::int AS "authorizerUnitId", r.awaiting_admins AS "awaitingAdmins",
           (SELECT json_build_object('name', g.name, 'headName', h.name) FROM units g
              LEFT JOIN users h ON h.company_id = ${companyId}::int AND h.id = g.head_id AND h.active
             WHERE g.company_id = ${companyId}::int AND g.id = r.authorizer_unit_id) AS "authorizerUnit",
           (SELECT h.name FROM units g
              JOIN users h ON h.company_id = ${companyId}::int AND h.id = g.head_id AND h.active
             WHERE g.company_id = ${companyId}::int AND g.id = r.service_area_id) AS "areaHeadName",
           r.authorized_at::timestamptz AS "authorizedAt", r.approved_at::timestamptz AS "approvedAt",
           r.rejected_at::timestamptz AS "rejectedAt", r.rejection_stage::text AS "rejectionStage",
           r.rejection_reason::text AS "rejectionReason", r.cancelled_at::timestamptz AS "cancelledAt",
           r.cancel_reason::text AS "cancelReason", r.finalized_at::timestamptz AS "finalizedAt",
           r.response_due_at AS "responseDueAt", r.resolution_due_at AS "resolutionDueAt",
           r.on_hold_since AS "onHoldSince", r.hold_reason AS "holdReason", r.reopen_count AS "reopenCount",
           (SELECT reopen_days FROM companies WHERE id = ${companyId}::int) AS "reopenDays",
           (SELECT json_build_object('id', p.id, 'name', p.name, 'email', p.email, 'phone', p.phone) FROM users p
             WHERE p.company_id = ${companyId}::int AND p.id = r.requester_id) AS requester,
           r.guest_name AS "guestName", r.guest_email AS "guestEmail",
           r.guest_phone AS "guestPhone", r.field_values AS "fieldValues",
           r.category_id::int AS "categoryId", r.updated_at AS "updatedAt",
           EXISTS (SELECT 1 FROM request_followers f
                    WHERE f.company_id = ${companyId}::int AND f.request_id = r.id AND f.user_id = ${viewerId}::int)
             AS followed,
           COALESCE((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.name)
                       FROM (SELECT user_id FROM request_followers
                              WHERE company_id = ${companyId}::int AND request_id = r.id LIMIT 200) f
                       JOIN users u ON u.company_id = ${companyId}::int AND u.id = f.user_id), '[]') AS followers,
           ${who(companyId, 'authorized_by_id')} AS "authorizedBy", ${who(companyId, 'approved_by_id')} AS "approvedBy",
           ${who(companyId, 'rejected_by_id')} AS "rejectedBy",
           ${named(companyId, 'units', 'requester_unit_id')} AS "requesterUnit",
           ${named(companyId, 'units', 'service_area_id')} AS "serviceArea",
           ${named(companyId, 'categories', 'category_id', CATEGORY_TARGETS)} AS category,
           (SELECT json_build_object('id', t.id, 'number', t.number, 'status', t.status, 'workerId', t.worker_id,
                                     'instructions', t.instructions, 'assignedAt', t.assigned_at,
                                     'startedAt', t.started_at, 'finishedAt', t.finished_at,
                                     'resolution', t.resolution, 'needsReassignment', t.needs_reassignment,
                                     'worker', json_build_object('id', w.id, 'name', w.name),
                                     'assignedBy', json_build_object('id', tb.id, 'name', tb.name))
              FROM tickets t
              JOIN users w ON w.company_id = ${companyId}::int AND w.id = t.worker_id
              JOIN users tb ON tb.company_id = ${companyId}::int AND tb.id = t.assigned_by_id
             WHERE t.company_id = ${companyId}::int AND t.request_id = r.id) AS ticket,
           COALESCE((SELECT json_agg(json_build_object('id', e.id::text, 'action', e.action,
                                                       'fromStatus', e.from_status, 'toStatus', e.to_status,
                                                       'comment', e.comment, 'data', e.data, 'createdAt', e.created_at,
                                                       'actor', CASE WHEN a.id IS NOT NULL
                                                                THEN json_build_object('id', a.id, 'name', a.name) END,
                                                       'onBehalfOf',
                                                       (SELECT json_build_object('id', b.id, 'name', b.name)
                                                          FROM users b
                                                         WHERE b.company_id = ${companyId}::int
                                                           AND b.id = e.on_behalf_of_id))
                                     ORDER BY e.created_at, e.id)
                       -- A request's history is short; bounded anyway.
                       FROM (SELECT * FROM request_events e
                              WHERE e.company_id = ${companyId}::int AND e.request_id = r.id
                              ORDER BY e.created_at, e.id LIMIT 500) e
                       LEFT JOIN users a ON a.company_id = ${companyId}::int AND a.id = e.actor_id), '[]') AS events,
           (SELECT json_object_agg(u.id, u.name) FROM users u
             WHERE u.company_id = ${companyId}::int
               AND u.id IN (SELECT (e.data ->> k.key)::int
                              FROM request_events e CROSS JOIN (VALUES ('workerId'), ('previousWorkerId')) k (key)
                             WHERE e.company_id = ${companyId}::int AND e.request_id = r.id
                               AND jsonb_typeof(e.data -> k.key) = 'number')) AS "workerNames",
           CASE WHEN ${forAreaHead} THEN ${workerLoadsJson(companyId, Prisma.sql`u.unit_id = r.service_area_id`)} END
             AS workers,
           CASE WHEN ${forAreaHead} THEN ${serviceAreasJson(companyId)} END AS areas,
           ${conversationColumns(companyId, requestId, notesByRole(actor, 'r'))}
    -- Names by scalar sub-queries: each one is a probe of a (company_id, id) key, where
    -- a join of eight tables let the planner pick scans of a company's units or users. Every table names the
    -- company (not the outer row's column): on Citus the statement is then answered by the company's shard.
    FROM requests r
    WHERE r.company_id = ${companyId}::int AND r.id = ${requestId}::int`;
}

function toDetail(row: Row): RequestDetail & DetailExtras {
  const { comments, files, workerNames, workers, areas, ...rest } = row;
  const t = rest.ticket;
  return {
    ...rest,
    ticket: t
      ? { ...t, assignedAt: instant(t.assignedAt), startedAt: instant(t.startedAt), finishedAt: instant(t.finishedAt) }
      : null,
    events: rest.events.map((e) => ({ ...e, id: BigInt(e.id), createdAt: new Date(e.createdAt) })),
    conversation: conversationRows({ comments, files }),
    workerNames: new Map(Object.entries(workerNames ?? {}).map(([id, name]) => [Number(id), name])),
    workers: workers && byLoad(workers),
    areas,
  };
}

/**
 * The request with its people, ticket, history and conversation, whether the actor follows it, and what the actor's
 * role may need on its page (DetailExtras), in one statement; null when it is not one of the actor's company's.
 */
export async function readDetail(
  db: Db,
  actor: Actor,
  requestId: number,
): Promise<(RequestDetail & DetailExtras) | null> {
  const [row] = await rows<Row>(db, detailSql(actor, requestId));
  return row ? toDetail(row) : null;
}

export interface WorkerLoad {
  id: number;
  name: string;
  assigned: number;
  inProgress: number;
  open: number;
}

/**
 * The active workers of the units `inUnits` (a condition on `u`) with their open tickets by status, as JSON: a column
 * of the detail's statement and of the services head's tray (byLoad orders them).
 */
export function workerLoadsJson(companyId: number, inUnits: Prisma.Sql): Prisma.Sql {
  return jsonArray(
    Prisma.sql`
    SELECT u.id, u.name,
           COALESCE(sum(tc.n) FILTER (WHERE tc.status = 'ASSIGNED'), 0)::int AS assigned,
           COALESCE(sum(tc.n) FILTER (WHERE tc.status = 'IN_PROGRESS'), 0)::int AS "inProgress"
      FROM users u
      LEFT JOIN ticket_counts tc ON tc.company_id = ${companyId}::int AND tc.worker_id = u.id
                                AND tc.status IN ('ASSIGNED', 'IN_PROGRESS')
     WHERE u.company_id = ${companyId}::int AND ${inUnits} AND u.is_worker AND u.active
     GROUP BY u.id, u.name`,
    Prisma.sql`p.id`,
  );
}

/** Workers with their open count, lightest first (then by name). */
export function byLoad(workers: Omit<WorkerLoad, 'open'>[]): WorkerLoad[] {
  return workers
    .map((w) => ({ ...w, open: w.assigned + w.inProgress }))
    .sort((a, b) => a.open - b.open || a.name.localeCompare(b.name));
}

/** Active workers of service areas with their open-ticket load (staff availability), lightest first. */
export async function workerLoads(db: Db, companyId: number, areaIds: number[]): Promise<WorkerLoad[]> {
  const [found] = await rows<{ workers: Omit<WorkerLoad, 'open'>[] }>(
    db,
    Prisma.sql`SELECT ${workerLoadsJson(companyId, Prisma.sql`u.unit_id = ANY(${areaIds}::int[])`)} AS workers`,
  );
  return byLoad(found!.workers);
}
