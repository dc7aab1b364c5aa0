// Kill cycles: the app (a child process, `node --import tsx src/server.ts`) and its own embedded PostgreSQL are
// killed with SIGKILL and restarted, over and over, while two clients submit requests through HTTP. Afterwards every
// acknowledged write is there, every request's notifications were made, and each email reached the loopback SMTP
// server exactly once — or, when a process died between calling the server and recording the answer, at most once,
// marked "unknown outcome" (docs/notifications.md).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/client.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { projectRoot } from '../../src/paths.js';
import { makeOrg } from '../support/factories.js';
import { freePort } from '../support/free-port.js';
import { csrfFrom } from '../support/http.js';
import { startSmtp } from '../support/smtp.js';

const CYCLES = 10;
const HOST_NAME = 'solicitudes.test';

let dir: string;
let pgPort: number;
let pgServer: EmbeddedDatabase;
/** A killed server's handle would wait forever in stop(). */
let pgRunning = false;
let appPort: number;
let app: ChildProcess | null = null;
let appLog = '';
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let db: Database;
let org: Awaited<ReturnType<typeof makeOrg>>;
const load = { stop: false };

const base = () => `http://127.0.0.1:${appPort}`;

async function startPostgres() {
  // A server killed a moment ago may still have backends letting go of its shared memory: try again shortly.
  for (let attempt = 1; ; attempt++) {
    try {
      pgServer = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort, database: 'fault' });
      pgRunning = true;
      return;
    } catch (err) {
      if (attempt >= 40) throw err;
      await sleep(250);
    }
  }
}

function killPostgres() {
  const pid = Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  pgRunning = false;
}

async function health(): Promise<{ status: number; body: unknown }> {
  try {
    const res = await request(base()).get('/health').timeout(3000);
    return { status: res.status, body: res.body };
  } catch {
    return { status: 0, body: null };
  }
}

async function until(what: string, check: () => Promise<boolean>, ms = 45_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- app log ---\n${appLog.slice(-4000)}`);
    await sleep(100);
  }
}

/**
 * Waits for the app to come back; if PostgreSQL itself is still stuck in recovery after `ms` (seen once on a loaded
 * machine after kill -9 of the postmaster), restarts it — the app's healing is under test, not PostgreSQL's — and
 * waits again.
 */
async function untilHealthy(what: string, ms = 45_000) {
  try {
    await until(what, async () => (await health()).status === 200, ms);
  } catch {
    if (pgRunning) {
      try {
        killPostgres();
      } catch {
        // Already gone.
      }
    }
    await startPostgres();
    await until(what, async () => (await health()).status === 200, 120_000);
  }
}

async function startApp() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: pgServer.url,
      PORT: String(appPort),
      HOST: '127.0.0.1',
      APP_URL: `http://${HOST_NAME}`,
      SMTP_URL: smtp.url,
      SESSION_SECRET: 'fault-test-secret-fault-test-secret-42',
      DATA_DIR: path.join(dir, 'data'),
      LOG_LEVEL: 'warn',
      WORKER_POLL_INTERVAL_MS: '100',
      WORKER_HEARTBEAT_TIMEOUT_SECONDS: '3',
      NOTIFY_RETRY_BASE_SECONDS: '1',
      NOTIFY_RETRY_MAX_SECONDS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (appLog += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (appLog += c.toString()));
  app = child;
  await untilHealthy('the app to answer', 60_000);
}

async function killApp() {
  const child = app!;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Submits requests until stopped; a 302 to the new request is an acknowledged write. */
function writer(agent: request.Agent, fields: Record<string, string>, acked: number[]) {
  return (async () => {
    while (!load.stop) {
      try {
        const page = await agent.get('/solicitudes/nueva').timeout(5000);
        const res = await agent.post('/solicitudes').timeout(8000).field('_csrf', csrfFrom(page.text)).field(fields);
        const id = /\/solicitudes\/(\d+)$/.exec(String(res.headers.location ?? ''))?.[1];
        if (res.status === 302 && id) acked.push(Number(id));
      } catch {
        // The app or its database is down: not acknowledged.
      }
      await sleep(50);
    }
  })();
}

async function signIn(email: string) {
  const agent = request.agent(base());
  const page = await agent.get('/login').expect(200);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ email, password: 'clave-de-prueba-123', _csrf: csrfFrom(page.text) });
  expect(res.status).toBe(302);
  return agent;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'solicitudes-fault-'));
  // As root the cluster runs as the `postgres` user, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  [pgPort, appPort] = [await freePort(), await freePort()];
  smtp = await startSmtp();
  await startPostgres();
  await startApp();
  db = connectDatabase(pgServer.url, { max: 2 });
  org = await makeOrg(db.prisma);
}, 180_000);

