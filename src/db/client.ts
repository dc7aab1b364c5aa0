import { PrismaPg } from '@prisma/adapter-pg';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { poolConfigFromUrl } from './schema-engine.js';
import { registerPool, statementName } from './sql.js';

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  /** The pg pool shared by Prisma and the session store. */
  pool: pg.Pool;
  /**
   * A few connections whose commits return before their WAL is flushed to disk (`synchronous_commit = off`), for
   * bookkeeping rows whose loss in a crash is harmless or covered: the one-time form keys (src/submissions). A key
   * claimed here is made durable by the synchronous commit of the write that follows it (WAL is flushed in order);
   * an outcome lost in a crash leaves the key "still working", as when the process dies. Each write of a form then
   * waits for one flush instead of three.
   */
  asyncCommitPool: pg.Pool;
  /**
   * One connection per CPU for the indicators' statements (`reportRows`): each is planned for its own values
   * (a period of a large company selects few of its rows, and only a plan made for those dates reads them through
   * the dates' indexes), and sorts and keeps its rows in memory up to 64 MB instead of spilling them to disk.
   */
  reportPool: pg.Pool;
  close(): Promise<void>;
}

export function connectDatabase(
  url: string,
  opts: {
    max?: number;
    onConnectionError?: (err: Error) => void;
    /** A Citus coordinator (src/db/citus.ts): plans stay PostgreSQL's choice (below). */
    citus?: boolean;
  } = {},
): Database {
  const lost = opts.onConnectionError ?? (() => {});
  const pool = new pg.Pool({
    ...poolConfigFromUrl(url),
    max: opts.max ?? 10,
    // Every query is a named statement (below); a generic plan is then reused instead of
    // planning each execution again, which on these index-bound, tenant-scoped queries
    // costs more than executing them (measured: 1.1 ms instead of 2.9 ms for an inbox page).
    // On Citus a generic plan cannot route a statement whose company id is a typed parameter (it needs the value to
    // pick the shard): there PostgreSQL's default (custom plans first) is kept, and Citus caches the router plans.
    // No parallel workers for these short statements: starting them costs more than the work they share, and under
    // load they wait for the same cores (a search of the large company: 45 ms with them, 1.5 ms without).
    options: opts.citus ? undefined : '-c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0',
    // Fail fast instead of queueing forever when the pool is exhausted.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // While PostgreSQL restarts, connections die: an idle one is replaced by the pool; a checked-out one fails its
  // query (the request answers 503). Without these listeners pg would throw the error and end the process.
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  const asyncCommitPool = new pg.Pool({
    ...poolConfigFromUrl(url),
    max: 4,
    options: '-c synchronous_commit=off',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  asyncCommitPool.on('error', lost);
  asyncCommitPool.on('connect', (client) => client.on('error', lost));
  const reportPool = new pg.Pool({
    ...poolConfigFromUrl(url),
    max: availableParallelism(),
    options: `${opts.citus ? '' : '-c plan_cache_mode=force_custom_plan '}-c work_mem=64MB`,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  reportPool.on('error', lost);
  reportPool.on('connect', (client) => client.on('error', lost));
  // Named statements: PostgreSQL plans each distinct query once per connection
  // instead of on every execution.
  const base = new PrismaClient({
    adapter: new PrismaPg(pool, { statementNameGenerator: (q) => statementName(q.sql) }),
  });
  const prisma = opts.citus ? relationsByQuery(base) : base;
  registerPool(prisma, pool, reportPool);
  return {
    prisma,
    pool,
    asyncCommitPool,
    reportPool,
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end(), asyncCommitPool.end(), reportPool.end()]);
    },
  };
}

/** The operations that load relations (Prisma's `relationLoadStrategy` applies to them). */
const LOADS_RELATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'create',
  'update',
  'upsert',
  'delete',
]);

/**
 * On Citus, relations are read by one statement per relation instead of a lateral join: the join correlates the
 * related table with the outer row's column, which Citus cannot route to one shard, while the separate statement
 * names the related rows' keys (`company_id` first in every composite relation) and is answered by one shard.
 */
function relationsByQuery(prisma: PrismaClient): PrismaClient {
  return prisma.$extends({
    query: {
      $allModels: {
        $allOperations({ operation, args, query }) {
          const strategy = LOADS_RELATIONS.has(operation) ? { relationLoadStrategy: 'query' } : {};
          return query({ ...(args as object), ...strategy } as typeof args);
        },
      },
    },
  }) as unknown as PrismaClient;
}

/** One round trip to PostgreSQL: true when it answers (the health check). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
