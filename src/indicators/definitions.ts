// Every figure of the dashboard is defined here, once: its SQL and the key of its
// "¿Cómo se calcula?" text (locales/<lng>/indicators.json → indicators.how.<key>).
// Queries (queries.ts) and CSV exports only combine these fragments.
//
// Aliases used by every fragment: r = requests, t = tickets (LEFT JOIN, one per
// approved request), c = categories.
import { Prisma } from '../generated/prisma/client.js';

const sql = Prisma.sql;
export type Sql = Prisma.Sql;

/** Hours between two timestamps, as a double. */
export const hoursBetween = (start: Sql, end: Sql) => sql`(date_part('epoch', ${end} - ${start}) / 3600.0)`;

/** When a request left the open backlog (rejected, cancelled or finalized); NULL while open. */
export const closedAt = sql`COALESCE(r.finalized_at, r.rejected_at, r.cancelled_at)`;

/** Open = not yet finalized, rejected or cancelled (an approved request is open until its ticket is done). */
export const isOpen = sql`r.status IN ('PENDING', 'AUTHORIZED', 'APPROVED')`;

/** The open backlog's states: a request's own state, or its ticket's once approved. */
export const backlogState = sql`CASE WHEN r.status = 'APPROVED'
                                     THEN CASE WHEN t.status = 'IN_PROGRESS' THEN 'IN_PROGRESS' ELSE 'ASSIGNED' END
                                     ELSE r.status::text END`;
export const BACKLOG_STATES = ['PENDING', 'AUTHORIZED', 'ASSIGNED', 'IN_PROGRESS'] as const;
export type BacklogState = (typeof BACKLOG_STATES)[number];

export interface VolumeDefinition {
  key: 'received' | 'authorized' | 'rejectedUnit' | 'rejectedServices' | 'approved' | 'finalized' | 'cancelled';
  /** The moment that makes the request count in a period. */
  at: Sql;
  /** Extra condition on the request. */
  where?: Sql;
}

/** Volumes: how many requests reached each step inside the period (by the date of that step). */
export const VOLUMES: VolumeDefinition[] = [
  { key: 'received', at: sql`r.created_at` },
  { key: 'authorized', at: sql`r.authorized_at` },
  { key: 'rejectedUnit', at: sql`r.rejected_at`, where: sql`r.rejection_stage = 'UNIT'` },
  { key: 'rejectedServices', at: sql`r.rejected_at`, where: sql`r.rejection_stage = 'SERVICES'` },
  { key: 'approved', at: sql`r.approved_at` },
  { key: 'finalized', at: sql`r.finalized_at` },
  { key: 'cancelled', at: sql`r.cancelled_at` },
];

export interface StageDefinition {
  key: 'submittedToAuthorized' | 'authorizedToDecided' | 'approvedToStarted' | 'startedToFinished' | 'cycle';
  start: Sql;
  /** The stage counts in the period in which it ended. */
  end: Sql;
  where?: Sql;
}

/** Lead times of each stage: median, 90th percentile and mean of the hours it took. */
export const STAGES: StageDefinition[] = [
  // A unit head's own request is authorized by submitting it: no waiting time to measure.
  {
    key: 'submittedToAuthorized',
    start: sql`r.created_at`,
    end: sql`r.authorized_at`,
    where: sql`r.authorized_by_id IS DISTINCT FROM r.requester_id`,
  },
  {
    key: 'authorizedToDecided',
    start: sql`r.authorized_at`,
    end: sql`COALESCE(r.approved_at, CASE WHEN r.rejection_stage = 'SERVICES' THEN r.rejected_at END)`,
  },
  { key: 'approvedToStarted', start: sql`r.approved_at`, end: sql`t.started_at` },
  { key: 'startedToFinished', start: sql`t.started_at`, end: sql`t.finished_at` },
  { key: 'cycle', start: sql`r.created_at`, end: sql`r.finalized_at` },
];

/** The cycle time (submitted → finalized) in hours; NULL while not finalized. */
export const cycleHours = hoursBetween(sql`r.created_at`, sql`r.finalized_at`);

/**
 * SLA, from the due dates stored on the request (the same ones its due badge shows, src/calendar/due.ts): a request
 * has a target when it has a resolution due date (set on approval from its category's target in working hours,
 * pushed by the time on hold); a finalized one met it when it was finalized by that date.
 */
export const hasTarget = sql`r.resolution_due_at IS NOT NULL`;
export const withinTarget = sql`(r.finalized_at <= r.resolution_due_at)`;
/** The due date that applies now: response due while authorized, resolution due while approved. */
export const applicableDue = sql`CASE r.status WHEN 'AUTHORIZED' THEN r.response_due_at
                                              WHEN 'APPROVED' THEN r.resolution_due_at END`;
/** An open request is overdue ("Vencida") once its applicable due date has passed, unless it is on hold. */
export const pastTarget = (now: Date) => sql`(r.on_hold_since IS NULL AND ${applicableDue} <= ${now}::timestamptz)`;

/** Rejection rate of a cohort: rejected (by the unit or by services) over received. */
export const isRejected = sql`r.status = 'REJECTED'`;

/** Worker figures: tickets finished in the period, their execution time, open load now. */
export const executionHours = hoursBetween(sql`t.started_at`, sql`t.finished_at`);
export const ticketOpen = sql`t.status IN ('ASSIGNED', 'IN_PROGRESS')`;

/**
 * Reopenings (issue 17): of the requests finalized in the period (by their last finish), those whose requester had
 * reopened them at least once; the others were fixed the first time. A reopened request that is not finished again
 * is open, not finalized, so it counts as no success at all.
 */
export const wasReopened = sql`(r.reopen_count > 0)`;

/**
 * Satisfaction: the surveys of the finishes that fall in the period (one per finish, src/satisfaction), how many
 * were answered, and the mean of their ratings (1–5) over the answered ones.
 */
export const surveyAt = sql`s.created_at`;

/** Keys of the "¿Cómo se calcula?" texts shown on the page, one per figure or table. */
export const HOW_KEYS = [
  'volumes',
  'backlog',
  'leadTimes',
  'daily',
  'backlogCurve',
  'byUnit',
  'byCategory',
  'byWorker',
  'sla',
  'overdue',
  'comparison',
] as const;
