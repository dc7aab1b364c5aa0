// The reminder scan as a recurring job of the queue: every five minutes, once per tick however many workers run
// (graphile-worker's crontab), and harmless if a tick runs twice (the reminder rows' keys).
import type { WorkerDeps, WorkerExtension } from '../notifications/index.js';
import { scanReminders } from './service.js';

export const TASK_REMINDERS = 'reminders_scan';

export function reminderJobs(deps: Pick<WorkerDeps, 'db' | 'clock'>): WorkerExtension {
  return {
    tasks: {
      [TASK_REMINDERS]: async () => {
        await scanReminders(deps, (deps.clock ?? (() => new Date()))());
      },
    },
    crontab: `*/5 * * * * ${TASK_REMINDERS} ?max=1&jobKey=${TASK_REMINDERS}`,
  };
}
