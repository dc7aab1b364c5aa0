// Two real app processes (`npm start` twice, as several hosts or WEB_CONCURRENCY run them) on one database: nothing
// kept in one process is a source of truth. A session ended in one is refused by the other; failed sign-ins from
// one IP count together whichever process answers them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_CACHE_TTL_MS } from '../../src/auth/session-cache.js';
import { projectRoot } from '../../src/paths.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, PASSWORD } from '../support/factories.js';
import { csrfFrom } from '../support/http.js';

interface AppProcess {
  url: string;
  child: ChildProcess;
  output: string[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `src/server.ts` in a process of its own on `databaseUrl`; resolves once /health answers. */
async function startAppProcess(databaseUrl: string, env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'solicitudes-process-')),
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      WORKER_IN_PROCESS: 'false',
      WEB_CONCURRENCY: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 250) {
    if (child.exitCode !== null) throw new Error(`app process exited (${child.exitCode}): ${output.join('')}`);
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, child, output };
    if (waited > 90_000) throw new Error(`app process did not answer: ${output.join('')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopAppProcess(app: AppProcess | undefined): Promise<void> {
  if (!app || app.child.exitCode !== null) return;
  const exited = new Promise((r) => app.child.once('exit', r));
  app.child.kill('SIGTERM');
  const force = setTimeout(() => app.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(force);
}

const cookiesOf = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0]!)
    .join('; ');

describe('two app processes on one database', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let org: Awaited<ReturnType<typeof makeOrg>>;
  let a: AppProcess | undefined;
  let b: AppProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    org = await makeOrg(db.prisma);
    const env = {
      SESSION_SECRET: 'two-processes-secret-two-processes-42',
      TRUST_PROXY: '1',
      LOGIN_MAX_FAILURES_PER_IP: '3',
    };
    // One after the other: each applies the (already applied) migrations at boot.
    a = await startAppProcess(db.url, env);
    b = await startAppProcess(db.url, env);
  }, 200_000);

  afterAll(async () => {
    await Promise.all([stopAppProcess(a), stopAppProcess(b)]);
    await db?.drop();
  });

  it('a session ended in one process is refused by the other', async () => {
    const page = await request(a!.url).get('/login').expect(200);
    const signedIn = await request(a!.url)
      .post('/login')
      .set('Cookie', cookiesOf(page))
      .type('form')
      .send({ email: org.employee.email, password: PASSWORD, _csrf: csrfFrom(page.text) })
      .expect(302);
    const cookie = cookiesOf(signedIn);
    // The other process accepts the session (and now keeps it in its cache).
    await request(b!.url).get('/cuenta').set('Cookie', cookie).expect(200);
    const account = await request(a!.url).get('/cuenta').set('Cookie', cookie).expect(200);
    await request(a!.url)
      .post('/logout')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfFrom(account.text) })
      .expect(302);
    await new Promise((r) => setTimeout(r, SESSION_CACHE_TTL_MS + 100));
    const after = await request(b!.url).get('/cuenta').set('Cookie', cookie);
    expect(after.status).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  it('counts failed sign-ins from one IP across both processes', async () => {
    const ip = '198.51.100.77';
    const attempt = async (app: AppProcess, email: string, password: string) => {
      const page = await request(app.url).get('/login').expect(200);
      return request(app.url)
        .post('/login')
        .set('Cookie', cookiesOf(page))
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ email, password, _csrf: csrfFrom(page.text) });
    };
    // Three failures (the limit), alternating processes, each on another address.
    for (const [i, app] of [a!, b!, a!].entries())
      expect((await attempt(app, `nadie${i}@procesos.test`, 'mala-clave')).status).toBe(401);
    // The right password from that IP is now refused by either process.
    for (const app of [b!, a!]) {
      const blocked = await attempt(app, org.head.email, PASSWORD);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
