// The lifecycle's statements (raw SQL: each write is ONE statement, measured faster than
// Prisma's interactive transaction). The checks a write depends on (category of the area,
// assignable worker), the conditional update, the event rows and the notification job (its
// outbox row) are CTEs of a single statement, so they commit together or not at all without
// a client-side transaction. Through Prisma's interactive transaction the same work took 6–8
// round trips and ~4 ms of CPU per request; as one statement it is one round trip.
//
// Data-modifying CTEs all see the same snapshot; a later step depends on an earlier one
// by reading its RETURNING rows, which is also what makes each step conditional.
import { workingCalendarJson, type WorkingCalendarJson } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import { jsonArray, rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Priority, RejectionStage, RequestStatus, TicketStatus } from '../generated/prisma/client.js';
import { outboxInsert } from '../notifications/index.js';
import { fieldsText, type FieldValue } from '../org/index.js';
import { eventActionOf, type RequestState, type Transition } from './lifecycle.js';

const sql = Prisma.sql;

interface EventSpec {
  action: string;
  from_status: RequestStatus | null;
  to_status: RequestStatus;
  data: Record<string, unknown> | null;
}

/** A file already in storage, recorded with the request. */
export interface NewFile {
  fileName: string;
  mimeType: string;
  size: number;
  storageKey: string;
  thumbnailKey: string | null;
}

export interface NewRequestRow {
  companyId: number;
  requesterId: number;
  requesterUnitId: number;
  serviceAreaId: number;
  categoryId: number;
  title: string;
  description: string;
  priority: Priority;
  location: string | null;
  /** The unit whose head authorizes, or null (administrators, or no authorization needed). */
  authorizerUnitId: number | null;
  awaitingAdmins: boolean;
  /** The category needs no unit authorization: authorized in the same act, recorded as such. */
  authorizedOnSubmit: boolean;
  /** Why a request is authorized on submit: its category needs no authorization, or a lone administrator. */
  authorizedBy: 'category' | 'administrator';
  /** Authorized on submit: its response due date (null without a target). */
  responseDueAt: Date | null;
  files: readonly NewFile[];
  now: Date;
  /** A guest's request from the portal: who asked, as typed. */
  guest?: { name: string; email: string; phone: string | null } | null;
  /** The answers to the category's fields (with their label and type) and their text for the search. */
  fieldValues?: readonly FieldValue[];
}

/** Queues (in the outbox) the fan-out of the rows of the `events` CTE: one job, whatever the number of recipients. */
const fanoutJob = (companyId: number) =>
  sql`job AS (${outboxInsert(
    { companyId, eventIds: sql`(SELECT jsonb_agg(id::text ORDER BY id) FROM events)` },
    sql`EXISTS (SELECT 1 FROM events)`,
  )})`;

/**
 * Inserts a request with its number, events, attachments and notification job.
 * Returns no row when the category is not an active category of that active service area.
 */
