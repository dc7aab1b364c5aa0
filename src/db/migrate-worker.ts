// Runs as a child process (see migrate-isolated.ts): applies the migrations, reports, exits.
import { applyMigrations } from './migrate.js';

const url = process.argv[2]!;
applyMigrations(url).then(
  (applied) => process.send!({ applied }, () => process.exit(0)),
  (err: unknown) =>
    process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1)),
);
