// The request lifecycle (DESIGN §1): one table of transitions, and the pure rules
// that say which of them a person may take on a request. The service applies them.
import type { RequestStatus, TicketStatus } from '../generated/prisma/enums.js';
import type { Actor } from '../auth/index.js';

export type Action =
  | 'authorize'
  | 'reject'
  | 'approve'
  | 'cancel'
  | 'start'
  | 'finish'
  | 'reassign'
  | 'hold'
  | 'resume'
  | 'confirm'
  | 'reopen'
  /** Taken by the scheduled job (src/requests/auto-close.ts), never by a person. */
  | 'autoClose';
/** The actions a person takes (each has its form and route). */
export type PersonAction = Exclude<Action, 'autoClose'>;
export const ACTIONS: readonly PersonAction[] = [
  'authorize',
  'reject',
  'approve',
  'cancel',
  'start',
  'finish',
  'reassign',
  'hold',
  'resume',
  'confirm',
  'reopen',
];

/** Who may take a transition, relative to the request. */
export type Role =
  | 'expectedAuthorizer'
  | 'areaServicesHead'
  | 'requester'
  | 'assignedWorker'
  /** The area's services head or the ticket's worker (either may put a ticket on hold). */
  | 'areaServicesHeadOrWorker'
  /** Nobody: the scheduled job (auto-close). */
  | 'system';

