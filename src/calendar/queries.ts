// Statements of the working calendar (Prisma where it reads well, raw SQL where measured faster: here the one
// statement the lifecycle runs per step and the admin page's read are raw SQL, its writes Prisma).
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import type { WorkingCalendar } from './working-time.js';

type Tx = Prisma.TransactionClient;

export interface WorkingHours {
  workingDays: number[];
  workdayStart: number;
  workdayEnd: number;
}

/** Reminders and escalation thresholds in working hours (src/reminders reads them; 0 switches one off). */
export interface ReminderHours {
  remindAfterHours: number;
  escalateAfterHours: number;
  dueSoonHours: number;
}

export interface CalendarSettings extends WorkingHours, ReminderHours {
  timezone: string;
  country: string;
}

export interface HolidayRow {
  id: number;
  day: string;
  name: string;
}

/** yyyy-mm-dd of a DATE column (Prisma reads it as UTC midnight). */
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);

export function calendarSettings(db: Db | Tx, companyId: number): Promise<CalendarSettings> {
  return db.company.findUniqueOrThrow({
    where: { id: companyId },
    select: {
      timezone: true,
      country: true,
      workingDays: true,
      workdayStart: true,
      workdayEnd: true,
      remindAfterHours: true,
      escalateAfterHours: true,
      dueSoonHours: true,
    },
  });
}

export async function updateReminderHours(tx: Tx, companyId: number, data: ReminderHours): Promise<void> {
  await tx.company.update({ where: { id: companyId }, data, select: { id: true } });
}

export async function updateWorkingHours(tx: Tx, companyId: number, data: WorkingHours): Promise<void> {
  await tx.company.update({ where: { id: companyId }, data, select: { id: true } });
}

/** The calendar page's settings and the holidays of `year`, in date order, in one statement. */
export async function readCalendarPage(db: Db, companyId: number, year: number) {
  const [row] = await rows<CalendarSettings & { holidays: HolidayRow[] }>(
    db,
    Prisma.sql`
    SELECT c.timezone, c.country, c.working_days AS "workingDays", c.workday_start AS "workdayStart",
           c.workday_end AS "workdayEnd", c.remind_after_hours AS "remindAfterHours",
           c.escalate_after_hours AS "escalateAfterHours", c.due_soon_hours AS "dueSoonHours",
           (SELECT coalesce(json_agg(h ORDER BY h.day), '[]')
              FROM (SELECT id, to_char(day, 'YYYY-MM-DD') AS day, name FROM holidays
                     WHERE company_id = ${companyId}::int AND day >= ${`${year}-01-01`}::date
                       AND day < ${`${year + 1}-01-01`}::date
                     ORDER BY day LIMIT 400) h) AS holidays
      FROM companies c
     WHERE c.id = ${companyId}::int`,
  );
  if (!row) throw new Error(`company ${companyId} not found`);
  const { holidays, ...calendar } = row;
  return { calendar, holidays };
}

/** Inserts holidays, leaving the days the company already has untouched; returns how many were added. */
export async function insertHolidays(tx: Tx, companyId: number, list: { day: string; name: string }[]) {
  const { count } = await tx.holiday.createMany({
    data: list.map((h) => ({ companyId, day: dateOf(h.day), name: h.name })),
    skipDuplicates: true,
  });
  return count;
}

/** Deletes one of the company's holidays; null when it is not one of them. */
export async function deleteHolidayRow(tx: Tx, companyId: number, id: number): Promise<HolidayRow | null> {
  const found = await tx.holiday.findFirst({ where: { companyId, id }, select: { id: true, day: true, name: true } });
  if (!found) return null;
  await tx.holiday.deleteMany({ where: { companyId, id } });
  return { ...found, day: dayOf(found.day) };
}

/**
 * The company's working calendar with the holidays of `fromYear` and the next (a due date or a pause starting then
 * ends within them), as one json value: a statement that reads other things too (a request's state) takes it along.
 */
export function workingCalendarJson(companyId: number, fromYear: number): Prisma.Sql {
  return Prisma.sql`
    (SELECT json_build_object(
              'timezone', c.timezone, 'days', c.working_days, 'start', c.workday_start, 'end', c.workday_end,
              'holidays', COALESCE((SELECT array_agg(to_char(h.day, 'YYYY-MM-DD')) FROM holidays h
                                     WHERE h.company_id = ${companyId}::int
                                       AND h.day >= make_date(${fromYear}::int, 1, 1)
                                       AND h.day < make_date(${fromYear + 2}::int, 1, 1)), '{}'))
       FROM companies c WHERE c.id = ${companyId}::int)`;
}

/** The calendar's json value as read. */
export interface WorkingCalendarJson {
  timezone: string;
  days: number[] | null;
  start: number;
  end: number;
  holidays: string[];
}

/** The calendar of workingCalendarJson's value. */
export function calendarOfJson(json: WorkingCalendarJson): WorkingCalendar {
  return {
    timeZone: json.timezone,
    workingDays: json.days ?? [],
    dayStart: json.start,
    dayEnd: json.end,
    holidays: new Set(json.holidays),
  };
}

/** The company's working calendar from `fromYear` (workingCalendarJson), in one statement. */
export async function readWorkingCalendar(db: Db, companyId: number, fromYear: number): Promise<WorkingCalendar> {
  const [row] = await rows<{ calendar: WorkingCalendarJson | null }>(
    db,
    Prisma.sql`SELECT ${workingCalendarJson(companyId, fromYear)} AS calendar`,
  );
  if (!row?.calendar) throw new Error(`company ${companyId} not found`);
  return calendarOfJson(row.calendar);
}
