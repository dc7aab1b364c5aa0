// The app on a Citus cluster (docs/citus.md). Nothing here shards anything itself: it tells Citus which tables are
// distributed by company, which are reference tables and which stay on the coordinator. `distributeTables` runs after
// the migrations on a database where the citus extension exists, and is idempotent: a table already placed is
// skipped, so a migration that adds a table only needs the table named in one of the lists below.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

/**
 * Company-owned tables, sharded by `company_id` and co-located with `companies` (distributed by its `id`): every
 * statement of one company goes to the one shard group holding that company. Parents before children (foreign keys).
 */
export const DISTRIBUTED_TABLES = [
  'units',
  'users',
  'categories',
  'requests',
  'tickets',
  'request_counts',
  'request_authorizer_counts',
  'ticket_counts',
  'request_events',
  'account_tokens',
  'audit_entries',
  'request_comments',
  'attachments',
  'notifications',
  'notification_preferences',
  'phone_verifications',
  'company_notification_settings',
  'notification_attempts',
  'form_submissions',
  'holidays',
  'absences',
  'reminders',
  'api_tokens',
  'api_idempotency_keys',
  'webhook_endpoints',
  'webhook_deliveries',
  'request_followers',
  'satisfaction_surveys',
  'category_fields',
  'portal_submissions',
  'portal_status_links',
  'company_sso',
  'recovery_codes',
  'sign_in_log',
  'company_exports',
  'inbound_reply_tokens',
  'inbound_messages',
] as const;

/** Platform-wide lookups sharded by their own key (not by company): one shard answers each lookup. */
export const GLOBAL_KEY_TABLES = {
  login_emails: 'email',
  company_tax_ids: 'tax_id',
  portal_slugs: 'slug',
  sso_domains: 'domain',
} as const;

/**
 * Tables of no company that stay on the coordinator (added to Citus' metadata so statements may join them with
 * distributed tables): the session store, the job outbox, sign-in failures and rate limits, worker heartbeats and the
 * queue's own schema. They are written on almost every request or job, are read by key by the one process that needs
 * them, and a reference table would copy every such write to every node. The queue's schema (graphile_worker) and
 * _prisma_migrations are plain coordinator tables outside Citus' metadata: no statement joins them with others.
 */
export const COORDINATOR_TABLES = [
  'session',
  'job_outbox',
  'login_failures',
  'rate_limit_hits',
  'worker_heartbeats',
] as const;

/**
 * Of those, the ones written by the same statement as company rows (the outbox, in the CTE of a transition): Citus
 * must know them to plan that statement. The others stay plain PostgreSQL tables, outside Citus' planner.
 */
export const COORDINATOR_TABLES_IN_METADATA = ['job_outbox'] as const;

export interface NodeAddress {
  host: string;
  port: number;
}

