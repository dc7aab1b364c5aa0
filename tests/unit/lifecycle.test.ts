import { describe, expect, it } from 'vitest';
import type { RequestStatus, TicketStatus } from '../../src/generated/prisma/enums.js';
import {
  ACTIONS,
  allowedActions,
  canTake,
  canView,
  eventActionOf,
  onBehalfOf,
  reopenUntil,
  transitionFor,
  TRANSITIONS,
  type Action,
  type RequestState,
} from '../../src/requests/lifecycle.js';
import type { Actor } from '../../src/auth/actor.js';

const UNIT = 10;
const AREA = 20;
const OTHER_UNIT = 11;
const OTHER_AREA = 21;

function actor(over: Partial<Actor> = {}): Actor {
  return {
    id: 1,
    companyId: 1,
    companyName: 'E',
    timezone: 'America/Bogota',
    companyLocale: 'es',
    name: 'A',
    email: 'a@x',
    locale: null,
    unitId: UNIT,
    unitName: 'U',
    isCompanyAdmin: false,
    isWorker: false,
    headedUnitIds: [],
    servicesAreaIds: [],
    headedUnits: [],
    actingFor: {},
    waiting: { toAuthorize: 0, toDecide: 0, openTickets: 0 },
    ...over,
  };
}

const requester = actor({ id: 1 });
const unitHead = actor({ id: 2, headedUnitIds: [UNIT] });
const otherUnitHead = actor({ id: 3, headedUnitIds: [OTHER_UNIT] });
const servicesHead = actor({ id: 4, unitId: AREA, headedUnitIds: [AREA], servicesAreaIds: [AREA] });
const otherServicesHead = actor({ id: 5, headedUnitIds: [OTHER_AREA], servicesAreaIds: [OTHER_AREA] });
const worker = actor({ id: 6, unitId: AREA, isWorker: true });
const otherWorker = actor({ id: 7, unitId: AREA, isWorker: true });
const admin = actor({ id: 8, isCompanyAdmin: true, unitId: OTHER_UNIT });

function state(
  status: RequestStatus,
  ticket: TicketStatus | null = null,
  onHoldSince: Date | null = null,
  reopenWindowOpen = true,
): RequestState {
  return {
    reopenWindowOpen,
    status,
    requesterId: 1,
    requesterUnitId: UNIT,
    serviceAreaId: AREA,
    authorizerUnitId: UNIT,
    awaitingAdmins: false,
    ticket: ticket ? { status: ticket, workerId: 6 } : null,
    onHoldSince,
  };
}

const STATES: [RequestStatus, TicketStatus | null][] = [
  ['PENDING', null],
  ['AUTHORIZED', null],
  ['APPROVED', 'ASSIGNED'],
  ['APPROVED', 'IN_PROGRESS'],
  ['FINALIZED', 'DONE'],
  ['CLOSED', 'DONE'],
  ['REJECTED', null],
  ['CANCELLED', null],
];

// The whole table, written out: [request state, ticket state] → action → [who may, resulting state].
const EXPECTED: Record<string, Partial<Record<Action, [Actor | Actor[], RequestStatus, TicketStatus?]>>> = {
  'PENDING/-': {
    authorize: [unitHead, 'AUTHORIZED'],
    reject: [unitHead, 'REJECTED'],
    cancel: [requester, 'CANCELLED'],
  },
  'AUTHORIZED/-': {
    approve: [servicesHead, 'APPROVED', 'ASSIGNED'],
    reject: [servicesHead, 'REJECTED'],
    cancel: [requester, 'CANCELLED'],
    hold: [servicesHead, 'AUTHORIZED'],
  },
  'APPROVED/ASSIGNED': {
    start: [worker, 'APPROVED', 'IN_PROGRESS'],
    reassign: [servicesHead, 'APPROVED', 'ASSIGNED'],
    hold: [[servicesHead, worker], 'APPROVED', 'ASSIGNED'],
  },
  'APPROVED/IN_PROGRESS': {
    finish: [worker, 'FINALIZED', 'DONE'],
    reassign: [servicesHead, 'APPROVED', 'IN_PROGRESS'],
    hold: [[servicesHead, worker], 'APPROVED', 'IN_PROGRESS'],
  },
  // "¿Quedó resuelto?": only the requester answers; a reopened request goes back to the same worker, in progress.
  'FINALIZED/DONE': {
    confirm: [requester, 'CLOSED', 'DONE'],
    reopen: [requester, 'APPROVED', 'IN_PROGRESS'],
  },
  'CLOSED/DONE': {},
  'REJECTED/-': {},
  'CANCELLED/-': {},
};
const EVERYONE = [requester, unitHead, otherUnitHead, servicesHead, otherServicesHead, worker, otherWorker, admin];

