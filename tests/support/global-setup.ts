// One PostgreSQL per test run: the embedded one (or DATABASE_URL), with a template
// database migrated once. Each test file clones it (CREATE DATABASE … TEMPLATE …).
// CITUS_URL (the coordinator's maintenance database of a cluster started by `npm run citus:start`) runs the same
// tests on Citus: the template exists on every node with its tables distributed, and is cloned on every node.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { citusNodes, dropCitusDatabase, prepareCitusDatabase, type NodeAddress } from '../../src/db/citus.js';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { installQueueAt } from '../../src/notifications/queue.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the server's maintenance database (to create/drop databases). */
    adminUrl: string;
    templateDb: string;
    /** The Citus nodes (coordinator first) when the run is against a cluster; empty otherwise. */
    citusNodes: NodeAddress[];
  }
}

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stop = async () => {};
  const external = process.env.CITUS_URL ?? process.env.DATABASE_URL;
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
  const nodes = process.env.CITUS_URL ? await citusNodes(adminUrl) : [];
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (nodes.length) await prepareCitusDatabase(nodes[0]!, nodes.slice(1), templateDb);
  else await admin.query(`CREATE DATABASE "${templateDb}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${templateDb}`;
  await applyMigrations(u.toString());
  await installQueueAt(u.toString());
  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);
  project.provide('citusNodes', nodes);

  return async () => {
    try {
      const drop = (name: string) =>
        nodes.length
          ? dropCitusDatabase(nodes, name)
          : admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => {});
      await drop(templateDb);
      // The demo-data template the browser suites clone (tests/support/browser.ts).
      await drop(`${templateDb}_demo`);
      const leftovers = await admin.query(
        `SELECT datname FROM pg_database WHERE datname LIKE 't\\_${process.pid}\\_%'`,
      );
      for (const row of leftovers.rows) await drop(row.datname);
    } finally {
      await admin.end();
      await stop();
    }
  };
}
