// `npm run db:migrate`, `npm run db:migration -- <name>`, `npm run db:seed`.
// They use DATABASE_URL, or start the embedded PostgreSQL under .data/ like the app.
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { isCitusDatabase } from '../src/db/citus.js';
import { connectDatabase } from '../src/db/client.js';
import { openDatabaseServer } from '../src/db/database.js';
import { describeError } from '../src/db/errors.js';
import { applyMigrations, writeMigration } from '../src/db/migrate.js';
import { DEMO_ACCOUNTS_TABLE, DEMO_PASSWORD, demoAccounts, seedDemoData } from '../src/demo/seed.js';

async function main() {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig();
  const logger = createLogger(config);
  const server = await openDatabaseServer(config, (m) => logger.debug(m));
  try {
    if (command === 'migrate') {
      const applied = await applyMigrations(server.url);
      console.log(applied.length ? `Migraciones aplicadas: ${applied.join(', ')}` : 'La base de datos ya está al día.');
    } else if (command === 'migration') {
      if (!name) throw new Error('Uso: npm run db:migration -- <nombre>');
      const folder = await writeMigration(server.url, name);
      console.log(folder ? `Nueva migración: ${folder}` : 'El esquema no cambió: no hay migración que escribir.');
    } else if (command === 'seed') {
      // The demo accounts share a published password: never in a production database.
      if (config.isProduction)
        throw new Error('NODE_ENV=production: los datos de demostración no se cargan en producción.');
      await applyMigrations(server.url);
      const db = connectDatabase(server.url, { max: 2, citus: await isCitusDatabase(server.url) });
      try {
        const exists = await db.prisma.user.count({ where: { email: demoAccounts[0]!.email } });
        if (exists) {
          console.log('Los datos de demostración ya están cargados.');
        } else {
          await seedDemoData(db.prisma);
          console.log(`Datos de demostración cargados. Contraseña: ${DEMO_PASSWORD}\n${DEMO_ACCOUNTS_TABLE}`);
        }
      } finally {
        await db.close();
      }
    } else {
      throw new Error(`Comando desconocido: ${command ?? '(ninguno)'} (migrate | migration <nombre> | seed)`);
    }
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : describeError(err));
  process.exit(1);
});
