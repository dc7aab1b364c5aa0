// What the queue's worker runs besides the notifications, wherever it runs (in the app's process or on its own with
// `npm run worker`): each feature's tasks and recurring jobs, composed here so no feature imports another's jobs.
import type { WorkerDeps, WorkerExtension } from './notifications/index.js';
import { portalJobs } from './portal/index.js';
import { reminderJobs } from './reminders/index.js';
import { webhookExtension } from './webhooks/index.js';

export function workerExtensions(
  deps: Pick<WorkerDeps, 'db' | 'config' | 'logger' | 'mailer' | 'clock'>,
): WorkerExtension[] {
  return [webhookExtension(deps), reminderJobs(deps), portalJobs(deps)];
}
