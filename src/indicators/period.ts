// Calendar arithmetic on plain dates ("YYYY-MM-DD", a day in the company's time zone).
// A day becomes an instant through src/web/dates.ts, like the inbox filters' days.
import { addDays, endOfLocalDay, localDate, startOfLocalDay } from '../web/dates.js';

export { addDays, localDate };

export interface Period {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

const DAY_MS = 86_400_000;

/** Number of days from `from` to `to`, both inclusive. */
export function periodLength({ from, to }: Period): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The last `days` days up to today (in the company's time zone), today included. */
export function lastDays(now: Date, timeZone: string, days: number): Period {
  const to = localDate(now, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}

/** The period of equal length that ends the day before `period` starts. */
export function previousPeriod(period: Period): Period {
  const n = periodLength(period);
  return { from: addDays(period.from, -n), to: addDays(period.from, -1) };
}

/** Every day of the period, in order. */
export function daysOf(period: Period): string[] {
  const n = periodLength(period);
  return Array.from({ length: n }, (_, i) => addDays(period.from, i));
}

/** Instants bounding the period and the previous one: [prevFrom, from) and [from, to). */
export interface Bounds {
  prevFrom: Date;
  from: Date;
  to: Date;
}

/** The period's bounds as instants, from the local midnights of the company's time zone. */
export function periodBounds(timeZone: string, period: Period): Bounds {
  return {
    prevFrom: startOfLocalDay(previousPeriod(period).from, timeZone),
    from: startOfLocalDay(period.from, timeZone),
    to: endOfLocalDay(period.to, timeZone),
  };
}
