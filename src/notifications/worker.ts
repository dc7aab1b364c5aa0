// The notification worker: the queue's two tasks bound to their dependencies. It runs in
// the app's process by default (server.ts) or on its own with `npm run worker`.
import { EventEmitter } from 'node:events';
import type { Runner, TaskList, WorkerEvents } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Mailer } from '../mail/index.js';
import { deliver } from './deliver.js';
import { fanOut, fanOutComment } from './fanout.js';
import { startLiveness } from './liveness.js';
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

/**
 * Another feature's part of the worker (webhooks, reminders…): its own tasks, recurring ones as crontab lines
 * (graphile-worker's format; each tick runs once whatever the number of workers), and steps after a fan-out of
 * this one's.
 */
export interface WorkerExtension {
  tasks?: TaskList;
  crontab?: string;
  onEvents?(payload: FanoutPayload): Promise<void>;
  onComment?(payload: CommentPayload): Promise<void>;
}

export interface WorkerDeps {
  db: Db;
  pool: pg.Pool;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  clock?: () => Date;
  extensions?: WorkerExtension[];
}

export function notificationTasks(deps: WorkerDeps): TaskList {
  const extensions = deps.extensions ?? [];
  return {
    ...Object.assign({}, ...extensions.map((e) => e.tasks)),
    // The extensions' steps are idempotent too: a retried job repeats nothing already done.
    [TASK_FANOUT]: async (payload) => {
      await fanOut(deps, payload as FanoutPayload);
      for (const e of extensions) await e.onEvents?.(payload as FanoutPayload);
    },
    [TASK_COMMENT]: async (payload) => {
      await fanOutComment(deps, payload as CommentPayload);
      for (const e of extensions) await e.onComment?.(payload as CommentPayload);
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
 * Keeps a runner going: when it cannot start or dies (its database connection was cut while completing a job, say),
 * it is started again after a delay that doubles up to 30 s. `ready` settles after the first attempt.
 */
function supervise(start: () => Promise<Runner>, logger: Logger) {
  let runner: Runner | null = null;
  let launching: Promise<void> = Promise.resolve();
  let stopped = false;
  let delay = 500;
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const again = (err: unknown) => {
    if (stopped) return;
    runner = null;
    // A runner that had been running a while starts the backoff over; one that keeps dying waits longer each time.
    if (startedAt && Date.now() - startedAt > 30_000) delay = 500;
    logger.error({ err, retryInMs: delay }, 'notification worker stopped; restarting');
    timer = setTimeout(launch, delay);
    delay = Math.min(delay * 2, 30_000);
  };
  const launch = () => {
    launching = start().then(
      (r) => {
        if (stopped) return r.stop();
        runner = r;
        startedAt = Date.now();
        r.promise.then(
          () => again(new Error('the runner ended by itself')),
          (err: unknown) => again(err),
        );
      },
      (err: unknown) => {
        startedAt = 0;
        again(err);
      },
    );
    return launching;
  };
  const ready = launch();
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await launching;
      await runner?.stop();
    },
  };
}

/**
 * Starts the worker: the outbox is emptied into the queue every poll interval and the queue's jobs run as they
 * arrive. It outlives database restarts (see supervise) and beats a heartbeat (liveness.ts) so that, should this
 * process die, other workers take its jobs back within WORKER_HEARTBEAT_TIMEOUT_SECONDS. stop() lets running
 * deliveries finish and leaves the rest queued in PostgreSQL.
 */
/** Other features' jobs run by the same queue: their tasks and, for recurring ones, crontab lines. */
export interface ScheduledJobs {
  tasks: TaskList;
  crontab: string;
}

export async function startNotificationWorker(
  deps: WorkerDeps,
  overrides: { pollInterval?: number; concurrency?: number; scheduled?: ScheduledJobs } = {},
): Promise<NotificationWorker> {
  const pollInterval = overrides.pollInterval ?? deps.config.WORKER_POLL_INTERVAL_MS;
  const liveness = startLiveness(deps.pool, deps.logger, deps.config.WORKER_HEARTBEAT_TIMEOUT_SECONDS);
  const events: WorkerEvents = new EventEmitter();
  events.on('pool:create', ({ workerPool }) => liveness.add(workerPool.id));
  events.on('pool:release', ({ workerPool }) => liveness.remove(workerPool.id));
  const options = {
    pool: deps.pool,
    logger: deps.logger,
    concurrency: overrides.concurrency ?? deps.config.WORKER_CONCURRENCY,
    pollInterval,
    crontab: (deps.extensions ?? []).flatMap((e) => (e.crontab ? [e.crontab] : [])).join('\n'),
  };
  const tasks = { ...notificationTasks(deps), ...overrides.scheduled?.tasks };
  const runner = supervise(() => startQueueWorker(options, tasks, events), deps.logger);
  await runner.ready;
  const dispatcher = startOutboxDispatcher(deps.pool, deps.logger, pollInterval);
  return {
    async stop() {
      await dispatcher.stop();
      await runner.stop();
      await liveness.stop();
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
