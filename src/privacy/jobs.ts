// The background jobs of data protection and the sign-in log, run by the graphile-worker runner of
// src/notifications (server.ts hands them over): building an export, and the nightly purge.
import type { TaskList } from 'graphile-worker';
import { purgeSignInLog } from '../sign-in-log/index.js';
import { purgeDueCompanies } from './deletion.js';
import { buildCompanyExport, TASK_EXPORT, type ExportJobDeps } from './export.js';

export const TASK_PURGE = 'privacy_purge';

/** Every night at 03:30 (server time): sign-in log entries past 90 days, companies past their grace period. */
export const PRIVACY_CRONTAB = `30 3 * * * ${TASK_PURGE}`;

export function privacyTasks(deps: ExportJobDeps): TaskList {
  return {
    [TASK_EXPORT]: async (payload) => {
      await buildCompanyExport(deps, payload as { companyId: number; exportId: number });
    },
    [TASK_PURGE]: async () => {
      await purgeSignInLog(deps, deps.clock());
      await purgeDueCompanies(deps);
    },
  };
}
