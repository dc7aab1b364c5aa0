// The working calendar's use cases: the admin page (working days and hours, holidays, proposed public holidays)
// and the calendar the lifecycle computes due dates with.
import { auditActor, diff, recordAudit } from '../audit/index.js';
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { NotFoundError, ValidationError } from '../web/errors.js';
import { isUniqueViolation } from '../db/errors.js';
import { proposedHolidays } from './holidays.js';
import {
  calendarSettings,
  deleteHolidayRow,
  readCalendarPage,
  insertHolidays,
  readWorkingCalendar,
  updateReminderHours,
  updateWorkingHours,
} from './queries.js';
import type { HolidayInput, ReminderHoursInput, WorkingHoursInput } from './schemas.js';
import { localDate } from '../web/dates.js';
import type { WorkingCalendar } from './working-time.js';

interface Deps {
  db: Db;
}

/** The calendar page: working days and hours, the holidays of `year`, and the country whose holidays are proposed. */
export async function loadCalendarPage({ db }: Deps, actor: Actor, input: { year: number }) {
  const { calendar, holidays } = await readCalendarPage(db, actor.companyId, input.year);
  return { calendar, holidays, year: input.year };
}

/** The current year in the company's zone (the page's default). */
export const currentYear = (actor: Actor, now: Date) => Number(localDate(now, actor.timezone).slice(0, 4));

export async function saveWorkingHours({ db }: Deps, actor: Actor, input: WorkingHoursInput): Promise<void> {
  const { companyId } = actor;
  await db.$transaction(async (tx) => {
    const { workingDays, workdayStart, workdayEnd } = await calendarSettings(tx, companyId);
    await updateWorkingHours(tx, companyId, input);
    await recordAudit(tx, companyId, auditActor(actor), {
      action: 'calendar.updated',
      entityType: 'company',
      entityId: companyId,
      summary: 'calendar',
      changes: diff({ workingDays, workdayStart, workdayEnd }, input),
    });
  });
}

/** The reminder and escalation thresholds (src/reminders), audited like the working hours. */
export async function saveReminderHours({ db }: Deps, actor: Actor, input: ReminderHoursInput): Promise<void> {
  const { companyId } = actor;
  await db.$transaction(async (tx) => {
    const { remindAfterHours, escalateAfterHours, dueSoonHours } = await calendarSettings(tx, companyId);
    await updateReminderHours(tx, companyId, input);
    await recordAudit(tx, companyId, auditActor(actor), {
      action: 'reminders.updated',
      entityType: 'company',
      entityId: companyId,
      summary: 'reminders',
      changes: diff({ remindAfterHours, escalateAfterHours, dueSoonHours }, input),
    });
  });
}

/** Adds a holiday; a day the company already has is a field error. */
export async function addHoliday({ db }: Deps, actor: Actor, input: HolidayInput): Promise<void> {
  const { companyId } = actor;
  try {
    await db.$transaction(async (tx) => {
      if ((await insertHolidays(tx, companyId, [input])) === 0)
        throw new ValidationError({ day: 'calendar.errors.dayTaken' });
      await recordAudit(tx, companyId, auditActor(actor), {
        action: 'holiday.created',
        entityType: 'holiday',
        entityId: null,
        summary: `${input.day} ${input.name}`,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ day: 'calendar.errors.dayTaken' });
    throw err;
  }
}

/** Deletes one of the company's holidays (another company's, or a missing one: 404). */
export async function deleteHoliday({ db }: Deps, actor: Actor, input: { id: number }): Promise<void> {
  const { companyId } = actor;
  await db.$transaction(async (tx) => {
    const gone = await deleteHolidayRow(tx, companyId, input.id);
    if (!gone) throw new NotFoundError();
    await recordAudit(tx, companyId, auditActor(actor), {
      action: 'holiday.deleted',
      entityType: 'holiday',
      entityId: gone.id,
      summary: `${gone.day} ${gone.name}`,
    });
  });
}

/** Adds the public holidays of the company's country in `year` that it does not have yet; returns how many. */
export async function proposeHolidays({ db }: Deps, actor: Actor, input: { year: number }): Promise<number> {
  const { companyId } = actor;
  return db.$transaction(async (tx) => {
    const { country } = await calendarSettings(tx, companyId);
    const proposed = (await proposedHolidays(country, input.year)).map((h) => ({ day: h.date, name: h.name }));
    const added = proposed.length ? await insertHolidays(tx, companyId, proposed) : 0;
    if (added > 0) {
      await recordAudit(tx, companyId, auditActor(actor), {
        action: 'holiday.proposed',
        entityType: 'holiday',
        entityId: null,
        summary: `${country} ${input.year}: ${added}`,
      });
    }
    return added;
  });
}

/** The company's working calendar for computing from `from` on (its holidays of that year and the next). */
export function workingCalendar(db: Db, companyId: number, from: Date): Promise<WorkingCalendar> {
  return readWorkingCalendar(db, companyId, from.getUTCFullYear());
}
