import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { appliedMigrations, applyCitusMigration, distributeTables, isCitusDatabase, isDistributed } from './citus.js';
import { noFilters, openSchemaEngine } from './schema-engine.js';
import { projectRoot } from '../paths.js';

export const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');

export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const names = existsSync(dir)
    ? (await readdir(dir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(dir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/**
 * Applies pending migrations exactly as `prisma migrate deploy` does (records them in _prisma_migrations).
 * The notification queue keeps its own schema and migrations (graphile-worker installs them when it starts, or
 * the caller does with the notifications' `installQueueAt`). On a Citus database the tables are then distributed
 * (src/db/citus.ts): the same migrations, one step more. Once they are, each pending migration is applied statement
 * by statement with that step inline for the tables it creates (applyCitusMigration).
 */
export async function applyMigrations(databaseUrl: string, dir = migrationsDir): Promise<string[]> {
  const list = await readMigrations(dir);
  const citus = await isCitusDatabase(databaseUrl);
  if (!citus || !(await isDistributed(databaseUrl))) {
    const applied = await engineApply(databaseUrl, list);
    if (citus) await distributeTables(databaseUrl);
    return applied;
  }
  const done = await appliedMigrations(databaseUrl);
  const applied: string[] = [];
  for (const migration of list.migrationDirectories) {
    if (done.has(migration.path) || migration.migrationFile.content.tag !== 'ok') continue;
    await applyCitusMigration(databaseUrl, migration.path, migration.migrationFile.content.value);
    applied.push(migration.path);
  }
  await distributeTables(databaseUrl);
  return applied;
}

async function engineApply(databaseUrl: string, list: MigrationList): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(databaseUrl, await readFile(schemaPath, 'utf8'));
  try {
    const out = await engine.applyMigrations({ migrationsList: list, filters: noFilters });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * The schema as of the newest migration. The engine's WebAssembly build cannot
 * introspect a database through the driver adapter, so new migrations are
 * diffed from this snapshot (kept beside the migrations) to the current schema.
 */
export const snapshotPath = path.join(migrationsDir, 'schema.snapshot.prisma');

/** SQL taking `from` (a datamodel, or nothing) to `to`; needs no database of its own beyond the engine's connection. */
export async function diffDatamodels(databaseUrl: string, from: string | null, to: string): Promise<string> {
  const { engine, close } = await openSchemaEngine(databaseUrl, to);
  try {
    const result = await engine.diff({
      from:
        from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'from.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout ?? '';
  } finally {
    await close();
  }
}

export function isEmptyMigration(sql: string): boolean {
  return sql.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql; returns its folder or null when nothing changed. */
export async function writeMigration(databaseUrl: string, name: string, now = new Date()): Promise<string | null> {
  const current = await readFile(schemaPath, 'utf8');
  const previous = existsSync(snapshotPath) ? await readFile(snapshotPath, 'utf8') : null;
  const sql = await diffDatamodels(databaseUrl, previous, current);
  if (isEmptyMigration(sql)) return null;
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'migration';
  const folder = path.join(migrationsDir, `${stamp}_${slug}`);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'migration.sql'), sql);
  await writeFile(snapshotPath, current);
  const lock = path.join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lock)) {
    await writeFile(
      lock,
      '# Please do not edit this file manually\n' +
        '# It should be added in your version-control system (e.g., Git)\n' +
        'provider = "postgresql"\n',
    );
  }
  return folder;
}
