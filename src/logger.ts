import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: {
      paths: ['password', '*.password', 'req.body.password', 'SESSION_SECRET', 'DATABASE_URL'],
      censor: '[oculto]',
    },
  });
}