async function withClient<T>(url: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const nodeUrl = (n: NodeAddress, db: string) => `postgresql://postgres@${n.host}:${n.port}/${db}`;

/** Whether the database at `url` has the citus extension (the migrations then end with `distributeTables`). */
export async function isCitusDatabase(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    const r = await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`);
    return r.rowCount === 1;
  });
}

/**
 * Creates database `name` on every node (when missing), with the citus extension, and registers the coordinator and
 * the workers in it. Idempotent.
 */
export async function prepareCitusDatabase(coordinator: NodeAddress, workers: NodeAddress[], name: string) {
  for (const node of [coordinator, ...workers]) {
    await withClient(nodeUrl(node, 'postgres'), async (c) => {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await c.query(`CREATE DATABASE "${name}"`);
    });
    await withClient(nodeUrl(node, name), (c) => c.query('CREATE EXTENSION IF NOT EXISTS citus'));
  }
  await withClient(nodeUrl(coordinator, name), async (c) => {
    const known = await c.query<{ nodename: string; nodeport: number }>('SELECT nodename, nodeport FROM pg_dist_node');
    const has = (n: NodeAddress) => known.rows.some((r) => r.nodename === n.host && r.nodeport === n.port);
    if (!has(coordinator))
      await c.query('SELECT citus_set_coordinator_host($1, $2)', [coordinator.host, coordinator.port]);
    for (const w of workers) if (!has(w)) await c.query('SELECT citus_add_node($1, $2)', [w.host, w.port]);
  });
}

/** The nodes registered in the coordinator database at `url` (coordinator first). */
export async function citusNodes(url: string): Promise<NodeAddress[]> {
  return withClient(url, async (c) => {
    const r = await c.query<{ nodename: string; nodeport: number }>(
      'SELECT nodename, nodeport FROM pg_dist_node WHERE isactive ORDER BY groupid',
    );
    return r.rows.map((row) => ({ host: row.nodename, port: row.nodeport }));
  });
}

type Placement = 'distributed' | 'local' | 'none';

/** Whether `table` exists (a listed table may come with a later migration than the database is at). */
async function exists(c: pg.Client, table: string): Promise<boolean> {
  const r = await c.query<{ found: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS found`, [table]);
  return r.rows[0]!.found;
}

async function placementOf(c: pg.Client, table: string): Promise<Placement> {
  const r = await c.query<{ kind: string }>(
    `SELECT citus_table_type AS kind FROM citus_tables WHERE table_name = $1::regclass
     UNION ALL SELECT 'local' FROM pg_dist_partition WHERE logicalrelid = $1::regclass AND partmethod = 'n'`,
    [table],
  );
  const kind = r.rows[0]?.kind;
  if (!kind) return 'none';
  return kind === 'distributed' ? 'distributed' : 'local';
}

/**
 * The primary key of a company-owned table must include `company_id` on Citus: the single-server key `(id)` is
 * replaced by `(company_id, id)`, built from the unique index every such table already has. Single-column unique
 * indexes that cannot hold per shard were replaced in the schema itself (login_emails).
 */
async function keyByCompany(c: pg.Client, table: string): Promise<void> {
  const pk = await c.query<{ name: string; cols: string[] }>(
    `SELECT con.conname AS name, array_agg(att.attname ORDER BY k.n)::text[] AS cols
     FROM pg_constraint con
     CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
     JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.attnum
     WHERE con.conrelid = $1::regclass AND con.contype = 'p' GROUP BY con.conname`,
    [table],
  );
  const key = pk.rows[0];
  if (!key || key.cols.includes('company_id')) return;
  await c.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${key.name}"`);
  await c.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${key.name}" PRIMARY KEY (company_id, id)`);
  // The (company_id, id) unique index stays: the composite foreign keys of other tables are bound to it.
}

/**
 * Citus refuses ON UPDATE CASCADE on a foreign key holding the distribution column (Prisma's default for the
 * `company` relations). Company ids never change: those keys become ON UPDATE NO ACTION, ON DELETE kept.
 */
interface ForeignKey {
  tbl: string;
  name: string;
  def: string;
}

/**
 * The foreign keys of tables not yet distributed, dropped: a table can only be distributed when the tables it
 * references are, and units and users reference each other. They are added again once every table is placed.
 */
async function dropPendingForeignKeys(c: pg.Client): Promise<ForeignKey[]> {
  const keys = await c.query<ForeignKey>(
    `SELECT con.conrelid::regclass::text AS tbl, con.conname AS name, pg_get_constraintdef(con.oid) AS def
     FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
     WHERE n.nspname = 'public' AND con.contype = 'f'
       AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = con.conrelid)`,
  );
  for (const k of keys.rows) await c.query(`ALTER TABLE ${k.tbl} DROP CONSTRAINT "${k.name}"`);
  return keys.rows;
}

/**
 * Citus refuses ON UPDATE CASCADE on a foreign key holding the distribution column (Prisma's default for the
 * `company` relations). Company ids never change: those keys come back as ON UPDATE NO ACTION, ON DELETE kept.
 */
