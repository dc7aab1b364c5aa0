import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proposedHolidays } from '../../src/calendar/holidays.js';
import { addWorkingMinutes, workingMinutesBetween, type WorkingCalendar } from '../../src/calendar/working-time.js';
import { localDate } from '../../src/web/dates.js';
import { formatInTimeZone } from 'date-fns-tz/formatInTimeZone';

const weekdays8to17 = (timeZone: string, holidays: string[] = []): WorkingCalendar => ({
  timeZone,
  workingDays: [1, 2, 3, 4, 5],
  dayStart: 8 * 60,
  dayEnd: 17 * 60,
  holidays: new Set(holidays),
});

const local = (d: Date, tz: string) => formatInTimeZone(d, tz, "yyyy-MM-dd'T'HH:mm XXX");

describe('working time', () => {
  const bogota = weekdays8to17('America/Bogota');

  it('carries what is left on Friday evening over the weekend to Monday morning', () => {
    const friday4pm = new Date('2026-11-27T21:00:00Z'); // 16:00 in Bogotá (UTC-5)
    expect(local(addWorkingMinutes(friday4pm, 120, bogota), bogota.timeZone)).toBe('2026-11-30T09:00 -05:00');
    expect(workingMinutesBetween(friday4pm, new Date('2026-11-30T14:00:00Z'), bogota)).toBe(120);
  });

  it('skips a holiday as it skips a weekend', () => {
    const cal = weekdays8to17('America/Bogota', ['2026-11-30']);
    const friday4pm = new Date('2026-11-27T21:00:00Z');
    expect(local(addWorkingMinutes(friday4pm, 120, cal), cal.timeZone)).toBe('2026-12-01T09:00 -05:00');
    expect(workingMinutesBetween(friday4pm, new Date('2026-12-01T14:00:00Z'), cal)).toBe(120);
  });

  it('starts counting when the working day starts, and not after it ends', () => {
    const early = new Date('2026-12-01T11:00:00Z'); // 06:00
    expect(local(addWorkingMinutes(early, 60, bogota), bogota.timeZone)).toBe('2026-12-01T09:00 -05:00');
    const late = new Date('2026-12-01T23:30:00Z'); // 18:30
    expect(local(addWorkingMinutes(late, 30, bogota), bogota.timeZone)).toBe('2026-12-02T08:30 -05:00');
    expect(workingMinutesBetween(late, new Date('2026-12-02T12:59:00Z'), bogota)).toBe(0);
  });

  it('follows the clock across daylight-saving changes (America/Santiago)', () => {
    // Chile leaves summer time on the night of 4–5 April 2026 (UTC-3 → UTC-4); Good Friday, 3 April, is a holiday.
    const cal = weekdays8to17('America/Santiago', ['2026-04-03']);
    const thursday4pm = new Date('2026-04-02T19:00:00Z'); // 16:00 at UTC-3
    const due = addWorkingMinutes(thursday4pm, 120, cal);
    expect(local(due, cal.timeZone)).toBe('2026-04-06T09:00 -04:00');
    expect(workingMinutesBetween(thursday4pm, due, cal)).toBe(120);
    // …and enters it again on the night of 5–6 September 2026 (UTC-4 → UTC-3).
    const friday4pm = new Date('2026-09-04T20:00:00Z'); // 16:00 at UTC-4
    expect(local(addWorkingMinutes(friday4pm, 120, cal), cal.timeZone)).toBe('2026-09-07T09:00 -03:00');
  });

  it('counts back exactly what it added, wherever it starts', () => {
    const cal = weekdays8to17('America/Santiago', ['2026-04-03', '2026-05-01']);
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 60 * 200 }),
        (from, minutes) => workingMinutesBetween(from, addWorkingMinutes(from, minutes, cal), cal) === minutes,
      ),
      { numRuns: 300 },
    );
  });

  it('gives the local date in the zone', () => {
    expect(localDate(new Date('2026-12-01T03:00:00Z'), 'America/Bogota')).toBe('2026-11-30');
  });

  it('refuses a calendar without working time instead of looping', () => {
    const none = { ...bogota, workingDays: [] };
    expect(() => addWorkingMinutes(new Date(), 60, none)).toThrow(/no working time/);
  });
});

describe('proposed holidays', () => {
  it("come from the country's public holidays", async () => {
    const co = await proposedHolidays('CO', 2026);
    expect(co.map((h) => h.date)).toContain('2026-12-25');
    expect(co.map((h) => h.date)).toContain('2026-07-20');
    expect(new Set(co.map((h) => h.date)).size).toBe(co.length);
  });
});
