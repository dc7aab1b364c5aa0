// Due dates of a request and the state of its due badge ("A tiempo" / "Vence hoy" / "Vencida" / "En espera").
// Pure: the badge of every list and detail page and the indicators' overdue figures follow the same rule.
import { localDate } from '../web/dates.js';
import { addWorkingMinutes, type WorkingCalendar } from './working-time.js';

export type DueState = 'ok' | 'today' | 'late' | 'hold';

export interface DueBadge {
  state: DueState;
  /** The applicable due date (shown in the company's zone); null only while on hold without one. */
  at: Date | null;
}

/** What the badge needs of a request. */
export interface DueFacts {
  status: string;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  onHoldSince: Date | null;
}

/** The due date that applies now: the response target while authorized, the resolution target while approved. */
export function applicableDue(r: Pick<DueFacts, 'status' | 'responseDueAt' | 'resolutionDueAt'>): Date | null {
  if (r.status === 'AUTHORIZED') return r.responseDueAt;
  if (r.status === 'APPROVED') return r.resolutionDueAt;
  return null;
}

/**
 * The badge of a request at `now`: none when no due date applies; "En espera" while on hold (its clock is
 * paused); "Vencida" once the due instant has passed; "Vence hoy" when it falls later on the same local day (in
 * the company's zone); "A tiempo" otherwise.
 */
export function dueBadge(r: DueFacts, now: Date, timeZone: string): DueBadge | null {
  const at = applicableDue(r);
  if (r.onHoldSince && (r.status === 'AUTHORIZED' || r.status === 'APPROVED')) return { state: 'hold', at };
  if (!at) return null;
  if (at.getTime() <= now.getTime()) return { state: 'late', at };
  return { state: localDate(at, timeZone) === localDate(now, timeZone) ? 'today' : 'ok', at };
}

/** The due date `hours` working hours after `from`; null when the category has no target. */
export function dueAfter(from: Date, hours: number | null, cal: WorkingCalendar): Date | null {
  return hours === null ? null : addWorkingMinutes(from, hours * 60, cal);
}
