// The reminders' statements. Raw SQL: each write is one statement whose reminder row, event and notification job
// exist together or not at all, the reminder row's key making a repeat (or a second worker) write nothing.
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import { outboxInsert } from '../notifications/index.js';
import type { DueReminder, ReminderSettings, WaitingRequest } from './rules.js';

const sql = Prisma.sql;

export interface CompanyReminderSettings extends ReminderSettings {
  companyId: number;
}

/** Every active company with its thresholds: the scan's one statement across companies, on purpose. */
export function companiesToScan(db: Db): Promise<CompanyReminderSettings[]> {
  return rows<CompanyReminderSettings>(
    db,
    sql`SELECT id AS "companyId", remind_after_hours AS "remindAfterHours",
               escalate_after_hours AS "escalateAfterHours", due_soon_hours AS "dueSoonHours"
          FROM companies WHERE active ORDER BY id`,
  );
}

export interface OpenRequest extends WaitingRequest {
  id: number;
  requesterId: number;
  requesterUnitId: number;
  authorizerUnitId: number | null;
}

/** How far ahead a resolution due date can be and still be "due soon" (the soon threshold is at most 40 h). */
const SOON_HORIZON_DAYS = 60;

/**
 * The company's open requests not on hold that may have waited long enough (`waitedSince`: working time never
 * exceeds wall-clock time) or whose resolution falls due within the horizon, with when their step started waiting:
 * a pending one since it reached its authorizer (submitted, rerouted or escalated), an authorized one since its
 * authorization or its last resume, an approved one since its approval (its due date already counts pauses).
 */
export function openRequests(db: Db, companyId: number, now: Date, waitedSince: Date): Promise<OpenRequest[]> {
  const c = companyId;
  const lastEvent = (actions: string[]) =>
    sql`(SELECT max(e.created_at) FROM request_events e
          WHERE e.company_id = ${c}::int AND e.request_id = r.id
            AND e.action::text = ANY(${actions}::text[]))`;
  return rows<OpenRequest>(
    db,
    sql`
    SELECT r.id, r.status::text AS status, r.requester_id AS "requesterId",
           r.requester_unit_id AS "requesterUnitId", r.authorizer_unit_id AS "authorizerUnitId",
           r.resolution_due_at AS "resolutionDueAt",
           CASE r.status WHEN 'PENDING' THEN CASE WHEN r.awaiting_admins THEN 'admins'
                                                  ELSE 'unit:' || r.authorizer_unit_id END
                         ELSE 'area:' || r.service_area_id END AS "waitingOn",
           CASE r.status
             WHEN 'PENDING' THEN GREATEST(r.created_at, ${lastEvent(['REROUTE', 'ESCALATE'])})
             WHEN 'AUTHORIZED' THEN GREATEST(r.authorized_at, ${lastEvent(['RESUME'])})
             ELSE r.approved_at END AS "waitingSince"
      FROM requests r
     WHERE r.company_id = ${c}::int AND r.status IN ('PENDING', 'AUTHORIZED', 'APPROVED') AND r.on_hold_since IS NULL
       AND ((r.status IN ('PENDING', 'AUTHORIZED') AND r.created_at <= ${waitedSince}::timestamptz)
            OR (r.status = 'APPROVED'
                AND r.resolution_due_at <= ${now}::timestamptz + make_interval(days => ${SOON_HORIZON_DAYS}::int)))`,
  );
}

/** The keys of the reminders already sent for these requests ("id|step|threshold|target"). */
export async function sentReminderKeys(db: Db, companyId: number, requestIds: number[]): Promise<Set<string>> {
  if (requestIds.length === 0) return new Set();
  const found = await rows<{ key: string }>(
    db,
    sql`SELECT request_id || '|' || step || '|' || threshold || '|' || target AS key FROM reminders
         WHERE company_id = ${companyId}::int AND request_id = ANY(${requestIds}::int[])`,
  );
  return new Set(found.map((f) => f.key));
}

export const reminderKey = (requestId: number, d: Pick<DueReminder, 'step' | 'threshold' | 'target'>) =>
  `${requestId}|${d.step}|${d.threshold}|${d.target}`;

export interface Notice extends DueReminder {
  requestId: number;
  /** The state the request was seen in: the notice is written only if it is still in it (and not on hold). */
  status: string;
}

/**
 * Records reminders and overdue notices (not escalations): per notice, its reminder row (skipped when it exists),
 * a REMIND or OVERDUE event by nobody, and one notification job for the lot — one statement. Returns how many
 * were recorded.
 */
