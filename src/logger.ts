import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { isConnectionError } from './db/errors.js';

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: {
      paths: ['password', '*.password', 'req.body.password', 'SESSION_SECRET', 'DATABASE_URL'],
      censor: '[oculto]',
    },
  });
}

/**
 * A database connection cut (PostgreSQL restarting) that escaped every handler is logged and survived: the pools
 * reconnect by themselves. Unhandled rejections are logged, never fatal; any other uncaught exception ends the
 * process, as Node would.
 */
export function surviveDatabaseOutages(logger: Logger) {
  process.on('unhandledRejection', (err) => {
    if (isConnectionError(err)) logger.warn({ err }, 'database unavailable (unhandled rejection)');
    else logger.error({ err }, 'unhandled rejection');
  });
  process.on('uncaughtException', (err) => {
    if (isConnectionError(err)) {
      logger.warn({ err }, 'database unavailable (uncaught exception)');
      return;
    }
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
}
