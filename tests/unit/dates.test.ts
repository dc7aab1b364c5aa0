import fc from 'fast-check';
import { formatInTimeZone } from 'date-fns-tz/formatInTimeZone';
import { fromZonedTime } from 'date-fns-tz/fromZonedTime';
import { describe, expect, it } from 'vitest';
import { addDays, localDate, weekdayOf, zonedInstant } from '../../src/web/dates.js';

// Zones with and without daylight saving, east and west, and offsets that are not whole hours.
const ZONES = ['America/Bogota', 'America/Santiago', 'America/Mexico_City', 'Europe/Madrid', 'Asia/Kathmandu', 'UTC'];
const zone = fc.constantFrom(...ZONES);
// 2000–2040, to the minute.
const instant = fc.integer({ min: 946_684_800, max: 2_208_988_800 }).map((s) => new Date(s * 1000));
const day = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('calendar days', () => {
  it("gives an instant's local day as date-fns-tz does, in every zone", () => {
    fc.assert(
      fc.property(instant, zone, (at, tz) => {
        expect(localDate(at, tz)).toBe(formatInTimeZone(at, tz, 'yyyy-MM-dd'));
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives a day's ISO weekday and the next day without a zone", () => {
    fc.assert(
      fc.property(day, (d) => {
        expect(weekdayOf(d)).toBe(Number(formatInTimeZone(fromZonedTime(`${d}T12:00:00`, 'UTC'), 'UTC', 'i')));
        expect(addDays(addDays(d, 1), -1)).toBe(d);
      }),
    );
    expect([weekdayOf('2026-12-06'), weekdayOf('2026-12-07'), addDays('2026-12-31', 1)]).toEqual([7, 1, '2027-01-01']);
  });

  it("turns a zone's local time into the instant date-fns-tz gives, DST changes included, each time anew", () => {
    const minute = fc.integer({ min: 0, max: 24 * 60 - 1 });
    fc.assert(
      fc.property(day, minute, zone, (d, m, tz) => {
        const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const expected = fromZonedTime(`${d}T${hhmm}:00`, tz).getTime();
        expect(zonedInstant(d, m, tz).getTime()).toBe(expected);
        // Asked again: the kept answer, in a Date of its own (a caller may change the one it got).
        const again = zonedInstant(d, m, tz);
        again.setTime(0);
        expect(zonedInstant(d, m, tz).getTime()).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
    // Santiago moves its clocks forward at midnight on the first Sunday of September 2026 (UTC-4 to UTC-3).
    const eight = (d: string) => zonedInstant(d, 8 * 60, 'America/Santiago').toISOString();
    expect([eight('2026-09-05'), eight('2026-09-06')]).toEqual([
      '2026-09-05T12:00:00.000Z',
      '2026-09-06T11:00:00.000Z',
    ]);
  });
});
