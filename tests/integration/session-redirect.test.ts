// Flash messages travel on the redirect's own response (a signed cookie), so a form post
// writes no session; a redirect after a real session change is sent only once the session
// is stored. The session store is made slow here, and the session row is read the moment
// the redirect's headers arrive.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { listen } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, PASSWORD } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';
import { submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
let server: Awaited<ReturnType<typeof listen>>;
let org: Awaited<ReturnType<typeof makeOrg>>;
let requestId: number;
let sessionWrites = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  const app = buildApp(db);
  requestId = await submitThroughForm(await signIn(app, org.employee.email), org);
  // Slow session writes: connect-pg-simple stores sessions with an INSERT … ON CONFLICT.
  const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => Promise<unknown>;
  (db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    // The store's statements come as text or, named (namingPool), as a config object.
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string' && /INSERT INTO "session"|INSERT INTO session/i.test(text)) {
      sessionWrites++;
      await new Promise((r) => setTimeout(r, 400));
    }
    return query(...args);
  };
  server = await listen(app);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const sidOf = (res: Response) => /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
const flashOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('flash='))
    ?.split(';')[0];

async function signedIn(): Promise<string> {
  // A visitor's form token travels in a signed cookie, not in a session.
  const loginPage = await fetch(`${server.url}/login`);
  expect(sidOf(loginPage)).toBeUndefined();
  const cookie = loginPage.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      email: org.employee.email,
      password: PASSWORD,
      _csrf: csrfFrom(await loginPage.text()),
    }),
  });
  expect(login.status).toBe(302);
  return `sid=${sidOf(login)}`;
}

async function storedSession(cookie: string) {
  const sid = decodeURIComponent(cookie.slice(4)).replace(/^s:/, '').split('.')[0];
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(`SELECT sess FROM session WHERE sid = $1`, [sid])).rows[0]?.sess;
  } finally {
    await client.end();
  }
}

describe('flash messages', () => {
  it('travel on the redirect itself, are shown once, and cost no session write', async () => {
    const cookie = await signedIn();
    const page = await fetch(`${server.url}/solicitudes/${requestId}`, { headers: { cookie } });
    const form = new FormData();
    form.set('_csrf', csrfFrom(await page.text()));
    form.set('body', 'Un comentario con mensaje de confirmación.');
    const writes = sessionWrites;
    const posted = await fetch(`${server.url}/solicitudes/${requestId}/comentarios`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie },
      body: form,
    });
    expect(posted.status).toBe(302);
    expect(sessionWrites).toBe(writes);
    const flash = flashOf(posted);
    expect(flash).toBeDefined();

    const next = await fetch(`${server.url}${posted.headers.get('location')}`, {
      headers: { cookie: `${cookie}; ${flash}` },
    });
    expect(await next.text()).toContain('Comentario publicado.');
    // Cleared by the page that showed it.
    expect(flashOf(next)).toBe('flash=');
    const again = await fetch(`${server.url}${posted.headers.get('location')}`, { headers: { cookie } });
    expect(await again.text()).not.toContain('Comentario publicado.');
  });

  it('a flash cookie not signed by the server is ignored', async () => {
    const cookie = await signedIn();
    const forged = `flash=${encodeURIComponent(JSON.stringify([{ type: 'danger', message: 'Llame al 555-0100' }]))}`;
    const page = await fetch(`${server.url}/solicitudes/${requestId}`, { headers: { cookie: `${cookie}; ${forged}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('555-0100');
  });
});

describe('redirects', () => {
  it('after a session change are sent only after the session is stored', async () => {
    const cookie = await signedIn();
    const home = await fetch(`${server.url}/`, { headers: { cookie } });
    // Choosing a language stores it in the session (and saves before redirecting).
    const chosen = await fetch(`${server.url}/idioma`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ lang: 'en', next: '/cuenta', _csrf: csrfFrom(await home.text()) }),
    });
    expect(chosen.status).toBe(302);
    expect((await storedSession(cookie))?.lang).toBe('en');
    // Saving the profile drops the session's language: the redirect waits for that write.
    const account = await fetch(`${server.url}/cuenta`, { headers: { cookie } });
    const saved = await fetch(`${server.url}/cuenta`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        name: org.employee.name,
        phone: '',
        locale: '',
        _csrf: csrfFrom(await account.text()),
      }),
    });
    expect(saved.status).toBe(302);
    expect(await storedSession(cookie)).toBeDefined();
    expect((await storedSession(cookie))?.lang).toBeUndefined();
  });
});
