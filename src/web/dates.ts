// Calendar days ("YYYY-MM-DD", a day in a company's time zone) and the instants they start at.
//
// These run for every row of a list (the due badge asks whether a due date is today) and for every working day a due
// date is counted across, so they avoid date-fns-tz's general formatting: one of its calls cost 20–30 µs on this
// machine (pattern parsing, zone parsing), against ~3 µs for a kept Intl formatter. A zone's local time is still turned
// into an instant by date-fns-tz (DST gaps and overlaps as it decides them), once per local time and zone.
import { fromZonedTime } from 'date-fns-tz/fromZonedTime';
import { LRUCache } from 'lru-cache';

const DAY_MS = 86_400_000;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `instant` in `timeZone` (one formatter per zone, built once: building one is costly). */
export function localDate(instant: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    // en-CA writes a date as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(instant);
}

const utcOf = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
};

/** The calendar day `n` days after (or before, if negative) `day`. */
export function addDays(day: string, n: number): string {
  return new Date(utcOf(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The ISO weekday of a calendar day (1 = Monday … 7 = Sunday): the same in every time zone. */
export function weekdayOf(day: string): number {
  return new Date(utcOf(day)).getUTCDay() || 7;
}

// A local time of a zone always gives the same instant: the zone's rules are fixed for the life of the process.
const instants = new LRUCache<string, number>({ max: 20_000 });

/** The instant a local time (`minutes` after midnight of `day`) is in `timeZone`, DST-aware. */
export function zonedInstant(day: string, minutes: number, timeZone: string): Date {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  const local = `${day}T${hh}:${mm}:00`;
  const key = `${timeZone} ${local}`;
  let at = instants.get(key);
  if (at === undefined) {
    at = fromZonedTime(local, timeZone).getTime();
    instants.set(key, at);
  }
  return new Date(at);
}

/** Midnight starting `day` in `timeZone`, as a UTC instant (DST-aware). */
export function startOfLocalDay(day: string, timeZone: string): Date {
  return zonedInstant(day, 0, timeZone);
}

/** The instant the day after `day` starts: the end of `day` (23 or 25 hours later across a DST change). */
export function endOfLocalDay(day: string, timeZone: string): Date {
  return startOfLocalDay(addDays(day, 1), timeZone);
}
