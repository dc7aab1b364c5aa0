// Boot: config → database (embedded or DATABASE_URL) → migrations → demo data → app → listen. With
// WEB_CONCURRENCY > 1 this process prepares the database and starts that many app processes on the port
// (src/processes.ts); each of them then boots from the database step on, with the database's URL.
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectDatabase, type Database } from './db/client.js';
import { describeError } from './db/errors.js';
import { DEMO_ACCOUNTS_TABLE, DEMO_PASSWORD, demoAccounts, seedDemoData } from './demo/index.js';
import { prepareDatabase } from './db/setup.js';
import { isCitusDatabase } from './db/citus.js';
import { createLogger, surviveDatabaseOutages } from './logger.js';
import { createMailer } from './mail/index.js';
import { queuePool } from './notifications/index.js';
import { startNotificationWorker, type NotificationWorker } from './notifications/index.js';
import { runsNotificationWorker, startAppProcesses } from './processes.js';
import type { Logger } from 'pino';
import { workerExtensions } from './jobs.js';
import { startInboundMail, type InboundMailListener } from './inbound-mail/index.js';

/**
 * Demo data (published password) only outside production, on the very first start of an empty embedded database
 * or when SEED_DEMO asks for it. Returns whether the demo accounts exist.
 */
async function seedIfAsked(config: Config, db: Database, embedded: boolean): Promise<boolean> {
  const empty = (await db.prisma.company.count()) === 0;
  if (config.isProduction) {
    if (empty) {
      console.log(
        `\n  La base de datos está vacía. Crea la primera empresa en ${config.appUrl}/registro` +
          ' (nunca se cargan datos de demostración en producción).\n',
      );
    }
    return false;
  }
  if (empty && (config.SEED_DEMO ?? embedded)) await seedDemoData(db.prisma);
  return (await db.prisma.user.count({ where: { email: demoAccounts[0]!.email } })) > 0;
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  surviveDatabaseOutages(logger);
  if (cluster.isPrimary && config.WEB_CONCURRENCY > 1) return primary(config, logger);
  const server = await prepareDatabase(config, logger);
  const db = connectDatabase(server.url, {
    max: config.DATABASE_POOL_MAX,
    citus: await isCitusDatabase(server.url),
    onConnectionError: (err) => logger.debug({ err }, 'database connection lost'),
  });
  // App processes started by a primary: it seeded and announces.
  const hasDemo = cluster.isWorker ? false : await seedIfAsked(config, db, server.embedded);

  const mailer = createMailer(config, logger);
  // Notifications are delivered in this process unless `npm run worker` does it (WORKER_IN_PROCESS=false) or
  // other app processes do (WORKER_PROCESSES); jobs left from a previous run are picked up now.
  const workerPool = runsNotificationWorker(config) ? queuePool(server.url, config.WORKER_CONCURRENCY, logger) : null;
  const worker: NotificationWorker | null = workerPool
    ? await startNotificationWorker({
        db: db.prisma,
        pool: workerPool,
        config,
        logger,
        mailer,
        extensions: workerExtensions({ db: db.prisma, config, logger, mailer }),
      })
    : null;
  // Replies by email: the SMTP listener, when its port and the reply addresses' domain are configured.
  const inbound: InboundMailListener | null =
    config.INBOUND_SMTP_PORT !== undefined && config.INBOUND_MAIL_DOMAIN
      ? await startInboundMail({ db: db.prisma, config, logger, mailer })
      : null;
  if (inbound) logger.info({ port: inbound.port, domain: config.INBOUND_MAIL_DOMAIN }, 'inbound mail listening');
  const app = createApp({ config, db, logger, mailer });
  const http: Server = app.listen(config.PORT, config.HOST, () => {
    if (!cluster.isWorker) announce(config, hasDemo);
  });
  http.on('error', async (err) => {
    logger.fatal({ err }, 'cannot listen');
    await inbound?.close().catch(() => {});
    await worker?.stop().catch(() => {});
    await db.close().catch(() => {});
    await server.stop().catch(() => {});
    process.exit(1);
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    http.close();
    http.closeIdleConnections();
    await inbound?.close().catch((err) => logger.error({ err }, 'stopping the inbound mail listener'));
    // Running deliveries finish; the others stay queued in PostgreSQL for the next start.
    await worker?.stop().catch((err) => logger.error({ err }, 'stopping the notification worker'));
    await workerPool?.end().catch(() => {});
    await db.close().catch((err) => logger.error({ err }, 'closing the pool'));
    await server.stop().catch((err) => logger.error({ err }, 'stopping PostgreSQL'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

function announce(config: Config, hasDemo: boolean) {
  const lines = [`\n  Solicitudes está en marcha: ${config.appUrl}\n`];
  if (config.WEB_CONCURRENCY > 1) lines.push(`  ${config.WEB_CONCURRENCY} procesos en el puerto ${config.PORT}\n`);
  if (hasDemo) {
    lines.push(`  Cuentas de demostración (contraseña: ${DEMO_PASSWORD}):`, DEMO_ACCOUNTS_TABLE, '');
  }
  console.log(lines.join('\n'));
}

/** The primary of several app processes: database, demo data, then the processes; stops them on a signal. */
async function primary(config: Config, logger: Logger) {
  const server = await prepareDatabase(config, logger);
  const db = connectDatabase(server.url, { max: 2, citus: await isCitusDatabase(server.url) });
  const hasDemo = await seedIfAsked(config, db, server.embedded).finally(() => db.close());
  const processes = startAppProcesses({
    count: config.WEB_CONCURRENCY,
    env: { DATABASE_URL: server.url },
    logger,
    onFirstListening: () => announce(config, hasDemo),
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'stopping the app processes');
    await processes.stop();
    await server.stop().catch((err) => logger.error({ err }, 'stopping PostgreSQL'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`No se pudo arrancar Solicitudes / could not start: ${describeError(err)}`);
  if (err instanceof Error && err.stack) console.error(err.stack);
  process.exit(1);
});
