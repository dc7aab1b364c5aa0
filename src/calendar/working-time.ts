// Working-time arithmetic in a company's calendar: working days, working hours and holidays, in its time zone.
// Each local day's window is converted to UTC on its own, so a daylight-saving change (America/Santiago) moves the
// window with the clock instead of shifting every later due date by an hour.
import { addDays, localDate, weekdayOf, zonedInstant } from '../web/dates.js';

export interface WorkingCalendar {
  timeZone: string;
  /** ISO weekdays that are working days (1 = Monday … 7 = Sunday). */
  workingDays: readonly number[];
  /** Start and end of the working day, minutes after local midnight (e.g. 8:00 → 480, 17:00 → 1020). */
  dayStart: number;
  dayEnd: number;
  /** Local dates (yyyy-mm-dd) that are not worked. */
  holidays: ReadonlySet<string>;
}

const MINUTE = 60_000;
/** Far enough for any target (a year of holidays and weekends); stops a calendar with no working day from looping. */
const MAX_DAYS = 3 * 366;

/** The working window of a local date, as UTC instants; null when the day is not worked. */
export function workingWindow(day: string, cal: WorkingCalendar): { start: Date; end: Date } | null {
  if (!cal.workingDays.includes(weekdayOf(day)) || cal.holidays.has(day) || cal.dayEnd <= cal.dayStart) return null;
  return { start: zonedInstant(day, cal.dayStart, cal.timeZone), end: zonedInstant(day, cal.dayEnd, cal.timeZone) };
}

function* windowsFrom(from: Date, cal: WorkingCalendar) {
  let day = localDate(from, cal.timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const w = workingWindow(day, cal);
    if (w && w.end > from) yield { start: w.start < from ? from : w.start, end: w.end };
    day = addDays(day, 1);
  }
}

/** The instant `minutes` working minutes after `from` (a due date). */
export function addWorkingMinutes(from: Date, minutes: number, cal: WorkingCalendar): Date {
  let left = Math.max(0, Math.round(minutes)) * MINUTE;
  for (const w of windowsFrom(from, cal)) {
    const span = w.end.getTime() - w.start.getTime();
    if (left <= span) return new Date(w.start.getTime() + left);
    left -= span;
  }
  throw new Error('The working calendar has no working time in the next three years');
}

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function workingMinutesBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  if (to <= from) return 0;
  let total = 0;
  for (const w of windowsFrom(from, cal)) {
    if (w.start >= to) break;
    total += (Math.min(w.end.getTime(), to.getTime()) - w.start.getTime()) / MINUTE;
  }
  return Math.round(total);
}
