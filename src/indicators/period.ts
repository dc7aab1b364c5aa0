// Calendar arithmetic on plain dates ("YYYY-MM-DD", a day in the company's time zone).
// Turning a day into an instant is left to PostgreSQL (AT TIME ZONE), which knows DST.

export interface Period {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

const DAY_MS = 86_400_000;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `instant` in `timeZone` (one formatter per zone, built once: building one is costly). */
export function localDate(instant: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(instant);
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

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
