// The embedded PostgreSQL after its app was killed: `npm start` must find the data directory usable again.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { projectRoot } from '../../src/paths.js';
import { freePort } from '../support/free-port.js';

let dir: string;
let dataDir: string;
let port: number;
let app: ChildProcess;

/** An "app": a node process that starts the embedded PostgreSQL and keeps running. */
function startOwner(): Promise<ChildProcess> {
  const code = `
    const { startEmbeddedPostgres } = await import(${JSON.stringify(path.join(projectRoot, 'src/db/embedded.ts'))});
    await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, database: 'app' });
    console.log('ready');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`the owner exited with ${code}`)));
  });
}

const postmasterPid = () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'solicitudes-embedded-'));
  chmodSync(dir, 0o755);
  dataDir = path.join(dir, 'pg');
  port = await freePort();
  app = await startOwner();
}, 90_000);

afterAll(() => {
  if (app.exitCode === null) app.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('starting the embedded PostgreSQL', () => {
  it('refuses clearly while another running app uses the data directory', async () => {
    await expect(startEmbeddedPostgres({ dataDir, port, database: 'app' })).rejects.toThrow(
      /in use by another running app/,
    );
  });

  it('stops the server orphaned by a killed app and starts afresh', async () => {
    const orphan = postmasterPid();
    const exited = new Promise((resolve) => app.once('exit', resolve));
    app.kill('SIGKILL');
    await exited;
    expect(alive(orphan)).toBe(true);
    const db = await startEmbeddedPostgres({ dataDir, port, database: 'app' });
    expect(alive(orphan)).toBe(false);
    await db.stop();
  });

  it('removes a stale lock file whose process is gone', async () => {
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `999999\n${dataDir}\n0\n${port}\n`);
    const db = await startEmbeddedPostgres({ dataDir, port, database: 'app' });
    await db.stop();
  });
});
