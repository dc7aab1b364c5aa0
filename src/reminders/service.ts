// The reminder scan (issue 16), run by the queue every few minutes (jobs.ts): per company, the open requests whose
// step waited past a threshold get their reminder, escalation or overdue notice, each exactly once.
import { workingCalendar } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import { escalationTarget } from '../requests/index.js';
import {
  companiesToScan,
  openRequests,
  recordEscalation,
  recordNotices,
  reminderKey,
  sentReminderKeys,
  type CompanyReminderSettings,
  type Notice,
} from './queries.js';
import { dueReminders, waitedAtLeastSince } from './rules.js';

export interface ScanResult {
  notices: number;
  escalations: number;
}

async function scanCompany(db: Db, s: CompanyReminderSettings, now: Date): Promise<ScanResult> {
  const open = await openRequests(db, s.companyId, now, waitedAtLeastSince(s, now));
  if (open.length === 0) return { notices: 0, escalations: 0 };
  const oldest = new Date(Math.min(...open.map((r) => r.waitingSince.getTime())));
  const cal = await workingCalendar(db, s.companyId, oldest);
  const sent = await sentReminderKeys(
    db,
    s.companyId,
    open.map((r) => r.id),
  );
  const notices: Notice[] = [];
  let escalations = 0;
  for (const r of open) {
    for (const due of dueReminders(r, s, now, cal)) {
      if (sent.has(reminderKey(r.id, due))) continue;
      if (due.threshold !== 'ESCALATE') {
        notices.push({ ...due, requestId: r.id, status: r.status });
        continue;
      }
      const fromUnitId = r.authorizerUnitId!;
      const toUnitId = await escalationTarget(db, s.companyId, { ...r, fromUnitId });
      const escalation = { requestId: r.id, target: due.target, hours: due.hours ?? 0, fromUnitId, toUnitId };
      if (await recordEscalation(db, s.companyId, escalation, now)) escalations++;
    }
  }
  return { notices: await recordNotices(db, s.companyId, notices, now), escalations };
}

/** One pass over every active company. Safe to run twice or in two workers at once: nothing is sent twice. */
export async function scanReminders(deps: { db: Db }, now: Date): Promise<ScanResult> {
  const total: ScanResult = { notices: 0, escalations: 0 };
  for (const company of await companiesToScan(deps.db)) {
    const r = await scanCompany(deps.db, company, now);
    total.notices += r.notices;
    total.escalations += r.escalations;
  }
  return total;
}
