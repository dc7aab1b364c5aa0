// Jobs of a dead worker process. graphile-worker 0.17 locks a job to its worker pool's id and only takes it back
// after four hours; it offers `force_unlock_workers(ids)` for the ids known to be dead. Each process here writes a
// heartbeat row per live worker pool every few seconds, and every process releases the jobs whose locker has been
// silent for the timeout (and were locked at least that long ago, so a brand-new pool is never taken for dead).
import type pg from 'pg';
import type { Logger } from 'pino';

export interface Liveness {
  /** A worker pool of this process started (graphile's `pool:create`) or was released (`pool:release`). */
  add(workerId: string): void;
  remove(workerId: string): void;
  stop(): Promise<void>;
}

/** Writes this process's heartbeats; rows silent for a day are cleared. */
async function beat(pool: pg.Pool, workerIds: string[]): Promise<void> {
  if (workerIds.length > 0) {
    await pool.query(
      `INSERT INTO worker_heartbeats (worker_id, beat_at) SELECT unnest($1::text[]), now()
       ON CONFLICT (worker_id) DO UPDATE SET beat_at = now()`,
      [workerIds],
    );
  }
  await pool.query(`DELETE FROM worker_heartbeats WHERE beat_at < now() - interval '1 day'`);
}

/** Unlocks the jobs of workers silent for `timeoutSeconds`; returns how many lockers were released. */
export async function releaseDeadWorkersJobs(pool: pg.Pool, timeoutSeconds: number): Promise<number> {
  const { rows } = await pool.query<{ dead: string[] | null }>(
    `WITH dead AS (
       SELECT DISTINCT j.locked_by FROM graphile_worker.jobs j
        WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h
                           WHERE h.worker_id = j.locked_by AND h.beat_at > now() - make_interval(secs => $1))
     )
     SELECT array_agg(locked_by) AS dead FROM dead`,
    [timeoutSeconds],
  );
  const dead = rows[0]?.dead ?? [];
  if (dead.length > 0) await pool.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [dead]);
  return dead.length;
}

/** Beats every timeout/6 seconds and sweeps every timeout/2; a failed round (database away) is retried on the next. */
export function startLiveness(pool: pg.Pool, logger: Logger, timeoutSeconds: number): Liveness {
  const workers = new Set<string>();
  let stopped = false;
  let round: Promise<void> = Promise.resolve();
  let sweptAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const interval = Math.max(250, (timeoutSeconds * 1000) / 6);
  const tick = () => {
    round = (async () => {
      await beat(pool, [...workers]);
      if (Date.now() - sweptAt >= (timeoutSeconds * 1000) / 2) {
        sweptAt = Date.now();
        const released = await releaseDeadWorkersJobs(pool, timeoutSeconds);
        if (released > 0) logger.warn({ workers: released }, 'released the jobs of notification workers that died');
      }
    })()
      .catch((err: unknown) => logger.warn({ err }, 'notification worker heartbeat failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, interval);
      });
  };
  tick();
  return {
    add(workerId) {
      workers.add(workerId);
      // Beat at once: the new worker may lock a job before the next round.
      void beat(pool, [workerId]).catch(() => {});
    },
    remove(workerId) {
      // Released: its running jobs have ended, so any job still locked by it (its completion was lost with the
      // connection) is orphaned and goes back to the queue now. If the database is away, the sweep does it later.
      workers.delete(workerId);
      void pool
        .query('SELECT graphile_worker.force_unlock_workers($1::text[])', [[workerId]])
        .then(() => pool.query('DELETE FROM worker_heartbeats WHERE worker_id = $1', [workerId]))
        .catch(() => {});
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
