import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { cloneCitusDatabase, dropCitusDatabase } from '../../src/db/citus.js';
import { connectDatabase, type Database } from '../../src/db/client.js';

export interface TestDatabase extends Database {
  url: string;
  name: string;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: inject('adminUrl') });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An empty database of its own (no schema), for tests that build one themselves. */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(inject('adminUrl'), name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => {}),
  };
}

/** Whether this run is against a Citus cluster (CITUS_URL): then every database exists on every node. */
export const onCitus = () => inject('citusNodes').length > 0;

/** Drops a database (on every node of a cluster). */
export async function dropDatabase(name: string): Promise<void> {
  if (onCitus()) await dropCitusDatabase(inject('citusNodes'), name);
  else await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Renames a database (on every node of a cluster: the coordinator finds the shards by the database's name). */
export async function renameDatabase(from: string, to: string): Promise<void> {
  const nodes = onCitus() ? inject('citusNodes') : [null];
  for (const node of nodes) {
    const url = node ? `postgresql://postgres@${node.host}:${node.port}/postgres` : inject('adminUrl');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      if (!node) await client.query(`ALTER DATABASE "${from}" RENAME TO "${to}"`);
      else await renameOnCitusNode(client, from, to);
    } finally {
      await client.end();
    }
  }
}

/**
 * Citus' maintenance daemon keeps a connection to every database holding the extension, which a rename refuses
 * (55006): no new connection is let in and the daemon's is ended, as cloneCitusDatabase does with a template; the
 * rename is tried again while the ended backend exits (on this node: a retry from the first node would not find
 * the database already renamed there).
 */
async function renameOnCitusNode(client: pg.Client, from: string, to: string): Promise<void> {
  await client.query(`ALTER DATABASE "${from}" WITH ALLOW_CONNECTIONS false`);
  for (let attempt = 1; ; attempt++) {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [from]);
    try {
      await client.query(`ALTER DATABASE "${from}" RENAME TO "${to}"`);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt === 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A migrated database for one test file, cloned from the run's template (or another) in milliseconds. */
export async function createTestDatabase(
  template = inject('templateDb'),
): Promise<TestDatabase & { drop(): Promise<void> }> {
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (onCitus()) await cloneCitusDatabase(inject('citusNodes'), name, template);
  else await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = withDatabase(inject('adminUrl'), name);
  const db = connectDatabase(url, { max: 5, citus: onCitus() });
  return {
    ...db,
    url,
    name,
    async drop() {
      await db.close();
      await dropDatabase(name);
    },
  };
}
