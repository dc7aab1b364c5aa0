// The notification outbox. A request's write puts its job in `job_outbox` (a plain insert,
// committed with the write or not at all); the worker moves the rows into graphile-worker's
// queue in batches. Calling graphile_worker.add_job in every write cost ~0.5 ms of the
// write's own time, and the NOTIFY it sends made concurrent writes commit one at a time.
import type pg from 'pg';
import type { Logger } from 'pino';

const BATCH = 500;

/**
 * Moves up to BATCH rows of the outbox into graphile-worker's queue, oldest first, and
 * returns how many. One statement: the rows leave the outbox if and only if their jobs
 * are added; SKIP LOCKED lets several workers share the outbox without waiting.
 */
async function dispatchOutboxBatch(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `WITH taken AS (
       DELETE FROM job_outbox
       WHERE id IN (SELECT id FROM job_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, task, payload
     ), added AS (
       SELECT graphile_worker.add_job(task, payload::json) FROM (SELECT task, payload FROM taken ORDER BY id) AS t
     )
     SELECT count(*)::int AS n FROM added`,
    [BATCH],
  );
  return rows[0]?.n ?? 0;
}

/** Empties the outbox (as far as no other worker holds its rows); returns the jobs added. */
export async function dispatchOutbox(pool: pg.Pool): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await dispatchOutboxBatch(pool);
    total += n;
    if (n < BATCH) return total;
  }
}

export interface OutboxDispatcher {
  stop(): Promise<void>;
}

/** Empties the outbox every `intervalMs` until stopped; a failed round is logged and retried on the next. */
export function startOutboxDispatcher(pool: pg.Pool, logger: Logger, intervalMs: number): OutboxDispatcher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const tick = () => {
    round = dispatchOutbox(pool)
      .then(() => undefined)
      .catch((err: unknown) => logger.error({ err }, 'notification outbox: dispatch failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