async function addForeignKeys(c: pg.Client, keys: ForeignKey[]): Promise<void> {
  for (const k of keys) {
    const def = k.def.replace(/ ON UPDATE (CASCADE|SET NULL|SET DEFAULT|RESTRICT)/, '');
    await c.query(`ALTER TABLE ${k.tbl} ADD CONSTRAINT "${k.name}" ${def}`);
  }
}

/** Places every table of the lists above (skipping those already placed). Returns what it changed. */
export async function distributeTables(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const done: string[] = [];
    // DDL on shards and the foreign keys between co-located tables, one connection per worker: no deadlock with
    // the preceding statements of this transaction-less session.
    await c.query(`SET citus.multi_shard_modify_mode TO 'sequential'`);
    // The inbox counters' triggers (requests, tickets) write the co-located counter shards, on the same node.
    await c.query(`SET citus.enable_unsafe_triggers TO on`);
    // Prisma reads enum columns back as `col::text` in RETURNING, which Citus refuses unless the cast is immutable:
    // an enum's text depends only on its labels, and this schema never renames one (migrations only add values).
    await c.query('ALTER FUNCTION pg_catalog.enum_out(anyenum) IMMUTABLE');
    const keys = await dropPendingForeignKeys(c);
    if ((await placementOf(c, 'companies')) === 'none') {
      await c.query(`SELECT create_distributed_table('companies', 'id')`);
      done.push('companies');
    }
    for (const table of DISTRIBUTED_TABLES) {
      if (!(await exists(c, table)) || (await placementOf(c, table)) !== 'none') continue;
      await keyByCompany(c, table);
      await c.query(`SELECT create_distributed_table($1, 'company_id', colocate_with => 'companies')`, [table]);
      done.push(table);
    }
    for (const [table, column] of Object.entries(GLOBAL_KEY_TABLES)) {
      if (!(await exists(c, table)) || (await placementOf(c, table)) !== 'none') continue;
      await c.query(`SELECT create_distributed_table($1, $2, colocate_with => 'none')`, [table, column]);
      done.push(table);
    }
    for (const table of COORDINATOR_TABLES_IN_METADATA) {
      if (!(await exists(c, table)) || (await placementOf(c, table)) !== 'none') continue;
      await c.query(`SELECT citus_add_local_table_to_metadata($1)`, [table]);
      done.push(table);
    }
    await addForeignKeys(c, keys);
    return done;
  });
}

/** Whether the database's tables are already placed (distributeTables ran): new tables then need their step inline. */
export async function isDistributed(url: string): Promise<boolean> {
  return withClient(url, async (c) => (await exists(c, 'companies')) && (await placementOf(c, 'companies')) !== 'none');
}

/** How a table created by a migration is placed: by the lists above, else by company when it has a company_id. */
function placementSql(table: string, columns: string): string {
  const global = (GLOBAL_KEY_TABLES as Record<string, string>)[table];
  if (global) return `SELECT create_distributed_table('${table}', '${global}', colocate_with => 'none');`;
  if ((COORDINATOR_TABLES_IN_METADATA as readonly string[]).includes(table))
    return `SELECT citus_add_local_table_to_metadata('${table}');`;
  if ((COORDINATOR_TABLES as readonly string[]).includes(table)) return '';
  if ((DISTRIBUTED_TABLES as readonly string[]).includes(table) || /"company_id"/.test(columns))
    return `SELECT create_distributed_table('${table}', 'company_id', colocate_with => 'companies');`;
  return '';
}

/**
 * A migration rewritten for a database whose tables are already distributed. Each new table is placed right after
 * its CREATE TABLE, before the indexes and foreign keys that follow it (a foreign key from a plain table to a
 * distributed one is refused); a company table's key becomes (company_id, id); foreign keys lose ON UPDATE CASCADE
 * (refused on the distribution column; company ids never change), as distributeTables does for the first placement.
 */