describe('transitions table', () => {
  for (const [status, ticket] of STATES) {
    const key = `${status}/${ticket ?? '-'}`;
    for (const action of ACTIONS) {
      const expected = EXPECTED[key]![action];
      if (expected) {
        const [who, to, ticketTo] = expected;
        const ids = [who].flat().map((p) => p.id);
        it(`${key} + ${action}: allowed to ${ids} only, leads to ${to}${ticketTo ? '/' + ticketTo : ''}`, () => {
          const t = transitionFor(action, state(status, ticket));
          expect(t?.to).toBe(to);
          expect(t?.ticketTo).toBe(ticketTo);
          const allowed = [who].flat();
          for (const person of EVERYONE)
            expect(canTake(person, action, state(status, ticket)), `actor ${person.id}`).toBe(allowed.includes(person));
        });
      } else {
        it(`${key} + ${action}: refused to everyone`, () => {
          expect(transitionFor(action, state(status, ticket))).toBeUndefined();
          for (const person of EVERYONE) expect(canTake(person, action, state(status, ticket))).toBe(false);
        });
      }
    }
  }

  it('has one row per (state, ticket state, action)', () => {
    const keys = TRANSITIONS.map((t) => `${t.from}/${t.ticketFrom ?? '-'}/${t.action}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reopens only inside the window; confirming needs no window', () => {
    const late = state('FINALIZED', 'DONE', null, false);
    expect(transitionFor('reopen', late)).toBeUndefined();
    expect(transitionFor('reopen', late, { ignoreWindow: true })?.to).toBe('APPROVED');
    expect(canTake(requester, 'reopen', late)).toBe(false);
    expect(allowedActions(requester, late)).toEqual(['confirm']);
    expect(allowedActions(requester, state('FINALIZED', 'DONE'))).toEqual(['confirm', 'reopen']);
    expect(allowedActions(worker, state('FINALIZED', 'DONE'))).toEqual([]);
  });

  it("auto-close is the system's row: nobody takes it, it closes an unanswered finished request", () => {
    const row = transitionFor('autoClose', state('FINALIZED', 'DONE'))!;
    expect([row.from, row.to, row.who]).toEqual(['FINALIZED', 'CLOSED', 'system']);
    for (const person of EVERYONE) expect(canTake(person, 'autoClose', state('FINALIZED', 'DONE'))).toBe(false);
    expect(eventActionOf('autoClose')).toBe('AUTO_CLOSE');
    expect(eventActionOf('reopen')).toBe('REOPEN');
    expect(reopenUntil(new Date('2026-03-02T15:00:00Z'), 7)).toEqual(new Date('2026-03-09T15:00:00Z'));
  });

  it('records the stage of a rejection', () => {
    expect(transitionFor('reject', state('PENDING'))?.stage).toBe('UNIT');
    expect(transitionFor('reject', state('AUTHORIZED'))?.stage).toBe('SERVICES');
  });

  it('lists the allowed actions of each person', () => {
    expect(allowedActions(unitHead, state('PENDING'))).toEqual(['authorize', 'reject']);
    expect(allowedActions(requester, state('PENDING'))).toEqual(['cancel']);
    expect(allowedActions(servicesHead, state('APPROVED', 'IN_PROGRESS'))).toEqual(['reassign', 'hold']);
    expect(allowedActions(admin, state('AUTHORIZED'))).toEqual([]);
  });
});

describe('on hold', () => {
  const since = new Date('2026-03-17T16:00:00Z');
  const HELD: [RequestStatus, TicketStatus | null, Actor[]][] = [
    ['AUTHORIZED', null, [servicesHead]],
    ['APPROVED', 'ASSIGNED', [servicesHead, worker]],
    ['APPROVED', 'IN_PROGRESS', [servicesHead, worker]],
  ];

  it('only resumes: nothing else moves a request on hold, and resume keeps its state', () => {
    for (const [status, ticket, who] of HELD) {
      const held = state(status, ticket, since);
      for (const person of EVERYONE) {
        expect(allowedActions(person, held)).toEqual(who.includes(person) ? ['resume'] : []);
      }
      const t = transitionFor('resume', held)!;
      expect([t.to, t.ticketTo, t.onHold]).toEqual([status, ticket ?? undefined, true]);
    }
  });

  it('refuses resume when not on hold, and hold outside the states where someone works on it', () => {
    for (const [status, ticket] of STATES) expect(transitionFor('resume', state(status, ticket))).toBeUndefined();
    for (const [status, ticket] of [...STATES].filter(([s]) => s !== 'AUTHORIZED' && s !== 'APPROVED'))
      expect(transitionFor('hold', state(status, ticket))).toBeUndefined();
  });
});

describe('visibility', () => {
  it('lets the participants and the company admin see a request, and no one else', () => {
    const s = state('APPROVED', 'ASSIGNED');
    for (const who of [requester, unitHead, servicesHead, worker, admin]) expect(canView(who, s)).toBe(true);
    for (const who of [otherUnitHead, otherServicesHead, otherWorker]) expect(canView(who, s)).toBe(false);
  });

  it('lets the head of the stored authorizer unit see and authorize, not the head of the requester’s unit', () => {
    const s = { ...state('PENDING'), authorizerUnitId: OTHER_UNIT };
    expect(canView(otherUnitHead, s)).toBe(true);
    expect(canTake(otherUnitHead, 'authorize', s)).toBe(true);
    expect(canTake(unitHead, 'authorize', s)).toBe(false);
  });

  it('lets an admin authorize only when the administrators are expected, never their own request', () => {
    const toAdmins = { ...state('PENDING'), authorizerUnitId: null, awaitingAdmins: true };
    expect(canTake(admin, 'authorize', toAdmins)).toBe(true);
    expect(canTake(admin, 'authorize', state('PENDING'))).toBe(false);
    expect(canTake(unitHead, 'authorize', toAdmins)).toBe(false);
    expect(canTake({ ...admin, id: 1 }, 'authorize', toAdmins)).toBe(false);
  });

  it('records the absent head a substitute acts for', () => {
    const substitute = actor({ id: 9, headedUnitIds: [UNIT], actingFor: { [UNIT]: { id: 2, name: 'Jefe' } } });
    expect(canTake(substitute, 'authorize', state('PENDING'))).toBe(true);
    expect(onBehalfOf(substitute, 'expectedAuthorizer', state('PENDING'))).toBe(2);
    expect(onBehalfOf(unitHead, 'expectedAuthorizer', state('PENDING'))).toBeNull();
  });
});
