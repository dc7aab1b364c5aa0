// The notification worker: the queue's two tasks bound to their dependencies. It runs in
// the app's process by default (server.ts) or on its own with `npm run worker`.
import type { Runner, TaskList } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Mailer } from '../mail/mailer.js';
import { deliver } from './deliver.js';
import { fanOut, fanOutComment } from './fanout.js';
import { dispatchOutbox, startOutboxDispatcher } from './outbox.js';
import {
  runDueJobs,
  startQueueWorker,
  TASK_COMMENT,
  TASK_DELIVER,
  TASK_FANOUT,
  type CommentPayload,
  type DeliverPayload,
  type FanoutPayload,
} from './queue.js';

export interface WorkerDeps {
  db: Db;
  pool: pg.Pool;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  clock?: () => Date;
}

export function notificationTasks(deps: WorkerDeps): TaskList {
  return {
    [TASK_FANOUT]: async (payload) => {
      await fanOut(deps, payload as FanoutPayload);
    },
    [TASK_COMMENT]: async (payload) => {
      await fanOutComment(deps, payload as CommentPayload);
    },
    [TASK_DELIVER]: async (payload) => {
      await deliver(deps, payload as DeliverPayload);
    },
  };
}

export interface NotificationWorker {
  stop(): Promise<void>;
}

/**
 * Starts the worker: the outbox is emptied into the queue every poll interval and the
 * queue's jobs run as they arrive. stop() lets running deliveries finish and leaves the
 * rest queued in PostgreSQL.
 */
export async function startNotificationWorker(
  deps: WorkerDeps,
  overrides: { pollInterval?: number; concurrency?: number } = {},
): Promise<NotificationWorker> {
  const pollInterval = overrides.pollInterval ?? deps.config.WORKER_POLL_INTERVAL_MS;
  const runner: Runner = await startQueueWorker(
    {
      pool: deps.pool,
      logger: deps.logger,
      concurrency: overrides.concurrency ?? deps.config.WORKER_CONCURRENCY,
      pollInterval,
    },
    notificationTasks(deps),
  );
  const dispatcher = startOutboxDispatcher(deps.pool, deps.logger, pollInterval);
  return {
    async stop() {
      await dispatcher.stop();
      await runner.stop();
    },
  };
}

/**
 * Empties the outbox and runs every notification job due now (fan-outs, then the deliveries they enqueue), then
 * returns.
 */
export async function runDueNotificationJobs(deps: WorkerDeps): Promise<void> {
  await dispatchOutbox(deps.pool);
  await runDueJobs({ pool: deps.pool, logger: deps.logger }, notificationTasks(deps));
}
