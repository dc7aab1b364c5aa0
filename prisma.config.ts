import { defineConfig } from 'prisma/config';

// Used by `prisma generate` only; migrations run through src/db/migrate.ts
// (Prisma's schema engine as WebAssembly, which works offline).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