export function citusMigrationSql(sql: string): string {
  return sql
    .replace(/CREATE TABLE "(\w+)" \(([\s\S]*?)\n\);/g, (statement, table: string, columns: string) => {
      const place = placementSql(table, columns);
      const keyed = place.includes("'company_id'")
        ? statement.replace(/PRIMARY KEY \("id"\)/, 'PRIMARY KEY ("company_id", "id")')
        : statement;
      return place ? `${keyed}\n${place}` : keyed;
    })
    .replace(/ ON UPDATE CASCADE/g, '');
}

/**
 * The statements of a script, split on the semicolons outside quotes, comments and dollar-quoted bodies. Citus
 * refuses DDL on distributed tables sent as one multi-statement query (the way the schema engine sends a script).
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const dollar = /^\$(\w*)\$/.exec(rest);
    if (rest.startsWith('--')) i = sql.indexOf('\n', i) < 0 ? sql.length : sql.indexOf('\n', i);
    else if (rest.startsWith('/*')) i = sql.indexOf('*/', i + 2) < 0 ? 0 : sql.indexOf('*/', i + 2) + 2;
    else if (sql[i] === "'" || sql[i] === '"') i = sql.indexOf(sql[i]!, i + 1) + 1;
    else if (dollar) i = sql.indexOf(dollar[0], i + dollar[0].length) + dollar[0].length;
    else if (sql[i] === ';') {
      out.push(sql.slice(start, i));
      start = ++i;
    } else i++;
    if (i <= 0) throw new Error('unterminated quote or comment in a migration');
  }
  out.push(sql.slice(start));
  return out.filter((s) => s.replace(/--.*$/gm, '').trim() !== '');
}

/**
 * Applies migration `name` (its `sql` rewritten by citusMigrationSql) statement by statement in one transaction,
 * and records it as the schema engine does, with the checksum of the file as written.
 */
export async function applyCitusMigration(url: string, name: string, sql: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('BEGIN');
    try {
      // DDL on shards of tables created in this transaction: one connection per worker.
      await c.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
      for (const statement of splitStatements(citusMigrationSql(sql))) await c.query(statement);
      await c.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), createHash('sha256').update(sql).digest('hex'), name],
      );
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK');
      throw err;
    }
  });
}

/** The migrations recorded as applied in the database at `url` (none when the table does not exist yet). */
export async function appliedMigrations(url: string): Promise<Set<string>> {
  return withClient(url, async (c) => {
    if (!(await exists(c, '_prisma_migrations'))) return new Set<string>();
    const r = await c.query<{ name: string }>(
      `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return new Set(r.rows.map((row) => row.name));
  });
}

/**
 * Creates `name` as a copy of `template` on every node (shards included), as CREATE DATABASE … TEMPLATE does. Citus
 * keeps a maintenance worker connected to every database holding the extension, and a template must have no
 * connection: the template is closed to connections (for good) and its workers are ended before it is copied.
 */
export async function cloneCitusDatabase(nodes: NodeAddress[], name: string, template: string): Promise<void> {
  for (const node of nodes) {
    await withClient(nodeUrl(node, 'postgres'), async (c) => {
      // Copies of one template are made one at a time per node (test files start together): two ALTER DATABASE of
      // the same template at once fail with "tuple concurrently updated". Released when the connection ends.
      await c.query('SELECT pg_advisory_lock(hashtext($1))', [`clone:${template}`]);
      await c.query(`ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`);
      for (let attempt = 1; ; attempt++) {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [template]);
        try {
          await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
          return;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006' || attempt === 50) throw err;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    });
  }
}

/** Drops `name` on every node. */
export async function dropCitusDatabase(nodes: NodeAddress[], name: string): Promise<void> {
  for (const node of [...nodes].reverse()) {
    await withClient(nodeUrl(node, 'postgres'), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}
