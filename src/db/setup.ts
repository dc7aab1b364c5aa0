import { readdir } from 'node:fs/promises';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { openDatabaseServer, type DatabaseServer } from './database.js';
import { migrationsDir } from './migrate.js';
import { applyMigrationsIsolated } from './migrate-isolated.js';
import { poolConfigFromUrl } from './schema-engine.js';

/**
 * Whether every migration folder is recorded as applied: then a (re)start skips the schema engine, whose
 * WebAssembly takes seconds to load — a restart after a crash is back sooner.
 */
async function upToDate(url: string): Promise<boolean> {
  const folders = (await readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory());
  const client = new pg.Client(poolConfigFromUrl(url));
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.name));
    return folders.every((d) => applied.has(d.name));
  } catch {
    return false; // no _prisma_migrations yet
  } finally {
    await client.end();
  }
}

/** Opens the database server (embedded or DATABASE_URL) and brings its schema up to date. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<DatabaseServer> {
  const server = await openDatabaseServer(config, (m) => logger.debug({ postgres: m.trim() }, 'postgres'));
  if (server.embedded)
    logger.info({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT }, 'embedded PostgreSQL started');
  try {
    if (await upToDate(server.url)) return server;
    const applied = await applyMigrationsIsolated(server.url);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
