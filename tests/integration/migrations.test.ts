// No drift: the database the migrations build equals the one the schema describes.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, diffDatamodels, schemaPath, snapshotPath } from '../../src/db/migrate.js';
import { createEmptyDatabase } from '../support/database.js';

const catalogue = `
  SELECT 'column' AS kind, table_name || '.' || column_name AS name,
         concat_ws(' ', data_type, udt_name, is_nullable, column_default, character_maximum_length,
                   datetime_precision) AS def
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
  UNION ALL
  SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
  UNION ALL
  SELECT 'constraint', conrelid::regclass || '.' || conname, pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
  UNION ALL
  SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
  ORDER BY 1, 2`;

async function describeDb(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(catalogue)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Objects the conversation (and search_tickets_categories) migrations write by hand because Prisma's schema cannot
 * express them: GIN expression indexes over search_document(...) (an IMMUTABLE
 * wrapper of unaccent + to_tsvector('spanish')) for the inbox full-text search. A
 * database built from the schema alone lacks them, so the drift comparison leaves
 * them out — and the test below checks the migrations do create them.
 */
const HAND_WRITTEN_INDEXES = [
  'requests_search_idx',
  'request_comments_search_idx',
  'tickets_search_idx',
  'categories_search_idx',
  'requests_fields_search_idx',
];
const withoutHandWritten = (rows: { kind: string; name: string }[]) =>
  rows.filter((r) => !(r.kind === 'index' && HAND_WRITTEN_INDEXES.includes(r.name)));

let fromMigrations: Awaited<ReturnType<typeof createEmptyDatabase>>;
let fromSchema: Awaited<ReturnType<typeof createEmptyDatabase>>;

beforeAll(async () => {
  fromMigrations = await createEmptyDatabase();
  fromSchema = await createEmptyDatabase();
});
afterAll(async () => {
  await fromMigrations.drop();
  await fromSchema.drop();
});

describe('migrations', () => {
  it('build the same database as the schema (no drift)', async () => {
    const applied = await applyMigrations(fromMigrations.url);
    expect(applied.length).toBeGreaterThan(0);
    const sql = await diffDatamodels(fromSchema.url, null, await readFile(schemaPath, 'utf8'));
    const client = new pg.Client({ connectionString: fromSchema.url });
    await client.connect();
    await client.query(sql);
    await client.end();
    const a = withoutHandWritten(await describeDb(fromMigrations.url));
    const b = await describeDb(fromSchema.url);
    expect(a.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
  });

  it('create the full-text search indexes written by hand, leading with company_id', async () => {
    const indexes = (await describeDb(fromMigrations.url)).filter(
      (r) => r.kind === 'index' && HAND_WRITTEN_INDEXES.includes(r.name),
    );
    expect(indexes.map((r) => r.name).sort()).toEqual([...HAND_WRITTEN_INDEXES].sort());
    for (const idx of indexes) expect(idx.def, idx.name).toMatch(/USING gin \(company_id, search_document\(/);
  });

  it('are applied once: a second run applies nothing', async () => {
    expect(await applyMigrations(fromMigrations.url)).toEqual([]);
  });

  it('keep the snapshot that `npm run db:migration` diffs from in step with the schema', async () => {
    const [schema, snapshot] = await Promise.all([readFile(schemaPath, 'utf8'), readFile(snapshotPath, 'utf8')]);
    expect(snapshot, 'schema.prisma changed without a migration: run npm run db:migration -- <name>').toBe(schema);
  });

  it('put companyId first in every index of a tenant table', async () => {
    const rows = (await describeDb(fromMigrations.url)).filter((r) => r.kind === 'index');
    const tenantIndexes = rows.filter(
      (r) =>
        / ON public\.(units|users|categories|requests|request_counts|tickets|ticket_counts|request_events|request_comments|attachments|notifications|notification_preferences) /.test(
          r.def,
        ) &&
        !/_pkey$/.test(r.name) &&
        !/users_email_key/.test(r.name),
    );
    expect(tenantIndexes.length).toBeGreaterThan(10);
    // GIN indexes lead with company_id too (btree_gin), see HAND_WRITTEN_INDEXES.
    for (const idx of tenantIndexes) expect(idx.def, idx.name).toMatch(/USING (btree|gin) \(company_id/);
  });

  it('make PostgreSQL refuse a link across companies', async () => {
    const client = new pg.Client({ connectionString: fromMigrations.url });
    await client.connect();
    try {
      const [a, b] = (await client.query(`INSERT INTO companies (name) VALUES ('A'), ('B') RETURNING id`)).rows;
      const unitB = (await client.query(`INSERT INTO units (company_id, name) VALUES ($1, 'U') RETURNING id`, [b.id]))
        .rows[0];
      await expect(
        client.query(`INSERT INTO users (company_id, email, name, unit_id) VALUES ($1, 'x@a.test', 'X', $2)`, [
          a.id,
          unitB.id,
        ]),
      ).rejects.toThrow(/foreign key/);
    } finally {
      await client.end();
    }
  });
});
