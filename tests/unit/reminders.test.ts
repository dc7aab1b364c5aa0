// Issue 16: which reminder is due for a waiting request, in working hours (pure rules of src/reminders/rules.ts).
import { describe, expect, it } from 'vitest';
import { dueReminders, waitedAtLeastSince, type WaitingRequest } from '../../src/reminders/rules.js';
import { recipientsFor, type EventFacts } from '../../src/notifications/events.js';

const cal = {
  timeZone: 'America/Santiago',
  workingDays: [1, 2, 3, 4, 5],
  dayStart: 9 * 60,
  dayEnd: 18 * 60,
  holidays: new Set(['2026-12-08']),
};
const settings = { remindAfterHours: 8, escalateAfterHours: 16, dueSoonHours: 4 };
// Santiago is UTC−3 in December (daylight saving time).
const local = (day: string, hh: string) => new Date(`${day}T${hh}:00-03:00`);
const pending = (since: Date, waitingOn = 'unit:7'): WaitingRequest => ({
  status: 'PENDING',
  waitingSince: since,
  waitingOn,
  resolutionDueAt: null,
});

describe('dueReminders', () => {
  const since = local('2026-12-04', '14:00'); // Friday: 4 working hours left that day

  it.each([
    ['Monday 12:00 (7 h)', local('2026-12-07', '12:00'), []],
    ['Monday 13:00 (8 h)', local('2026-12-07', '13:00'), [['REMIND', 8]]],
    ['Tuesday, a holiday (13 h)', local('2026-12-08', '16:00'), [['REMIND', 13]]],
    ['Wednesday 12:00 (16 h)', local('2026-12-09', '12:00'), [['ESCALATE', 16]]],
  ])('a pending authorization on %s', (_, now, expected) => {
    const due = dueReminders(pending(since), settings, now, cal);
    expect(due.map((d) => [d.threshold, d.hours])).toEqual(expected);
    for (const d of due) expect(d).toMatchObject({ step: 'AUTHORIZATION', target: 'unit:7' });
  });

  it('administrators are reminded but never escalated past', () => {
    const due = dueReminders(pending(since, 'admins'), settings, local('2026-12-31', '12:00'), cal);
    expect(due.map((d) => d.threshold)).toEqual(['REMIND']);
  });

  it('a setting of 0 switches its threshold off', () => {
    const now = local('2026-12-31', '12:00');
    expect(dueReminders(pending(since), { ...settings, escalateAfterHours: 0 }, now, cal)).toMatchObject([
      { threshold: 'REMIND' },
    ]);
    expect(dueReminders(pending(since), { ...settings, remindAfterHours: 0, escalateAfterHours: 0 }, now, cal)).toEqual(
      [],
    );
  });

  it('an authorized request reminds its services head (its decision step), never escalates', () => {
    const r: WaitingRequest = { ...pending(since, 'area:3'), status: 'AUTHORIZED' };
    expect(dueReminders(r, settings, local('2026-12-31', '12:00'), cal)).toMatchObject([
      { step: 'DECISION', threshold: 'REMIND', target: 'area:3' },
    ]);
  });

  it('a resolution: nothing far from its due date, "soon" within it, overdue after it (keyed by the date)', () => {
    const due = local('2026-12-09', '12:00');
    const r: WaitingRequest = { status: 'APPROVED', waitingSince: since, waitingOn: 'area:3', resolutionDueAt: due };
    expect(dueReminders(r, settings, local('2026-12-07', '12:00'), cal)).toEqual([]);
    // Monday 17:00 → Wednesday 12:00 is 1 + 3 = 4 working hours (Tuesday is a holiday).
    expect(dueReminders(r, settings, local('2026-12-07', '17:00'), cal)).toEqual([
      { step: 'RESOLUTION', threshold: 'SOON', target: due.toISOString() },
    ]);
    expect(dueReminders(r, settings, local('2026-12-09', '12:00'), cal)).toEqual([
      { step: 'RESOLUTION', threshold: 'OVERDUE', target: due.toISOString() },
    ]);
    expect(dueReminders({ ...r, resolutionDueAt: null }, settings, local('2026-12-31', '12:00'), cal)).toEqual([]);
  });

  it('the wall-clock filter never excludes a request that is due', () => {
    const now = local('2026-12-07', '13:00');
    expect(waitedAtLeastSince(settings, now).getTime()).toBe(now.getTime() - 8 * 3_600_000);
    expect(since.getTime()).toBeLessThan(waitedAtLeastSince(settings, now).getTime());
  });
});

describe('who hears of a reminder', () => {
  const facts = (over: Partial<EventFacts>): EventFacts => ({
    action: 'REMIND',
    fromStatus: 'PENDING',
    actorId: null,
    requesterId: 1,
    unitHeadId: 2,
    servicesHeadId: 3,
    workerId: 4,
    previousWorkerId: null,
    ...over,
  });
  it.each([
    [{ step: 'AUTHORIZATION' }, [[2, 'unitHead']]],
    [{ step: 'DECISION' }, [[3, 'servicesHead']]],
    [{ step: 'RESOLUTION' }, [[4, 'worker']]],
    [{ action: 'OVERDUE' as const }, [[3, 'servicesHead']]],
    [{ action: 'ESCALATE' as const }, [[2, 'unitHead']]],
    [
      { action: 'HOLD' as const, actorId: 4 },
      [
        [1, 'requester'],
        [3, 'servicesHead'],
      ],
    ],
  ])('%o', (over, expected) => {
    expect(recipientsFor(facts(over)).map((r) => [r.userId, r.role])).toEqual(expected);
  });
});
