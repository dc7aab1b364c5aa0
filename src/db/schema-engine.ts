// Prisma's schema engine compiled to WebAssembly. The native engine binary cannot
// be downloaded on our machines; this one ships inside an npm package and speaks
// to PostgreSQL through the same driver adapter as the application.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import type * as Engine from '@prisma/schema-engine-wasm';

type EngineModule = typeof Engine;
let loaded: Promise<EngineModule> | undefined;

/**
 * Instantiates the engine's wasm by hand (what its ESM entry does with a `.wasm`
 * import), so Node 20 needs no --experimental-wasm-modules flag.
 */
function loadEngineModule(): Promise<EngineModule> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as EngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg as never });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return loaded;
}

/**
 * The adapter runs a migration script by splitting it on every ";", which breaks a
 * PL/pgSQL function body (the inbox_counts triggers). PostgreSQL itself takes the whole
 * script as one simple query (which also makes a migration all-or-nothing).
 */
function wholeScripts<A extends Awaited<ReturnType<PrismaPg['connect']>>>(adapter: A): A {
  const pool = adapter.underlyingDriver() as pg.Pool;
  // The adapter's own error conversion, so the engine reports database errors as before.
  const convert = (adapter as unknown as { onError(e: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (err) {
      convert(err);
    }
  };
  return adapter;
}

/**
 * The adapter drops its shadow database before closing the pool connected to it,
 * which PostgreSQL refuses ("being accessed by other users"). Closing the pool
 * first (and making the adapter's own later close a no-op) lets the drop succeed.
 */
class ShadowSafePg extends PrismaPg {
  /** Every adapter the engine opened; the engine does not close them itself. */
  readonly opened: { dispose(): Promise<void> }[] = [];

  override async connect() {
    const adapter = wholeScripts(await super.connect());
    this.opened.push(adapter);
    return adapter;
  }

  override async connectToShadowDb() {
    const adapter = wholeScripts(await super.connectToShadowDb());
    const pool = adapter.underlyingDriver();
    const end = pool.end.bind(pool);
    let ended: Promise<void> | undefined;
    pool.end = (() => (ended ??= end())) as typeof pool.end;
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await pool.end();
      await dispose();
    };
    return adapter;
  }
}

export function poolConfigFromUrl(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    // `?host=/tmp` (libpq's form) reaches a local server through its Unix socket.
    host: u.searchParams.get('host') ?? decodeURIComponent(u.hostname),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    ssl: sslFromMode(u.searchParams.get('sslmode')),
  };
}

/**
 * libpq's sslmode as pg's `ssl`: `require` encrypts without checking the certificate (as libpq does);
 * `verify-ca` checks it against the trusted CAs, `verify-full` the host name as well.
 */
function sslFromMode(mode: string | null): pg.PoolConfig['ssl'] {
  if (mode === 'verify-full') return { rejectUnauthorized: true };
  if (mode === 'verify-ca') return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
  if (mode === 'require') return { rejectUnauthorized: false };
  return undefined;
}

export type SchemaEngine = Engine.SchemaEngine;

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes its connections (an idle one would block DROP/CREATE … TEMPLATE). */
  close(): Promise<void>;
}

export async function openSchemaEngine(databaseUrl: string, datamodel: string): Promise<OpenEngine> {
  const { SchemaEngine } = await loadEngineModule();
  // Discrete fields, not a connection string: the adapter opens its shadow database
  // by overriding `database`, which a connection string would silently win over.
  const factory = new ShadowSafePg({ ...poolConfigFromUrl(databaseUrl), max: 2 });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', datamodel]] }, () => {}, adapter);
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(factory.opened.map((a) => a.dispose().catch(() => {})));
    },
  };
}

export const noFilters: Engine.SchemaFilter = { externalTables: [], externalEnums: [] };
