import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { poolConfigFromUrl } from './schema-engine.js';

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  /** The pg pool shared by Prisma and the session store. */
  pool: pg.Pool;
  close(): Promise<void>;
}

export function connectDatabase(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({
    ...poolConfigFromUrl(url),
    max: opts.max ?? 10,
    // Fail fast instead of queueing forever when the pool is exhausted.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => {
    /* an idle client died (e.g. the server restarted); the pool replaces it */
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
