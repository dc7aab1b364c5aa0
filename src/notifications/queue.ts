// The notification queue: graphile-worker (schema graphile_worker) in the app's own
// PostgreSQL. A request's write puts its job in the outbox (outbox.ts) inside the
// transaction (or the single statement, requests/write-queries.ts) of the change, so a
// rolled-back change enqueues nothing and a committed one is always delivered, even across
// restarts; the worker's own steps (deliveries) add their jobs directly.
import {
  Logger as WorkerLogger,
  run,
  runMigrations,
  runOnce,
  type LogLevel,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import pg from 'pg';
import { poolConfigFromUrl } from '../db/schema-engine.js';
import type { Logger } from 'pino';
import type { Prisma } from '../generated/prisma/client.js';

export const TASK_FANOUT = 'notify_event';
export const TASK_DELIVER = 'notify_deliver';
export const TASK_COMMENT = 'notify_comment';

type Tx = Prisma.TransactionClient;

export interface FanoutPayload {
  companyId: number;
  /** request_events ids (bigint as text). */
  eventIds: string[];
}
export interface CommentPayload {
  companyId: number;
  /** request_comments.id of the new comment or internal note. */
  commentId: number;
}
export interface DeliverPayload {
  companyId: number;
  /** notifications.id (bigint as text). */
  id: string;
}

/** Enqueues one delivery per notification row; the job key makes a second enqueue replace, not duplicate. */
export async function enqueueDeliveries(
  tx: Tx,
  companyId: number,
  ids: bigint[],
  runAt: Date | null = null,
): Promise<void> {
  if (ids.length === 0) return;
  await tx.$executeRaw`
    SELECT graphile_worker.add_job(${TASK_DELIVER}, json_build_object('companyId', ${companyId}::int, 'id', n),
                                   run_at := ${runAt}::timestamptz, job_key := 'notification:' || n)
      FROM unnest(${ids.map(String)}::text[]) AS n`;
}

/** Creates or upgrades the graphile_worker schema (its own migrations, idempotent). */
export async function installQueue(pool: pg.Pool): Promise<void> {
  await runMigrations({ pgPool: pool, logger: silentLogger });
}

/**
 * A pool of the queue's own (its LISTEN connection, job bookkeeping, heartbeats), apart from the app's requests.
 * Both error handlers graphile-worker asks for: a connection cut while PostgreSQL restarts is logged, never thrown.
 */
export function queuePool(databaseUrl: string, concurrency: number, logger?: Logger): pg.Pool {
  const pool = new PgPool({
    ...poolConfigFromUrl(databaseUrl),
    max: concurrency + 3,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client died (e.g. the server restarted): the pool replaces it.
  pool.on('error', (err) => logger?.debug({ err }, 'notification queue: idle connection lost'));
  // A checked-out client's connection died: its query fails and the worker reconnects (its LISTEN client too).
  pool.on('connect', (client) => {
    client.on('error', (err) => logger?.debug({ err }, 'notification queue: connection lost'));
  });
  return pool;
}

/** The same, given a database URL (migrations, test template). */
export async function installQueueAt(databaseUrl: string): Promise<void> {
  const pool = queuePool(databaseUrl, 0);
  try {
    await installQueue(pool);
  } finally {
    await pool.end();
  }
}

const { Pool: PgPool } = pg;
const silentLogger = new WorkerLogger(() => () => {});

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level: LogLevel, message: string, meta?: unknown) => {
    const fields = { worker: scope, ...(meta as object | undefined) };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else if (level === 'info') logger.debug(fields, message);
    else logger.trace(fields, message);
  });
}

export interface QueueOptions {
  pool: pg.Pool;
  logger: Logger;
  concurrency: number;
  pollInterval: number;
  /** Recurring jobs (graphile-worker's crontab format); each tick runs once whatever the number of workers. */
  crontab?: string;
}

/** Starts a worker that runs until stopped (graceful: running jobs finish; the rest stay queued). */
export async function startQueueWorker(opts: QueueOptions, taskList: TaskList, events?: WorkerEvents): Promise<Runner> {
  return run({
    pgPool: opts.pool,
    taskList,
    concurrency: opts.concurrency,
    pollInterval: opts.pollInterval,
    crontab: opts.crontab ?? '',
    noHandleSignals: true,
    logger: workerLogger(opts.logger),
    events,
  });
}

/** Runs every job that is due now, then returns (tests and scripts). */
export async function runDueJobs(opts: Pick<QueueOptions, 'pool' | 'logger'>, taskList: TaskList): Promise<void> {
  await runOnce({ pgPool: opts.pool, taskList, noHandleSignals: true, logger: workerLogger(opts.logger) });
}