function insertRequestStatement(r: NewRequestRow): Prisma.Sql {
  const events: EventSpec[] = [{ action: 'SUBMIT', from_status: null, to_status: 'PENDING', data: null }];
  if (r.authorizedOnSubmit)
    events.push({
      action: 'AUTHORIZE',
      from_status: 'PENDING',
      to_status: 'AUTHORIZED',
      data:
        r.authorizedBy === 'administrator'
          ? { onSubmit: true, byAdministrator: true }
          : { onSubmit: true, noAuthorizationNeeded: true },
    });
  const files = r.files.map((f) => ({
    file_name: f.fileName,
    mime_type: f.mimeType,
    size: f.size,
    storage_key: f.storageKey,
    thumbnail_key: f.thumbnailKey,
  }));
  const c = r.companyId;
  const answers = r.fieldValues ?? [];
  const values = answers.length ? JSON.stringify(answers) : null;
  return sql`
    WITH category AS (
      SELECT cat.id FROM categories cat
      JOIN units area ON area.company_id = ${c}::int AND area.id = cat.service_area_id
                     AND area.active AND area.kind = 'SERVICE_AREA'
      WHERE cat.company_id = ${c}::int AND cat.id = ${r.categoryId}::int
        AND cat.service_area_id = ${r.serviceAreaId}::int AND cat.active
    ), seq AS (
      UPDATE companies SET request_seq = request_seq + 1
      WHERE id = ${c}::int AND EXISTS (SELECT 1 FROM category) RETURNING request_seq
    ), created AS (
      INSERT INTO requests (company_id, number, requester_id, requester_unit_id, service_area_id, category_id, title,
                            description, priority, location, status, authorized_at, authorized_by_id, created_at,
                            updated_at, authorizer_unit_id, awaiting_admins, response_due_at, guest_name,
                            guest_email, guest_phone, field_values, fields_text)
      SELECT ${c}::int, seq.request_seq, ${r.requesterId}::int, ${r.requesterUnitId}::int, ${r.serviceAreaId}::int,
             ${r.categoryId}::int, ${r.title}::text, ${r.description}::text, ${r.priority}::text::"Priority",
             ${r.location}::text, ${r.authorizedOnSubmit ? 'AUTHORIZED' : 'PENDING'}::text::"RequestStatus",
             ${r.authorizedOnSubmit ? r.now : null}::timestamptz, ${r.authorizedOnSubmit ? r.requesterId : null}::int,
             ${r.now}::timestamptz, ${r.now}::timestamptz, ${r.authorizerUnitId}::int, ${r.awaitingAdmins}::boolean,
             ${r.authorizedOnSubmit ? r.responseDueAt : null}::timestamptz, ${r.guest?.name ?? null}::text,
             ${r.guest?.email ?? null}::text, ${r.guest?.phone ?? null}::text, ${values}::jsonb,
             ${fieldsText(answers)}::text
      FROM seq
      RETURNING id, number, status
    ), events AS (
      INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, data, created_at)
      SELECT ${c}::int, created.id, ${r.requesterId}::int, e.action::"EventAction", e.from_status::"RequestStatus",
             e.to_status::"RequestStatus", e.data, ${r.now}::timestamptz
      FROM created,
           ROWS FROM (jsonb_to_recordset(${JSON.stringify(events)}::jsonb)
                      AS (action text, from_status text, to_status text, data jsonb))
           WITH ORDINALITY AS e(action, from_status, to_status, data, n)
      ORDER BY e.n
      RETURNING id
    ), files AS (
      INSERT INTO attachments (company_id, request_id, comment_id, uploader_id, internal, file_name, mime_type, size,
                               storage_key, thumbnail_key, created_at)
      SELECT ${c}::int, created.id, NULL, ${r.requesterId}::int, false, f.file_name, f.mime_type, f.size, f.storage_key,
             f.thumbnail_key, ${r.now}::timestamptz
      FROM created,
           jsonb_to_recordset(${JSON.stringify(files)}::jsonb)
             AS f(file_name text, mime_type text, size int, storage_key text, thumbnail_key text)
    ), ${fanoutJob(c)}
    SELECT created.id::int AS id, created.number::int AS number, created.status::text AS status,
           (SELECT count(*) FROM job)::int AS jobs
    FROM created`;
}

/** Columns of `requests` a step sets besides its status and updated_at. */
export interface RequestColumns {
  authorizedAt?: Date;
  authorizedById?: number;
  approvedAt?: Date;
  approvedById?: number;
  rejectedAt?: Date;
  rejectedById?: number;
  rejectionStage?: RejectionStage;
  rejectionReason?: string;
  cancelledAt?: Date;
  cancelReason?: string;
  finalizedAt?: Date | null;
  reopenCount?: number;
  responseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  onHoldSince?: Date | null;
  holdReason?: string | null;
}

/** Columns of `tickets` a ticket step sets besides its status and updated_at. */
export interface TicketColumns {
  startedAt?: Date;
  finishedAt?: Date | null;
  resolution?: string;
  workerId?: number;
  needsReassignment?: boolean;
}