afterAll(async () => {
  load.stop = true;
  if (app && app.exitCode === null) await killApp();
  await db?.close().catch(() => {});
  // A server stuck in recovery may never answer stop(): kill it after a while.
  if (pgRunning)
    await Promise.race([
      pgServer.stop().catch(() => {}),
      sleep(20_000).then(() => {
        try {
          killPostgres();
        } catch {
          // Already gone.
        }
      }),
    ]);
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('kill -9 cycles of the app and of PostgreSQL under load', () => {
  it('lose no acknowledged write and deliver every email once (or mark it unknown)', async () => {
    const started = Date.now();
    const fields = {
      serviceAreaId: String(org.area.id),
      categoryId: String(org.category.id),
      title: 'Fuga de agua',
      description: 'El lavamanos gotea desde ayer.',
      priority: 'HIGH',
    };
    const acked: number[] = [];
    const employee = await signIn(org.employee.email);
    const writers = [writer(employee, fields, acked), writer(await signIn(org.head.email), fields, acked)];

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Some load first.
      const before = acked.length;
      await until('writes', async () => acked.length >= before + 1, 30_000);
      // PostgreSQL dies under the app: the app stays up, says so, and comes back by itself.
      killPostgres();
      await until('the app to report the database down', async () => {
        const h = await health();
        return h.status === 503 && (h.body as { database?: string }).database === 'down';
      });
      if (cycle === 0) {
        const page = await employee.get('/solicitudes/nueva').timeout(5000);
        expect(page.status).toBe(503);
        expect(page.text).toContain('Servicio no disponible');
      }
      await startPostgres();
      await untilHealthy('the app to reconnect');
      expect(app!.exitCode, appLog.slice(-4000)).toBeNull();
      // Then the app dies, in the middle of whatever it was doing.
      await until('more writes', async () => acked.length >= before + 2, 30_000);
      await killApp();
      await startApp();
    }
    load.stop = true;
    await Promise.all(writers);

    // Every acknowledged write is there.
    expect(acked.length).toBeGreaterThanOrEqual(CYCLES * 2);
    const found = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM requests WHERE id = ANY($1)', [
      acked,
    ]);
    expect(found.rows[0]!.n).toBe(acked.length);

    // The queue drains: jobs postponed by the outages are made due now rather than waiting out their backoff.
    await until(
      'the notifications to be delivered',
      async () => {
        await db.pool.query('UPDATE graphile_worker._private_jobs SET run_at = now() WHERE locked_at IS NULL');
        const { rows } = await db.pool.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM job_outbox) + (SELECT count(*) FROM notifications WHERE status = 'PENDING')
                + (SELECT count(*) FROM graphile_worker.jobs) AS n`,
        );
        return Number(rows[0]!.n) === 0;
      },
      60_000,
    );

    // Every committed request had its notifications made.
    const silent = await db.pool.query(
      'SELECT r.id FROM requests r WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.request_id = r.id)',
    );
    expect(silent.rows).toEqual([]);

    // Each email arrived once; an interrupted delivery at most once, marked as such.
    const notifications = await db.pool.query<{ key: string; status: string; last_error: string | null }>(
      `SELECT idempotency_key AS key, status::text, last_error FROM notifications WHERE channel = 'EMAIL'`,
    );
    const received = new Map<string, number>();
    for (const m of smtp.received) {
      const id = /^Message-ID: <([^@>]+)@/im.exec(m.raw)?.[1] ?? '';
      received.set(id, (received.get(id) ?? 0) + 1);
    }
    let unknown = 0;
    for (const n of notifications.rows) {
      const copies = received.get(n.key) ?? 0;
      if (n.status === 'SENT') expect(copies, n.key).toBe(1);
      else {
        expect(n.status).toBe('FAILED');
        expect(n.last_error).toMatch(/^Unknown outcome/);
        expect(copies).toBeLessThanOrEqual(1);
        unknown++;
      }
    }
    expect(notifications.rows.length).toBeGreaterThan(0);
    console.log(
      `fault test: ${CYCLES} cycles, ${acked.length} acknowledged writes, ${notifications.rows.length} emails ` +
        `(${unknown} unknown outcome), ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 600_000);
});