export async function recordNotices(db: Db, companyId: number, notices: Notice[], now: Date): Promise<number> {
  if (notices.length === 0) return 0;
  const c = companyId;
  const col = <T>(f: (n: Notice) => T) => notices.map(f);
  const [row] = await db.$queryRaw<{ recorded: number }[]>(sql`
    WITH due AS (
      SELECT d.* FROM unnest(${col((n) => n.requestId)}::int[], ${col((n) => n.status)}::text[],
                             ${col((n) => n.step)}::text[], ${col((n) => n.threshold)}::text[],
                             ${col((n) => n.target)}::text[], ${col((n) => n.hours ?? null)}::int[])
                        AS d(request_id, status, step, threshold, target, hours)
        JOIN requests r ON r.company_id = ${c}::int AND r.id = d.request_id
       WHERE r.status::text = d.status AND r.on_hold_since IS NULL
    ), sent AS (
      INSERT INTO reminders (company_id, request_id, step, threshold, target, created_at)
      SELECT ${c}::int, request_id, step, threshold, target, ${now}::timestamptz FROM due
      ON CONFLICT DO NOTHING
      RETURNING request_id, step, threshold, target
    ), events AS (
      INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, data, created_at)
      SELECT ${c}::int, s.request_id, NULL,
             (CASE WHEN s.threshold = 'OVERDUE' THEN 'OVERDUE' ELSE 'REMIND' END)::"EventAction",
             d.status::"RequestStatus", d.status::"RequestStatus",
             jsonb_strip_nulls(jsonb_build_object('step', s.step, 'threshold', s.threshold, 'hours', d.hours,
                                                  'due', CASE WHEN s.step = 'RESOLUTION' THEN s.target END)),
             ${now}::timestamptz
        FROM sent s JOIN due d USING (request_id, step, threshold, target)
      RETURNING id
    ), job AS (${outboxInsert(
      { companyId: c, eventIds: sql`(SELECT jsonb_agg(id::text ORDER BY id) FROM events)` },
      sql`EXISTS (SELECT 1 FROM events)`,
    )})
    SELECT (SELECT count(*) FROM events)::int AS recorded`);
  return row?.recorded ?? 0;
}

export interface Escalation {
  requestId: number;
  /** The reminder key's target: the authorizer it escalates from ("unit:<id>"). */
  target: string;
  hours: number;
  fromUnitId: number;
  /** Where it goes: a unit whose head authorizes, or the administrators (null); undefined: nobody is above. */
  toUnitId: number | null | undefined;
}

/**
 * Escalates one pending authorization: its reminder row and, when someone is above and the request still waits
 * on the same authorizer, the move with its ESCALATE event and notification job — one statement. True when moved.
 */
export async function recordEscalation(db: Db, companyId: number, e: Escalation, now: Date): Promise<boolean> {
  const c = companyId;
  const moves = e.toUnitId !== undefined;
  const [row] = await db.$queryRaw<{ moved: number }[]>(sql`
    WITH sent AS (
      INSERT INTO reminders (company_id, request_id, step, threshold, target, created_at)
      VALUES (${c}::int, ${e.requestId}::int, 'AUTHORIZATION', 'ESCALATE', ${e.target}::text, ${now}::timestamptz)
      ON CONFLICT DO NOTHING
      RETURNING request_id
    ), moved AS (
      UPDATE requests r SET authorizer_unit_id = ${e.toUnitId ?? null}::int,
                            awaiting_admins = ${e.toUnitId === null}::boolean, updated_at = ${now}::timestamptz
        FROM sent
       WHERE ${moves}::boolean AND r.company_id = ${c}::int AND r.id = sent.request_id AND r.status = 'PENDING'
         AND r.on_hold_since IS NULL AND r.authorizer_unit_id = ${e.fromUnitId}::int AND NOT r.awaiting_admins
      RETURNING r.id
    ), events AS (
      INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, data, created_at)
      SELECT ${c}::int, moved.id, NULL, 'ESCALATE', 'PENDING', 'PENDING',
             jsonb_build_object('fromUnitId', ${e.fromUnitId}::int, 'authorizerUnitId', ${e.toUnitId ?? null}::int,
                                'hours', ${e.hours}::int),
             ${now}::timestamptz
        FROM moved
      RETURNING id
    ), job AS (${outboxInsert(
      { companyId: c, eventIds: sql`(SELECT jsonb_agg(id::text ORDER BY id) FROM events)` },
      sql`EXISTS (SELECT 1 FROM events)`,
    )})
    SELECT (SELECT count(*) FROM events)::int AS moved`);
  return (row?.moved ?? 0) > 0;
}