/** Why a request is on hold ("En espera"). */
export const HOLD_REASONS = ['REQUESTER', 'PARTS', 'THIRD_PARTY', 'OTHER'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export interface Transition {
  action: Action;
  from: RequestStatus;
  /** For the ticket's steps, the ticket state expected too. */
  ticketFrom?: TicketStatus;
  who: Role;
  to: RequestStatus;
  ticketTo?: TicketStatus;
  /** Rejections record at which stage they happened. */
  stage?: 'UNIT' | 'SERVICES';
  /**
   * Only while the request is on hold (resume). Every other row applies only while it is not: on hold, nothing
   * moves the request on until it is resumed, so the paused time is exactly the time between hold and resume.
   */
  onHold?: true;
  /** Only inside the company's reopen window after the finish (`RequestState.reopenWindowOpen`). */
  reopenWindow?: true;
}

/** The event row's action of a transition ('autoClose' → AUTO_CLOSE). */
export const eventActionOf = (action: Action) => action.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** Hold and resume: the same state, paused and unpaused, from each state where someone is working on it. */
const pauseRows = (action: 'hold' | 'resume'): Transition[] => {
  const onHold = action === 'resume' ? { onHold: true as const } : {};
  return [
    { action, from: 'AUTHORIZED', who: 'areaServicesHead', to: 'AUTHORIZED', ...onHold },
    ...(['ASSIGNED', 'IN_PROGRESS'] as const).map((ticket): Transition => ({
      action,
      from: 'APPROVED',
      ticketFrom: ticket,
      who: 'areaServicesHeadOrWorker',
      to: 'APPROVED',
      ticketTo: ticket,
      ...onHold,
    })),
  ];
};

export const TRANSITIONS: readonly Transition[] = [
  { action: 'authorize', from: 'PENDING', who: 'expectedAuthorizer', to: 'AUTHORIZED' },
  { action: 'reject', from: 'PENDING', who: 'expectedAuthorizer', to: 'REJECTED', stage: 'UNIT' },
  { action: 'approve', from: 'AUTHORIZED', who: 'areaServicesHead', to: 'APPROVED', ticketTo: 'ASSIGNED' },
  { action: 'reject', from: 'AUTHORIZED', who: 'areaServicesHead', to: 'REJECTED', stage: 'SERVICES' },
  { action: 'cancel', from: 'PENDING', who: 'requester', to: 'CANCELLED' },
  { action: 'cancel', from: 'AUTHORIZED', who: 'requester', to: 'CANCELLED' },
  {
    action: 'start',
    from: 'APPROVED',
    ticketFrom: 'ASSIGNED',
    who: 'assignedWorker',
    to: 'APPROVED',
    ticketTo: 'IN_PROGRESS',
  },
  {
    action: 'finish',
    from: 'APPROVED',
    ticketFrom: 'IN_PROGRESS',
    who: 'assignedWorker',
    to: 'FINALIZED',
    ticketTo: 'DONE',
  },
  {
    action: 'reassign',
    from: 'APPROVED',
    ticketFrom: 'ASSIGNED',
    who: 'areaServicesHead',
    to: 'APPROVED',
    ticketTo: 'ASSIGNED',
  },
  {
    action: 'reassign',
    from: 'APPROVED',
    ticketFrom: 'IN_PROGRESS',
    who: 'areaServicesHead',
    to: 'APPROVED',
    ticketTo: 'IN_PROGRESS',
  },
  ...pauseRows('hold'),
  ...pauseRows('resume'),
  // "¿Quedó resuelto?": the requester confirms (closing it, with an optional rating), or reopens it inside the
  // window: back to the same worker, whose ticket is in progress again (the work was started; its start is kept).
  { action: 'confirm', from: 'FINALIZED', ticketFrom: 'DONE', who: 'requester', to: 'CLOSED', ticketTo: 'DONE' },
  {
    action: 'reopen',
    from: 'FINALIZED',
    ticketFrom: 'DONE',
    who: 'requester',
    to: 'APPROVED',
    ticketTo: 'IN_PROGRESS',
    reopenWindow: true,
  },
  // Nobody answered within the window: the scheduled job closes it (recorded as closed automatically).
  { action: 'autoClose', from: 'FINALIZED', who: 'system', to: 'CLOSED' },
];

/** What the rules need to know of a request. */
export interface RequestState {
  status: RequestStatus;
  requesterId: number;
  requesterUnitId: number;
  serviceAreaId: number;
  /** The unit whose head authorizes (stored at submit; null when the administrators do or none is needed). */
  authorizerUnitId: number | null;
  /** The company's administrators authorize (nobody heads a unit up the chain). */
  awaitingAdmins: boolean;
  ticket: { status: TicketStatus; workerId: number } | null;
  /** Since when the request is on hold ("En espera"); null or absent when it is not. */
  onHoldSince?: Date | null;
  /** Whether the person reading it follows it ("Seguidores"; read for that person, absent: no). */
  followed?: boolean;
  /** A finished request: whether its requester may still reopen it (reopenUntil, from the clock). */
  reopenWindowOpen?: boolean;
}

/** The transition `action` would take from the request's current state, if any. */
export function transitionFor(
  action: Action,
  state: Pick<RequestState, 'status' | 'ticket' | 'onHoldSince' | 'reopenWindowOpen'>,
  { ignoreWindow = false } = {},
): Transition | undefined {
  const onHold = Boolean(state.onHoldSince);
  return TRANSITIONS.find(
    (t) =>
      t.action === action &&
      t.from === state.status &&
      (t.ticketFrom === undefined || t.ticketFrom === state.ticket?.status) &&
      (t.onHold ?? false) === onHold &&
      (ignoreWindow || !t.reopenWindow || state.reopenWindowOpen === true),
  );
}

/** Until when a request finished at `finalizedAt` may be reopened (the company's `reopen_days` after). */
export const reopenUntil = (finalizedAt: Date, reopenDays: number) =>
  new Date(finalizedAt.getTime() + reopenDays * 86_400_000);

export function holdsRole(actor: Actor, role: Role, state: RequestState): boolean {
  switch (role) {
    case 'expectedAuthorizer':
      // Nobody authorizes their own request, even when they became the expected authorizer later.
      if (actor.id === state.requesterId) return false;
      if (state.authorizerUnitId !== null) return actor.headedUnitIds.includes(state.authorizerUnitId);
      return state.awaitingAdmins && actor.isCompanyAdmin;
    case 'areaServicesHead':
      return actor.servicesAreaIds.includes(state.serviceAreaId);
    case 'requester':
      return actor.id === state.requesterId;
    case 'assignedWorker':
      return state.ticket !== null && actor.id === state.ticket.workerId;
    case 'areaServicesHeadOrWorker':
      return holdsRole(actor, 'areaServicesHead', state) || holdsRole(actor, 'assignedWorker', state);
    case 'system':
      return false;
  }
}

/** Whether the role (not the state) allows `actor` to take `action` on this request at any point. */
export function mayEverTake(actor: Actor, action: Action, state: RequestState): boolean {
  return TRANSITIONS.some((t) => t.action === action && holdsRole(actor, t.who, state));
}

export function canTake(actor: Actor, action: Action, state: RequestState): boolean {
  const t = transitionFor(action, state);
  return t !== undefined && holdsRole(actor, t.who, state);
}

/** The actions this person may take now; the views show exactly these, the routes re-check them. */
export function allowedActions(actor: Actor, state: RequestState): PersonAction[] {
  return ACTIONS.filter((a) => canTake(actor, a, state));
}

/**
 * Who takes part in a request by a role: the requester, the head of the requester's unit, the head of the unit that
 * authorizes it, the head of the target service area, the assigned worker, and the company admin.
 */
export function participates(actor: Actor, r: RequestState): boolean {
  return (
    actor.isCompanyAdmin ||
    actor.id === r.requesterId ||
    actor.headedUnitIds.includes(r.requesterUnitId) ||
    (r.authorizerUnitId !== null && actor.headedUnitIds.includes(r.authorizerUnitId)) ||
    actor.servicesAreaIds.includes(r.serviceAreaId) ||
    (r.ticket !== null && r.ticket.workerId === actor.id)
  );
}

/** Who may see a request: its participants and its followers. */
export function canView(actor: Actor, r: RequestState): boolean {
  return participates(actor, r) || r.followed === true;
}

/** Sees the request only because they follow it: no internal notes, no requester's contact. */
export function onlyFollows(actor: Actor, r: RequestState): boolean {
  return r.followed === true && !participates(actor, r);
}

/**
 * The absent head a role is held for, when the actor holds it only as their substitute (the event then records
 * "X, en reemplazo de Y"); null when the actor acts in their own right.
 */
export function onBehalfOf(actor: Actor, role: Role, state: RequestState): number | null {
  // Hold and resume: a worker acts in their own right; a services head may be standing in for the area's head.
  const asServicesHead =
    role === 'areaServicesHead' || (role === 'areaServicesHeadOrWorker' && !holdsRole(actor, 'assignedWorker', state));
  const unitId = role === 'expectedAuthorizer' ? state.authorizerUnitId : asServicesHead ? state.serviceAreaId : null;
  return unitId === null ? null : (actor.actingFor[unitId]?.id ?? null);
}
