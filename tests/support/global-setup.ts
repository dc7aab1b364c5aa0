// One PostgreSQL per test run: the embedded one (or DATABASE_URL), with a template
// database migrated once. Each test file clones it (CREATE DATABASE … TEMPLATE …).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { installQueueAt } from '../../src/notifications/queue.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the server's maintenance database (to create/drop databases). */
    adminUrl: string;
    templateDb: string;
  }
}

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stop = async () => {};
  const external = process.env.DATABASE_URL;
  if (external) {
    adminUrl = external;
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'solicitudes-test-pg-'));
    // As root the cluster runs as the `postgres` user, which must be able to enter the folder.
    await chmod(dir, 0o755);
    const db = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      port: await freePort(),
      database: 'postgres',
    });
    adminUrl = db.url;
    stop = async () => {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const templateDb = `tmpl_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${templateDb}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${templateDb}`;
  await applyMigrations(u.toString());
  await installQueueAt(u.toString());
  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);

  return async () => {
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${templateDb}" WITH (FORCE)`);
      // The demo-data template the browser suites clone (tests/support/browser.ts).
      await admin.query(`DROP DATABASE IF EXISTS "${templateDb}_demo" WITH (FORCE)`);
      const leftovers = await admin.query(
        `SELECT datname FROM pg_database WHERE datname LIKE 't\\_${process.pid}\\_%'`,
      );
      for (const row of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
      await stop();
    }
  };
}
