import { startEmbeddedPostgres } from '/work/main/src/db/embedded.js';
const db = await startEmbeddedPostgres({ dataDir: '/work/main/.data/bench-pg', port: 54330, database: 'postgres', postgresFlags: ['-c', 'shared_preload_libraries=pg_stat_statements'] });
console.log(db.url);
process.on('SIGTERM', async () => { await db.stop(); process.exit(0); });
setInterval(() => {}, 1e9);
