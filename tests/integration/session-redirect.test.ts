// A flash message written before a redirect must be stored before the browser follows
// the redirect: the session store is made slow here, and the session row is read the
// moment the redirect's headers arrive.
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

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  const app = buildApp(db);
  requestId = await submitThroughForm(await signIn(app, org.employee.email), org);
  // Slow session writes: connect-pg-simple stores sessions with an INSERT … ON CONFLICT.
  const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => Promise<unknown>;
  (db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /INSERT INTO "session"|INSERT INTO session/i.test(args[0])) await new Promise((r) => setTimeout(r, 400));
    return query(...args);
  };
  server = await listen(app);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const sidOf = (res: Response) => /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

describe('redirects', () => {
  it('are sent only after the session (and its flash message) is stored', async () => {
    const loginPage = await fetch(`${server.url}/login`);
    let cookie = `sid=${sidOf(loginPage)}`;
    const login = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: org.employee.email, password: PASSWORD, _csrf: csrfFrom(await loginPage.text()) }),
    });
    expect(login.status).toBe(302);
    cookie = `sid=${sidOf(login)}`;
    const page = await fetch(`${server.url}/solicitudes/${requestId}`, { headers: { cookie } });
    const form = new FormData();
    form.set('_csrf', csrfFrom(await page.text()));
    form.set('body', 'Un comentario con mensaje de confirmación.');
    const posted = await fetch(`${server.url}/solicitudes/${requestId}/comentarios`, { method: 'POST', redirect: 'manual', headers: { cookie }, body: form });
    // The headers are here: the flash must already be in the stored session.
    expect(posted.status).toBe(302);
    const sid = decodeURIComponent(cookie.slice(4)).replace(/^s:/, '').split('.')[0];
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const row = (await client.query(`SELECT sess FROM session WHERE sid = $1`, [sid])).rows[0];
      expect(row?.sess.flash).toEqual([{ type: 'success', message: 'Comentario publicado.' }]);
    } finally {
      await client.end();
    }
  });
});