type ColumnMap<T> = Record<keyof T, [column: string, type: string]>;
const REQUEST_COLUMNS: ColumnMap<RequestColumns> = {
  authorizedAt: ['authorized_at', 'timestamptz'],
  authorizedById: ['authorized_by_id', 'int'],
  approvedAt: ['approved_at', 'timestamptz'],
  approvedById: ['approved_by_id', 'int'],
  rejectedAt: ['rejected_at', 'timestamptz'],
  rejectedById: ['rejected_by_id', 'int'],
  rejectionStage: ['rejection_stage', 'text::"RejectionStage"'],
  rejectionReason: ['rejection_reason', 'text'],
  cancelledAt: ['cancelled_at', 'timestamptz'],
  cancelReason: ['cancel_reason', 'text'],
  finalizedAt: ['finalized_at', 'timestamptz'],
  reopenCount: ['reopen_count', 'int'],
  responseDueAt: ['response_due_at', 'timestamptz'],
  resolutionDueAt: ['resolution_due_at', 'timestamptz'],
  onHoldSince: ['on_hold_since', 'timestamptz'],
  holdReason: ['hold_reason', 'text'],
};
const TICKET_COLUMNS: ColumnMap<TicketColumns> = {
  startedAt: ['started_at', 'timestamptz'],
  finishedAt: ['finished_at', 'timestamptz'],
  resolution: ['resolution', 'text'],
  workerId: ['worker_id', 'int'],
  needsReassignment: ['needs_reassignment', 'boolean'],
};

/** `, column = value, …` of the values given (none: nothing). */
function setColumns<T extends object>(values: T, columns: ColumnMap<T>): Prisma.Sql {
  const set = (Object.entries(values) as [keyof T, unknown][])
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const [column, type] = columns[k];
      return sql`${Prisma.raw(column)} = ${v}::${Prisma.raw(type)}`;
    });
  return set.length ? sql`, ${Prisma.join(set, ', ')}` : Prisma.empty;
}

export interface TransitionRow {
  transition: Transition;
  companyId: number;
  requestId: number;
  actorId: number;
  /** The absent head the actor stands in for, if any. */
  onBehalfOfId: number | null;
  now: Date;
  /** The request's on_hold_since as read (null: not on hold): the update matches only if it has not changed. */
  onHoldSince: Date | null;
  comment: string | null;
  request: RequestColumns;
  /** Ticket steps: columns of `tickets` set, and the worker the ticket must still be assigned to. */
  ticket?: { set: TicketColumns; expectedWorkerId: number };
  /** Approve and reassign: the worker, who must be an active worker of the request's area. */
  worker?: { id: number; serviceAreaId: number };
  /** Approve: the ticket to create. */
  newTicket?: { serviceAreaId: number; instructions: string };
  /** Facts of the event (its `data`), merged with the new ticket's number on approval. */
  data: Record<string, unknown> | null;
  /** Reopen: the request must have been finished after this instant (the window, checked by the update itself). */
  finishedAfter?: Date;
  /** Finish: the satisfaction survey of this finish (its signed link's hash; it expires with the reopen window). */
  newSurvey?: { round: number; workerId: number; tokenHash: string; expiresAt: Date };
  /** Confirm: the answer to the survey of the current round, if the requester gave one (once). */
  rating?: { round: number; rating: number; comment: string | null };
}

/**
 * One step of the lifecycle as one statement. The request's update matches only from the
 * expected state (and, for ticket steps, only if the ticket's own conditional update
 * matched, which runs first), so of two people acting at once exactly one gets `applied`.
 */
