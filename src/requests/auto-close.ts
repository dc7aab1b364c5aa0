// The scheduled job of issue 17: finished requests nobody confirmed or reopened within their company's window close
// by themselves (the lifecycle table's `autoClose` row). It runs in the queue's worker (graphile-worker's crontab,
// src/notifications/worker.ts) every quarter of an hour; a run may be repeated or overlap another: each request
// closes once.
import type { TaskList } from 'graphile-worker';
import type { Db } from '../db/client.js';
import { TRANSITIONS } from './lifecycle.js';
import { closeUnanswered, companiesWithUnanswered } from './write-queries.js';

const BATCH = 500;
export const TASK_AUTO_CLOSE = 'requests_auto_close';

/** Closes every finished request past its reopen window; returns how many it closed. */
export async function autoCloseFinished({ db, clock }: { db: Db; clock: () => Date }): Promise<number> {
  const row = TRANSITIONS.find((t) => t.action === 'autoClose')!;
  const now = clock();
  let total = 0;
  // The companies concerned first (across companies, on purpose), then each company's batches (one shard each).
  for (const companyId of await companiesWithUnanswered(db, row, now)) {
    for (;;) {
      const n = await closeUnanswered(db, companyId, row, now, BATCH);
      total += n;
      if (n < BATCH) break;
    }
  }
  return total;
}

/** The requests' scheduled jobs for the queue's worker: the task and its crontab line. */
export function requestJobs(deps: { db: Db; clock?: () => Date }): { tasks: TaskList; crontab: string } {
  const clock = deps.clock ?? (() => new Date());
  return {
    tasks: {
      [TASK_AUTO_CLOSE]: async () => {
        await autoCloseFinished({ db: deps.db, clock });
      },
    },
    // Every 15 minutes; graphile-worker runs each slot once across all workers (its known_crontabs table).
    crontab: `*/15 * * * * ${TASK_AUTO_CLOSE}`,
  };
}
