// Who hears about what (issue 5): one table from a lifecycle event to its recipients.
// Pure, so the table is unit-tested and the worker only gathers the facts it needs.
import type { EventAction, RequestStatus } from '../generated/prisma/enums.js';

export const EVENT_KINDS = [
  'submitted',
  'authorized',
  'rejected',
  'approved',
  'reassigned',
  'started',
  'finished',
  'cancelled',
  'held',
  'resumed',
  // Scheduled (src/reminders): a step waiting too long, an authorization moved up the chain, a resolution overdue.
  'reminder',
  'escalated',
  'overdue',
  'transferred',
  'confirmed',
  'reopened',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Conversation kinds: a new comment, and an internal note (service-area staff only). */
export const COMMENT_KINDS = ['comment', 'note'] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

/** Every kind a person can choose channels for (the rows of "Mis notificaciones"). */
export const NOTIFICATION_KINDS = [...EVENT_KINDS, ...COMMENT_KINDS] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isCommentKind = (kind: string): kind is CommentKind => (COMMENT_KINDS as readonly string[]).includes(kind);

/**
 * Corrections of category or priority and the requester's edits are recorded in the history but notify nobody; nor
 * does a request closing by itself (nobody answered: nobody is waiting on it).
 */
const SILENT = ['CORRECT', 'EDIT', 'AUTO_CLOSE'] as const;
export type NotifiedAction = Exclude<EventAction, (typeof SILENT)[number]>;
export const isNotified = (action: EventAction): action is NotifiedAction =>
  !(SILENT as readonly EventAction[]).includes(action);

export const KIND_OF_ACTION: Record<NotifiedAction, EventKind> = {
  SUBMIT: 'submitted',
  AUTHORIZE: 'authorized',
  REJECT: 'rejected',
  APPROVE: 'approved',
  REASSIGN: 'reassigned',
  START: 'started',
  FINISH: 'finished',
  CANCEL: 'cancelled',
  // The request now waits on another authorizer: to them it is a new request to authorize.
  REROUTE: 'submitted',
  HOLD: 'held',
  RESUME: 'resumed',
  REMIND: 'reminder',
  ESCALATE: 'escalated',
  OVERDUE: 'overdue',
  // Sent to another service area: its head decides now, the previous one is told it left.
  TRANSFER: 'transferred',
  CONFIRM: 'confirmed',
  REOPEN: 'reopened',
};

/** Why a person hears of an event; the message's wording depends on it. */
export type RecipientRole =
  | 'requester'
  | 'unitHead'
  | 'servicesHead'
  | 'worker'
  | 'previousWorker'
  | 'previousServicesHead'
  /** Follows the request ("Seguidores"): told of what its participants are told, by their preferences. */
  | 'follower';

/** The facts of one event the recipients depend on. */
export interface EventFacts {
  action: NotifiedAction;
  fromStatus: RequestStatus | null;
  /** Null when the system acted (reminders). */
  actorId: number | null;
  /** A reminder's step (AUTHORIZATION, DECISION, RESOLUTION); null otherwise. */
  step?: string | null;
  requesterId: number;
  /** Head of the requester's unit (null when the unit has none). */
  unitHeadId: number | null;
  /** Head of the service area the request targets. */
  servicesHeadId: number | null;
  /** The worker the event assigned (approve, reassign) or the ticket's worker. */
  workerId: number | null;
  previousWorkerId: number | null;
  /** Sent to another area: the head of the area it left. */
  previousServicesHeadId?: number | null;
  /** The request's followers. */
  followerIds?: readonly number[];
}

export interface Recipient {
  userId: number;
  role: RecipientRole;
}

/**
 * The recipients of one event, each once (the first role wins). The person who acted
 * is not told about their own act, except the requester's confirmation of a submission.
 */
export function recipientsFor(f: EventFacts): Recipient[] {
  const list: [number | null, RecipientRole][] = (() => {
    switch (f.action) {
      case 'SUBMIT':
        return [
          [f.requesterId, 'requester'],
          [f.unitHeadId, 'unitHead'],
        ];
      case 'AUTHORIZE':
        return [
          [f.requesterId, 'requester'],
          [f.servicesHeadId, 'servicesHead'],
        ];
      case 'REJECT':
        return [[f.requesterId, 'requester']];
      case 'APPROVE':
        return [
          [f.requesterId, 'requester'],
          [f.workerId, 'worker'],
        ];
      case 'REASSIGN':
        return [
          [f.previousWorkerId, 'previousWorker'],
          [f.workerId, 'worker'],
        ];
      case 'START':
        return [[f.requesterId, 'requester']];
      case 'FINISH':
        return [
          [f.requesterId, 'requester'],
          [f.unitHeadId, 'unitHead'],
        ];
      case 'REROUTE':
      case 'ESCALATE':
        return [[f.unitHeadId, 'unitHead']];
      case 'HOLD':
      case 'RESUME':
        // Whoever did not pause it: the requester always, the services head or the worker.
        return [
          [f.requesterId, 'requester'],
          [f.servicesHeadId, 'servicesHead'],
          [f.workerId, 'worker'],
        ];
      case 'REMIND':
        // The person the step waits on: the authorizer, the services head deciding, the worker near the due date.
        if (f.step === 'AUTHORIZATION') return [[f.unitHeadId, 'unitHead']];
        if (f.step === 'DECISION') return [[f.servicesHeadId, 'servicesHead']];
        return [[f.workerId, 'worker']];
      case 'OVERDUE':
        return [[f.servicesHeadId, 'servicesHead']];
      // The requester's answer to "¿Quedó resuelto?": the worker hears it; a reopening reaches the area's head too.
      case 'CONFIRM':
        return [[f.workerId, 'worker']];
      case 'REOPEN':
        return [
          [f.workerId, 'worker'],
          [f.servicesHeadId, 'servicesHead'],
        ];
      case 'CANCEL':
        // Whoever had it waiting: the unit head before authorization, the services head after.
        return [f.fromStatus === 'AUTHORIZED' ? [f.servicesHeadId, 'servicesHead'] : [f.unitHeadId, 'unitHead']];
      case 'TRANSFER':
        return [
          [f.servicesHeadId, 'servicesHead'],
          [f.previousServicesHeadId ?? null, 'previousServicesHead'],
        ];
    }
  })();
  // Followers hear of what the participants hear of (a REROUTE is only the authorizers' business).
  if (f.action !== 'REROUTE') for (const id of f.followerIds ?? []) list.push([id, 'follower']);
  const seen = new Set<number>();
  const out: Recipient[] = [];
  for (const [userId, role] of list) {
    if (userId === null || seen.has(userId)) continue;
    seen.add(userId);
    if (userId === f.actorId && !(f.action === 'SUBMIT' && role === 'requester')) continue;
    out.push({ userId, role });
  }
  return out;
}

/** The facts of one comment or internal note the recipients depend on. */
export interface CommentFacts {
  internal: boolean;
  authorId: number;
  requesterId: number;
  /** Whether the request still waits for its unit head's authorization. */
  pending: boolean;
  unitHeadId: number | null;
  servicesHeadId: number | null;
  /** The ticket's assigned worker, if any. */
  workerId: number | null;
  /** The request's followers (told of comments, never of internal notes). */
  followerIds?: readonly number[];
}

/**
 * The other participants of a request hear of a new comment: the requester, the unit head
 * while the request is pending, the services head of its area and the assigned worker.
 * An internal note reaches only the service-area participants (services head, worker) and
 * never the requester or the unit head, even when they hold one of those roles too. The
 * author never hears of their own comment.
 */
export function commentRecipients(f: CommentFacts): Recipient[] {
  const list: [number | null, RecipientRole][] = f.internal
    ? [
        [f.servicesHeadId, 'servicesHead'],
        [f.workerId, 'worker'],
      ]
    : [
        [f.requesterId, 'requester'],
        [f.pending ? f.unitHeadId : null, 'unitHead'],
        [f.servicesHeadId, 'servicesHead'],
        [f.workerId, 'worker'],
        ...(f.followerIds ?? []).map((id): [number, RecipientRole] => [id, 'follower']),
      ];
  const excluded = new Set<number | null>([f.authorId, ...(f.internal ? [f.requesterId, f.unitHeadId] : [])]);
  const seen = new Set<number>();
  const out: Recipient[] = [];
  for (const [userId, role] of list) {
    if (userId === null || seen.has(userId) || excluded.has(userId)) continue;
    seen.add(userId);
    out.push({ userId, role });
  }
  return out;
}
