// `npm run worker`: the queue's worker (notifications, webhooks, reminders, clean-ups) as its own process (set
// WORKER_IN_PROCESS=false for the app then). Uses DATABASE_URL, or the embedded PostgreSQL of DATA_DIR like the app.
import { ConfigError, loadConfig } from './config.js';
import { connectDatabase } from './db/client.js';
import { describeError } from './db/errors.js';
import { prepareDatabase } from './db/setup.js';
import { createLogger, surviveDatabaseOutages } from './logger.js';
import { createMailer } from './mail/index.js';
import { queuePool, startNotificationWorker } from './notifications/index.js';
import { workerExtensions } from './jobs.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config);
  surviveDatabaseOutages(logger);
  const server = await prepareDatabase(config, logger);
  const db = connectDatabase(server.url, {
    max: config.WORKER_CONCURRENCY + 1,
    onConnectionError: (err) => logger.debug({ err }, 'database connection lost'),
  });
  const pool = queuePool(server.url, config.WORKER_CONCURRENCY, logger);
  const mailer = createMailer(config, logger);
  const worker = await startNotificationWorker({
    db: db.prisma,
    pool,
    config,
    logger,
    mailer,
    extensions: workerExtensions({ db: db.prisma, config, logger, mailer }),
  });
  logger.info({ concurrency: config.WORKER_CONCURRENCY }, 'notification worker started');
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'notification worker stopping');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await worker.stop().catch((err) => logger.error({ err }, 'stopping the worker'));
    await pool.end().catch(() => {});
    await db.close().catch(() => {});
    await server.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError ? err.message : `The notification worker could not start: ${describeError(err)}`,
  );
  process.exit(1);
});
