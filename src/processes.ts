// Several app processes on one port (WEB_CONCURRENCY, node:cluster): the primary prepares the database, starts the
// processes, starts a new one in place of one that died, and stops them all on SIGTERM/SIGINT. Nothing kept in one
// process is a source of truth: sessions, sign-in failures and rate limits live in PostgreSQL (a session ended in one
// process is refused by every other within SESSION_CACHE_TTL_MS), and jobs in the queue are taken by whichever
// processes run the notification worker (WORKER_PROCESSES of them).
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

export interface AppProcesses {
  stop(): Promise<void>;
}

/** Starts `count` app processes (this same program, each with APP_PROCESS_INDEX set) and keeps them running. */
export function startAppProcesses(opts: {
  count: number;
  env: Record<string, string>;
  logger: Logger;
  onFirstListening: () => void;
}): AppProcesses {
  const running = new Map<number, Worker>();
  let stopping = false;
  let announced = false;

  const fork = (index: number) => {
    const worker = cluster.fork({ ...opts.env, APP_PROCESS_INDEX: String(index) });
    running.set(index, worker);
    worker.on('listening', () => {
      if (!announced && (announced = true)) opts.onFirstListening();
    });
    worker.on('exit', (code, signal) => {
      if (running.get(index) === worker) running.delete(index);
      if (stopping) return;
      opts.logger.error({ index, code, signal }, 'app process exited; starting another');
      setTimeout(() => stopping || fork(index), 1000).unref();
    });
  };
  for (let i = 1; i <= opts.count; i++) fork(i);

  return {
    async stop() {
      stopping = true;
      await Promise.all(
        [...running.values()].map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              const force = setTimeout(() => w.process.kill('SIGKILL'), 12_000);
              w.once('exit', () => {
                clearTimeout(force);
                resolve();
              });
              w.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/** Whether app process `index` of `count` runs the notification worker. */
export function runsNotificationWorker(config: {
  WORKER_IN_PROCESS: boolean;
  WORKER_PROCESSES?: number;
  WEB_CONCURRENCY: number;
  APP_PROCESS_INDEX: number;
}): boolean {
  return config.WORKER_IN_PROCESS && config.APP_PROCESS_INDEX <= (config.WORKER_PROCESSES ?? config.WEB_CONCURRENCY);
}
