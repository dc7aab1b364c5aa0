import { describe, expect, it } from 'vitest';
import { applicableDue, dueAfter, dueBadge, type DueFacts } from '../../src/calendar/due.js';
import { addWorkingMinutes, workingMinutesBetween, type WorkingCalendar } from '../../src/calendar/working-time.js';

const BOGOTA = 'America/Bogota'; // UTC−5 all year
const SANTIAGO = 'America/Santiago'; // DST ends 2026-04-05 03:00Z (−03 → −04)

const approved = (resolutionDueAt: Date | null, onHoldSince: Date | null = null): DueFacts => ({
  status: 'APPROVED',
  responseDueAt: new Date('2026-01-01T00:00:00Z'),
  resolutionDueAt,
  onHoldSince,
});

describe('due badge', () => {
  const due = new Date('2026-03-19T21:00:00Z'); // Thursday 16:00 in Bogotá

  it('is "A tiempo" before the due day, "Vence hoy" on it, "Vencida" from the due instant on', () => {
    expect(dueBadge(approved(due), new Date('2026-03-19T04:59:59Z'), BOGOTA)?.state).toBe('ok'); // Wed 23:59:59
    expect(dueBadge(approved(due), new Date('2026-03-19T05:00:00Z'), BOGOTA)?.state).toBe('today'); // Thu 00:00
    expect(dueBadge(approved(due), new Date('2026-03-19T20:59:59Z'), BOGOTA)?.state).toBe('today');
    expect(dueBadge(approved(due), due, BOGOTA)).toEqual({ state: 'late', at: due });
    expect(dueBadge(approved(due), new Date('2026-03-25T12:00:00Z'), BOGOTA)?.state).toBe('late');
  });

  it('takes "today" in the company’s zone, not in UTC', () => {
    // Due at 23:30 local on 19 March = 04:30Z on the 20th; at 18:00 local on the 19th it is due today there,
    // while in UTC (23:00Z on the 19th) it would fall on the next day.
    const late = new Date('2026-03-20T04:30:00Z');
    expect(dueBadge(approved(late), new Date('2026-03-19T23:00:00Z'), BOGOTA)?.state).toBe('today');
    expect(dueBadge(approved(late), new Date('2026-03-19T23:00:00Z'), 'UTC')?.state).toBe('ok');
  });

  it('finds local midnight across a daylight-saving change (America/Santiago)', () => {
    // 5 April 2026 starts at 00:00 −04 = 04:00Z (the night the clock went back from 00:00 −03 to 23:00 −04).
    const dueApr5 = new Date('2026-04-05T20:00:00Z');
    expect(dueBadge(approved(dueApr5), new Date('2026-04-05T03:59:00Z'), SANTIAGO)?.state).toBe('ok');
    expect(dueBadge(approved(dueApr5), new Date('2026-04-05T04:00:00Z'), SANTIAGO)?.state).toBe('today');
  });

  it('shows "En espera" while on hold, and nothing when no due date applies', () => {
    const held = approved(due, new Date('2026-03-18T15:00:00Z'));
    expect(dueBadge(held, new Date('2026-03-30T12:00:00Z'), BOGOTA)).toEqual({ state: 'hold', at: due });
    expect(dueBadge(approved(null), new Date(), BOGOTA)).toBeNull();
    const finalized = { ...approved(due), status: 'FINALIZED' };
    expect(dueBadge(finalized, new Date('2026-04-30T12:00:00Z'), BOGOTA)).toBeNull();
    expect(dueBadge({ ...finalized, onHoldSince: new Date() }, new Date(), BOGOTA)).toBeNull();
  });

  it('applies the response due date while authorized and the resolution due date once approved', () => {
    const r = { responseDueAt: new Date(1), resolutionDueAt: new Date(2) };
    expect(applicableDue({ ...r, status: 'PENDING' })).toBeNull();
    expect(applicableDue({ ...r, status: 'AUTHORIZED' })).toEqual(new Date(1));
    expect(applicableDue({ ...r, status: 'APPROVED' })).toEqual(new Date(2));
    expect(applicableDue({ ...r, status: 'FINALIZED' })).toBeNull();
  });
});

describe('on-hold pause', () => {
  const cal: WorkingCalendar = {
    timeZone: BOGOTA,
    workingDays: [1, 2, 3, 4, 5],
    dayStart: 480,
    dayEnd: 1020,
    holidays: new Set(['2026-03-23']),
  };

  it('moves the due date forward by the working time on hold, not the calendar time', () => {
    const approvedAt = new Date('2026-03-17T14:00:00Z'); // Tuesday 09:00
    const due = dueAfter(approvedAt, 16, cal)!;
    expect(due).toEqual(new Date('2026-03-18T21:00:00Z')); // Wednesday 16:00
    // On hold from Friday 15:00 to Tuesday 10:00 (weekend and Monday's holiday in between): 2 h + 2 h.
    const held = workingMinutesBetween(new Date('2026-03-20T20:00:00Z'), new Date('2026-03-24T15:00:00Z'), cal);
    expect(held).toBe(240);
    // Wednesday 16:00 + 4 h: 1 h that day, 3 h on Thursday → Thursday 11:00.
    expect(addWorkingMinutes(due, held, cal)).toEqual(new Date('2026-03-19T16:00:00Z'));
  });

  it('adds nothing for a pause outside working hours, and no target gives no due date', () => {
    const due = new Date('2026-03-18T21:00:00Z');
    const held = workingMinutesBetween(new Date('2026-03-18T23:00:00Z'), new Date('2026-03-19T12:30:00Z'), cal);
    expect(held).toBe(0);
    expect(addWorkingMinutes(due, held, cal)).toEqual(due);
    expect(dueAfter(due, null, cal)).toBeNull();
  });
});