export function transitionStatement(s: TransitionRow): Prisma.Sql {
  const t = s.transition;
  const c = s.companyId;
  const data = s.data === null ? null : JSON.stringify(s.data);
  const worker = s.worker
    ? sql`SELECT id FROM users
           WHERE company_id = ${c}::int AND id = ${s.worker.id}::int AND unit_id = ${s.worker.serviceAreaId}::int
             AND is_worker AND active`
    : sql`SELECT NULL::int AS id`;
  const ticketStep = s.ticket
    ? sql`UPDATE tickets
             SET status = ${t.ticketTo!}::text::"TicketStatus", updated_at = ${s.now}::timestamptz
                 ${setColumns(s.ticket.set, TICKET_COLUMNS)}
           WHERE company_id = ${c}::int AND request_id = ${s.requestId}::int
             AND status = ${t.ticketFrom!}::text::"TicketStatus"
             AND worker_id = ${s.ticket.expectedWorkerId}::int AND EXISTS (SELECT 1 FROM worker)
          RETURNING id`
    : sql`SELECT NULL::int AS id`;
  const noTicket = sql`SELECT NULL::int AS number WHERE false`;
  const survey = s.newSurvey
    ? sql`INSERT INTO satisfaction_surveys (company_id, request_id, round, worker_id, token_hash, created_at,
                                          expires_at)
          SELECT ${c}::int, moved.id, ${s.newSurvey.round}::int, ${s.newSurvey.workerId}::int,
                 ${s.newSurvey.tokenHash}::text, ${s.now}::timestamptz, ${s.newSurvey.expiresAt}::timestamptz
          FROM moved
          ON CONFLICT (company_id, request_id, round) DO NOTHING
          RETURNING id`
    : s.rating
      ? sql`UPDATE satisfaction_surveys
               SET rating = ${s.rating.rating}::int, comment = ${s.rating.comment}::text,
                   answered_at = ${s.now}::timestamptz
             WHERE company_id = ${c}::int AND request_id = (SELECT id FROM moved) AND round = ${s.rating.round}::int
               AND answered_at IS NULL
            RETURNING id`
      : sql`SELECT NULL::int AS id WHERE false`;
  const finishedAfter = s.finishedAfter ? sql`AND finalized_at > ${s.finishedAfter}::timestamptz` : Prisma.empty;
  const newTicket = s.newTicket
    ? sql`UPDATE companies SET ticket_seq = ticket_seq + 1
           WHERE id = ${c}::int AND EXISTS (SELECT 1 FROM moved) RETURNING ticket_seq AS number`
    : noTicket;
  const insertTicket = s.newTicket
    ? sql`INSERT INTO tickets (company_id, number, request_id, service_area_id, worker_id, assigned_by_id, instructions,
                               status, assigned_at, updated_at)
          SELECT ${c}::int, seq.number, ${s.requestId}::int, ${s.newTicket.serviceAreaId}::int, ${s.worker!.id}::int,
                 ${s.actorId}::int, ${s.newTicket.instructions}::text, 'ASSIGNED', ${s.now}::timestamptz,
                 ${s.now}::timestamptz
          FROM seq RETURNING number`
    : noTicket;
  return sql`
    WITH worker AS (${worker}),
    ticket_step AS (${ticketStep}),
    moved AS (
      UPDATE requests
         SET status = ${t.to}::text::"RequestStatus", updated_at = ${s.now}::timestamptz
             ${setColumns(s.request, REQUEST_COLUMNS)}
      WHERE company_id = ${c}::int AND id = ${s.requestId}::int AND status = ${t.from}::text::"RequestStatus"
        AND on_hold_since IS NOT DISTINCT FROM ${s.onHoldSince}::timestamptz ${finishedAfter}
        AND EXISTS (SELECT 1 FROM worker) AND EXISTS (SELECT 1 FROM ticket_step)
      RETURNING id, number
    ),
    survey AS (${survey}),
    seq AS (${newTicket}),
    new_ticket AS (${insertTicket}),
    events AS (
      INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, comment, data,
                                  created_at, on_behalf_of_id)
      SELECT ${c}::int, moved.id, ${s.actorId}::int, ${eventActionOf(t.action)}::text::"EventAction",
             ${t.from}::text::"RequestStatus", ${t.to}::text::"RequestStatus", ${s.comment}::text,
             CASE WHEN EXISTS (SELECT 1 FROM new_ticket)
                  THEN COALESCE(${data}::jsonb, '{}'::jsonb)
                       || jsonb_build_object('ticketNumber', (SELECT number FROM new_ticket))
                  ELSE ${data}::jsonb END,
             ${s.now}::timestamptz, ${s.onBehalfOfId}::int
      FROM moved
      RETURNING id
    ), ${fanoutJob(c)}
    SELECT EXISTS (SELECT 1 FROM worker) AS worker_ok, (SELECT number FROM moved)::int AS number,
           (SELECT count(*) FROM job)::int AS jobs`;
}

