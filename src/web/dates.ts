// Calendar days ("YYYY-MM-DD", a day in a company's time zone) and the instants they start at.
import { fromZonedTime } from 'date-fns-tz/fromZonedTime';

const DAY_MS = 86_400_000;

/** The calendar day `n` days after (or before, if negative) `day`. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Midnight starting `day` in `timeZone`, as a UTC instant (DST-aware). */
export function startOfLocalDay(day: string, timeZone: string): Date {
  return fromZonedTime(`${day}T00:00:00`, timeZone);
}

/** The instant the day after `day` starts: the end of `day` (23 or 25 hours later across a DST change). */
export function endOfLocalDay(day: string, timeZone: string): Date {
  return startOfLocalDay(addDays(day, 1), timeZone);
}
