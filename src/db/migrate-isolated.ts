import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Applies the migrations in a short-lived child process: the schema engine's
 * WebAssembly (~40 MB once instantiated) never enters the server's memory.
 */
export function applyMigrationsIsolated(url: string): Promise<string[]> {
  // Same extension as this module: .ts under tsx (the child inherits its loader flags), .js when built.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const child = fork(fileURLToPath(new URL(`./migrate-worker${ext}`, import.meta.url)), [url], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let answered = false;
    child.once('message', (msg: { applied?: string[]; error?: string }) => {
      answered = true;
      if (msg.error) reject(new Error(msg.error));
      else resolve(msg.applied ?? []);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`the migration process exited with code ${code}`));
    });
  });
}