/** What the lifecycle needs of a request: its state, ticket, number, due dates and targets (404 when not ours). */
export type StateRow = RequestState & {
  id: number;
  number: number;
  companyId: number;
  ticket: { id: number; status: TicketStatus; workerId: number } | null;
  onHoldSince: Date | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** The category's targets in working hours (null: none). */
  responseHours: number | null;
  resolutionHours: number | null;
  categoryId: number;
  priority: Priority;
  /** When each due date's clock started (corrections recompute them from there). */
  authorizedAt: Date | null;
  approvedAt: Date | null;
  followed: boolean;
  finalizedAt: Date | null;
  reopenCount: number;
  /** The company's reopen window, in days. */
  reopenDays: number;
  /** The company's working calendar, when asked for (`calendarFromYear`); else null. */
  calendar: WorkingCalendarJson | null;
};

/**
 * `viewerId`: the person reading it, whether they follow it is read too. `calendarFromYear`: the company's working
 * calendar from that year is read too (a step that computes a due date would read it next).
 */
export async function readRequestState(
  db: Db,
  companyId: number,
  requestId: number,
  viewerId: number | null = null,
  calendarFromYear: number | null = null,
): Promise<StateRow | null> {
  const calendar = calendarFromYear === null ? sql`NULL::json` : workingCalendarJson(companyId, calendarFromYear);
  const [row] = await rows<StateRow>(
    db,
    sql`
      SELECT r.id::int AS id, r.number::int AS number, r.company_id::int AS "companyId", r.status::text AS status,
             r.requester_id::int AS "requesterId", r.requester_unit_id::int AS "requesterUnitId",
             r.service_area_id::int AS "serviceAreaId", r.authorizer_unit_id::int AS "authorizerUnitId",
             r.awaiting_admins AS "awaitingAdmins", r.on_hold_since AS "onHoldSince",
             r.response_due_at AS "responseDueAt", r.resolution_due_at AS "resolutionDueAt",
             c.response_hours AS "responseHours", c.resolution_hours AS "resolutionHours",
             r.category_id::int AS "categoryId", r.priority::text AS priority,
             r.authorized_at AS "authorizedAt", r.approved_at AS "approvedAt",
             EXISTS (SELECT 1 FROM request_followers f
                      WHERE f.company_id = ${companyId}::int AND f.request_id = r.id AND f.user_id = ${viewerId}::int)
               AS followed,
             r.finalized_at AS "finalizedAt", r.reopen_count AS "reopenCount",
             (SELECT reopen_days FROM companies WHERE id = ${companyId}::int) AS "reopenDays",
             ${calendar} AS calendar,
             CASE WHEN t.id IS NULL THEN NULL
                  ELSE json_build_object('id', t.id, 'status', t.status, 'workerId', t.worker_id) END AS ticket
      FROM requests r
      LEFT JOIN tickets t ON t.company_id = ${companyId}::int AND t.request_id = r.id
      JOIN categories c ON c.company_id = ${companyId}::int AND c.id = r.category_id
      WHERE r.company_id = ${companyId}::int AND r.id = ${requestId}::int`,
  );
  return row ?? null;
}

/** The new request, or null when its category is not an active category of that active service area. */
export async function insertRequest(
  db: Db,
  r: NewRequestRow,
): Promise<{ id: number; number: number; status: RequestStatus } | null> {
  const [created] = await rows<{ id: number; number: number; status: RequestStatus }>(db, insertRequestStatement(r));
  return created ?? null;
}

/**
 * Runs one step: `workerOk` false when the worker is not assignable, `number` null when the
 * request (or its ticket) was no longer in the expected state. A unique violation (a second
 * ticket for the request) is thrown as is.
 */
export async function applyStep(db: Db, s: TransitionRow): Promise<{ workerOk: boolean; number: number | null }> {
  const [result] = await rows<{ worker_ok: boolean; number: number | null }>(db, transitionStatement(s));
  return { workerOk: result?.worker_ok ?? false, number: result?.number ?? null };
}

/** The latest step a person took on a request: who did what and when (to explain a conflict). */
export function lastEvent(db: Db, companyId: number, requestId: number) {
  return db.requestEvent.findFirst({
    where: { companyId, requestId, actorId: { not: null } },
    orderBy: { id: 'desc' },
    select: { action: true, createdAt: true, actor: { select: { name: true } } },
  });
}

/** A category's response target in working hours (null: none, or not the company's). */
export async function categoryResponseHours(db: Db, companyId: number, categoryId: number): Promise<number | null> {
  const found = await db.category.findFirst({ where: { companyId, id: categoryId }, select: { responseHours: true } });
  return found?.responseHours ?? null;
}

