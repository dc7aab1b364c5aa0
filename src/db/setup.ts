import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { openDatabaseServer, type DatabaseServer } from './database.js';
import { applyMigrationsIsolated } from './migrate-isolated.js';

/** Opens the database server (embedded or DATABASE_URL) and brings its schema up to date. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<DatabaseServer> {
  const server = await openDatabaseServer(config, (m) => logger.debug({ postgres: m.trim() }, 'postgres'));
  if (server.embedded)
    logger.info({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT }, 'embedded PostgreSQL started');
  try {
    const applied = await applyMigrationsIsolated(server.url);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
