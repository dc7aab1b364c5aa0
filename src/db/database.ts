import path from 'node:path';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from './embedded.js';

export interface DatabaseServer {
  url: string;
  embedded: boolean;
  /** True when the embedded cluster was created by this start (nothing was there before). */
  freshlyCreated: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL when configured; otherwise a real PostgreSQL embedded under DATA_DIR/pg. */
export async function openDatabaseServer(config: Config, log: (m: string) => void = () => {}): Promise<DatabaseServer> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, embedded: false, freshlyCreated: false, stop: async () => {} };
  }
  const db = await startEmbeddedPostgres({
    dataDir: path.join(config.DATA_DIR, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    database: 'solicitudes',
    log,
  });
  return { url: db.url, embedded: true, freshlyCreated: db.created, stop: db.stop };
}
