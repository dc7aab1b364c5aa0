// When a step has waited too long (issue 16): pure, so the table of thresholds is unit-tested and the scan only
// gathers facts. Times are working hours of the company's calendar; a setting of 0 switches its threshold off.
import { workingMinutesBetween, type WorkingCalendar } from '../calendar/index.js';

export interface ReminderSettings {
  /** A pending authorization or an undecided authorized request reminds the expected person after this. */
  remindAfterHours: number;
  /** A pending authorization moves up the chain after this (counted from when it reached its authorizer). */
  escalateAfterHours: number;
  /** The worker hears when the resolution is due within this. */
  dueSoonHours: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  remindAfterHours: 8,
  escalateAfterHours: 16,
  dueSoonHours: 4,
};

export type ReminderStep = 'AUTHORIZATION' | 'DECISION' | 'RESOLUTION';
export type ReminderThreshold = 'REMIND' | 'ESCALATE' | 'SOON' | 'OVERDUE';

/** An open request, not on hold, as the scan sees it. */
export interface WaitingRequest {
  status: 'PENDING' | 'AUTHORIZED' | 'APPROVED';
  /** When the current step started waiting on its person (reached its authorizer, was authorized or resumed). */
  waitingSince: Date;
  /** Whom the step waits on: "unit:<id>" or "admins" while pending, "area:<id>" while authorized. */
  waitingOn: string;
  resolutionDueAt: Date | null;
}

export interface DueReminder {
  step: ReminderStep;
  threshold: ReminderThreshold;
  /** With the step and threshold, the reminder's key: a new authorizer or due date starts a new cycle. */
  target: string;
  /** The working hours waited, for the history (REMIND and ESCALATE). */
  hours?: number;
}

const HOUR = 60;

/**
 * The reminders due now for one request: at most one per step, the furthest threshold reached (a scan that comes
 * late escalates rather than reminding a head it is about to pass over; an overdue resolution is not "due soon").
 * Only pending authorizations by a unit's head escalate: the administrators are the top of the chain.
 */
export function dueReminders(r: WaitingRequest, s: ReminderSettings, now: Date, cal: WorkingCalendar): DueReminder[] {
  if (r.status === 'APPROVED') {
    const due = r.resolutionDueAt;
    if (!due) return [];
    const target = due.toISOString();
    if (due <= now) return [{ step: 'RESOLUTION', threshold: 'OVERDUE', target }];
    if (s.dueSoonHours > 0 && workingMinutesBetween(now, due, cal) <= s.dueSoonHours * HOUR) {
      return [{ step: 'RESOLUTION', threshold: 'SOON', target }];
    }
    return [];
  }
  const waited = workingMinutesBetween(r.waitingSince, now, cal);
  const hours = Math.floor(waited / HOUR);
  const step: ReminderStep = r.status === 'PENDING' ? 'AUTHORIZATION' : 'DECISION';
  const escalates = step === 'AUTHORIZATION' && r.waitingOn.startsWith('unit:') && s.escalateAfterHours > 0;
  if (escalates && waited >= s.escalateAfterHours * HOUR) {
    return [{ step, threshold: 'ESCALATE', target: r.waitingOn, hours }];
  }
  if (s.remindAfterHours > 0 && waited >= s.remindAfterHours * HOUR) {
    return [{ step, threshold: 'REMIND', target: r.waitingOn, hours }];
  }
  return [];
}

/** The earliest `waitingSince` that could be due now (working time never exceeds wall-clock time): a cheap filter. */
export function waitedAtLeastSince(s: ReminderSettings, now: Date): Date {
  const hours = [s.remindAfterHours, s.escalateAfterHours].filter((h) => h > 0);
  const least = hours.length ? Math.min(...hours) : Number.POSITIVE_INFINITY;
  return new Date(now.getTime() - (Number.isFinite(least) ? least : 24 * 365 * 100) * 3_600_000);
}
