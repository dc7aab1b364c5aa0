// What the queue's worker runs besides the notifications, wherever it runs (in the app's process or on its own with
// `npm run worker`): each feature's tasks and recurring jobs, composed here so no feature imports another's jobs.
import type { WorkerDeps, WorkerExtension } from './notifications/index.js';
import { portalJobs } from './portal/index.js';
import { PRIVACY_CRONTAB, privacyTasks } from './privacy/index.js';
import { reminderJobs } from './reminders/index.js';
import { requestJobs } from './requests/index.js';
import { webhookExtension } from './webhooks/index.js';

export function workerExtensions(
  deps: Pick<WorkerDeps, 'db' | 'config' | 'logger' | 'mailer' | 'clock'>,
): WorkerExtension[] {
  const clock = deps.clock ?? (() => new Date());
  return [
    webhookExtension(deps),
    reminderJobs(deps),
    // Finished requests nobody confirmed or reopened close by themselves after the window.
    requestJobs(deps),
    portalJobs(deps),
    // Company exports, and the nightly purge (sign-in log past 90 days, companies past their grace period).
    { tasks: privacyTasks({ ...deps, clock }), crontab: PRIVACY_CRONTAB },
  ];
}