export interface ServiceAreaChoice {
  id: number;
  name: string;
  categories: { id: number; name: string; needsAuthorization: boolean; description: string | null }[];
}

/**
 * The company's active service areas (up to 100) with their active categories, by name, as one JSON array: the
 * "Nueva solicitud" form reads it alone, the detail page beside the request (its re-route and correction forms).
 */
export function serviceAreasJson(companyId: number): Prisma.Sql {
  const categories = jsonArray(
    Prisma.sql`SELECT g.id, g.name, g.needs_authorization AS "needsAuthorization", g.description FROM categories g
                WHERE g.company_id = ${companyId}::int AND g.service_area_id = u.id AND g.active`,
    Prisma.sql`p.name, p.id`,
  );
  return jsonArray(
    Prisma.sql`SELECT u.id, u.name, ${categories} AS categories FROM units u
                WHERE u.company_id = ${companyId}::int AND u.kind = 'SERVICE_AREA' AND u.active
                ORDER BY u.name, u.id LIMIT 100`,
    Prisma.sql`p.name, p.id`,
  );
}

/** Active service areas of the company with their active categories (the "Nueva solicitud" form). */
export async function readServiceAreas(db: Db, companyId: number): Promise<ServiceAreaChoice[]> {
  const [found] = await rows<{ areas: ServiceAreaChoice[] }>(
    db,
    Prisma.sql`SELECT ${serviceAreasJson(companyId)} AS areas`,
  );
  return found!.areas;
}

/**
 * The companies with finished requests whose requester did not answer within the company's reopen window: the job's
 * one statement across companies, on purpose (on Citus a join of co-located shards, through the coordinator).
 */
export async function companiesWithUnanswered(db: Db, t: Transition, now: Date): Promise<number[]> {
  const found = await rows<{ companyId: number }>(
    db,
    sql`
    SELECT DISTINCT c.id AS "companyId" FROM companies c
      JOIN requests r ON r.company_id = c.id AND r.status = ${t.from}::text::"RequestStatus"
                     AND r.finalized_at <= ${now}::timestamptz - make_interval(days => c.reopen_days)
     ORDER BY 1`,
  );
  return found.map((f) => f.companyId);
}

/**
 * Closes, as the table's `autoClose` row says, up to `batch` finished requests of the company whose requester did
 * not answer within the company's reopen window, and records each as closed automatically (actor: the requester, on
 * whose behalf it closes). Exactly once: rows another run holds are skipped (SKIP LOCKED), and the update matches
 * only requests still in the row's `from` state, so a second or concurrent run closes nothing twice. Every table
 * names the company: one shard on Citus.
 */
export async function closeUnanswered(
  db: Db,
  companyId: number,
  t: Transition,
  now: Date,
  batch: number,
): Promise<number> {
  const c = companyId;
  const [row] = await rows<{ closed: number }>(
    db,
    sql`
    WITH due AS (
      SELECT r.id FROM companies c
      JOIN requests r ON r.company_id = ${c}::int AND r.status = ${t.from}::text::"RequestStatus"
                     AND r.finalized_at <= ${now}::timestamptz - make_interval(days => c.reopen_days)
      WHERE c.id = ${c}::int
      ORDER BY r.finalized_at
      LIMIT ${batch}
      FOR UPDATE OF r SKIP LOCKED
    ), moved AS (
      UPDATE requests r SET status = ${t.to}::text::"RequestStatus", updated_at = ${now}::timestamptz
        FROM due
       WHERE r.company_id = ${c}::int AND r.id = due.id AND r.status = ${t.from}::text::"RequestStatus"
      RETURNING r.id, r.requester_id,
                (SELECT reopen_days FROM companies WHERE id = ${c}::int) AS days
    ), events AS (
      INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, data, created_at)
      SELECT ${c}::int, id, requester_id, ${eventActionOf(t.action)}::text::"EventAction",
             ${t.from}::text::"RequestStatus", ${t.to}::text::"RequestStatus",
             jsonb_build_object('automatic', true, 'days', days), ${now}::timestamptz
      FROM moved
    )
    SELECT count(*)::int AS closed FROM moved`,
  );
  return row?.closed ?? 0;
}
