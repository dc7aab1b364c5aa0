import { z } from 'zod';
import { dateField, textField } from '../web/fields.js';

export const HOURS_FIELDS = ['workdayStart', 'workdayEnd'] as const;
export const HOLIDAY_FIELDS = ['day', 'name'] as const;

/** "08:00" → 480 (minutes after midnight); 24:00 is the end of the day. */
const timeOfDay = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(v);
    const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    if (!m || Number(m[2]) > 59 || minutes > 24 * 60) {
      ctx.addIssue({ code: 'custom', message: 'calendar.errors.badTime' });
      return z.NEVER;
    }
    return minutes;
  });

/** Working days (ISO weekdays, at least one) and the working day's hours (end after start). */
export const workingHoursSchema = z
  .object({
    workingDays: z
      .array(z.string())
      .transform((days) => [...new Set(days.map(Number))].sort())
      .refine((days) => days.length > 0 && days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7), {
        error: 'calendar.errors.noDays',
      }),
    workdayStart: timeOfDay,
    workdayEnd: timeOfDay,
  })
  .refine((v) => v.workdayEnd > v.workdayStart, { path: ['workdayEnd'], error: 'calendar.errors.endBeforeStart' });
export type WorkingHoursInput = z.output<typeof workingHoursSchema>;

export const REMINDER_FIELDS = ['remindAfterHours', 'escalateAfterHours', 'dueSoonHours'] as const;

const hours = (max: number) =>
  z.coerce
    .number({ error: 'calendar.errors.badHours' })
    .int('calendar.errors.badHours')
    .min(0, 'calendar.errors.badHours')
    .max(max, 'calendar.errors.badHours');

/** Reminder thresholds in working hours (0: off); escalation, when on, comes after the reminder. */
export const reminderHoursSchema = z
  .object({ remindAfterHours: hours(400), escalateAfterHours: hours(400), dueSoonHours: hours(40) })
  .refine((v) => v.escalateAfterHours === 0 || v.escalateAfterHours > v.remindAfterHours, {
    path: ['escalateAfterHours'],
    error: 'calendar.errors.escalateBeforeRemind',
  });
export type ReminderHoursInput = z.output<typeof reminderHoursSchema>;

export const holidaySchema = z.object({ day: dateField, name: textField(2, 120) });
export type HolidayInput = z.output<typeof holidaySchema>;

/** The year the page shows (?anio=): 2000–2100, else the current one. */
export const yearFilter = z.coerce.number().int().min(2000).max(2100).optional().catch(undefined);

/** 480 → "08:00". */
export const formatTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
