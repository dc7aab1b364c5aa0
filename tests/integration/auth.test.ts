import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { isLoopback, type Mailer } from '../../src/mail/index.js';
import { buildApp, testConfig } from '../support/app.js';
import { makeOrg, makeUser, PASSWORD } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';
import { linkIn, startSmtp } from '../support/smtp.js';
import { SESSION_CACHE_TTL_MS } from '../../src/auth/index.js';

let db: TestDatabase & { drop(): Promise<void> };
let org: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
});
afterAll(() => db.drop());

async function loginPage(app: Express) {
  const agent = request.agent(app);
  const page = await agent.get('/login').expect(200);
  return { agent, token: csrfFrom(page.text) };
}

/** A sign-in attempt arriving through one proxy (TRUST_PROXY=1) from `forwardedFor`. */
function loginFrom(agent: request.Agent, token: string, forwardedFor: string, email: string, password: string) {
  return agent.post('/login').set('X-Forwarded-For', forwardedFor).type('form').send({ email, password, _csrf: token });
}

/** Signs in without an agent; returns the session cookie (to replay against another app). */
async function sessionCookie(app: Express, email: string): Promise<string> {
  const page = await request(app).get('/login').expect(200);
  const cookies = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const first = cookies(page)[0]!.split(';')[0]!;
  const res = await request(app)
    .post('/login')
    .set('Cookie', first)
    .type('form')
    .send({ email, password: PASSWORD, _csrf: csrfFrom(page.text) })
    .expect(302);
  return cookies(res)
    .find((c) => c.startsWith('sid='))!
    .split(';')[0]!;
}

describe('sign-in', () => {
  it('signs in with the right password, regenerates the session and shows the Spanish home page', async () => {
    const app = buildApp(db);
    const agent = request.agent(app);
    const page = await agent.get('/login').expect(200);
    expect(page.text).toContain('Iniciar sesión');
    const before = /sid=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: org.employee.email.toUpperCase(), password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const after = /sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain(`Hola, ${org.employee.name}`);
    expect(home.text).toContain('<html lang="es">');
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const app = buildApp(db);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const wrong = await agent
      .post('/login')
      .type('form')
      .send({ email: org.employee.email, password: 'equivocada-123', _csrf: csrfFrom(page.text) });
    const unknown = await agent
      .post('/login')
      .type('form')
      .send({ email: 'nadie@ninguna.test', password: 'equivocada-123', _csrf: csrfFrom(page.text) });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain('Correo o contraseña incorrectos.');
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/value="[^"]*@[^"]*"/g, '');
    expect(strip(wrong.text)).toBe(strip(unknown.text));
    // The email typed is kept in the form.
    expect(wrong.text).toContain(`value="${org.employee.email}"`);
  });

  it('refuses a deactivated person', async () => {
    const app = buildApp(db);
    const inactive = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id, active: false });
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: inactive.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(401);
  });

  it('shows anonymous visitors the landing page at /, sends them to sign in elsewhere and back', async () => {
    const app = buildApp(db);
    const landing = await request(app).get('/').expect(200);
    expect(landing.text).toContain('Registrar mi empresa');
    expect(landing.text).toContain('href="/login"');
    const res = await request(app).get('/cuenta').expect(302);
    expect(res.headers.location).toBe('/login?next=%2Fcuenta');
    const agent = request.agent(app);
    const page = await agent.get('/login?next=/').expect(200);
    expect(page.text).toContain('Inicia sesión para continuar.');
    const login = await agent
      .post('/login')
      .type('form')
      .send({ email: org.head.email, password: PASSWORD, next: '//evil.example', _csrf: csrfFrom(page.text) });
    expect(login.headers.location).toBe('/');
  });

  it('logs out: the session ends and the home page needs signing in again', async () => {
    const app = buildApp(db);
    const agent = await signIn(app, org.employee.email);
    const home = await agent.get('/').expect(200);
    const out = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(302);
    expect(out.headers.location).toBe('/login?salida=1');
    const after = await agent.get('/login?salida=1');
    expect(after.text).toContain('Cerraste sesión.');
    await agent.get('/cuenta').expect(302);
  });

  it('keeps a session valid after the app is rebuilt on the same database', async () => {
    const first = buildApp(db);
    const agent = await signIn(first, org.servicesHead.email);
    const res = await agent.get('/').expect(200);
    const cookie = res.request.cookies ?? '';
    expect(cookie).toContain('sid=');
    const rebuilt = buildApp(db);
    const again = await request(rebuilt).get('/').set('Cookie', cookie).expect(200);
    expect(again.text).toContain(`Hola, ${org.servicesHead.name}`);
  });

  it('refuses a POST without a CSRF token with a Spanish 403', async () => {
    const app = buildApp(db);
    const agent = await signIn(app, org.employee.email);
    const res = await agent.post('/logout').type('form').send({});
    expect(res.status).toBe(403);
    expect(res.text).toContain('Formulario vencido');
    await agent.get('/').expect(200);
    const anon = await request(app).post('/login').type('form').send({ email: org.employee.email, password: PASSWORD });
    expect(anon.status).toBe(403);
  });

  it('keeps a visitor’s form token in a signed cookie: no session row; only that cookie’s token passes', async () => {
    const app = buildApp(db);
    const sessions = async () => (await db.pool.query('SELECT count(*)::int AS n FROM session')).rows[0].n as number;
    const before = await sessions();
    const page = await request(app).get('/login').expect(200);
    const set = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
    expect(set.some((c) => c.startsWith('sid='))).toBe(false);
    const cookie = set.find((c) => c.startsWith('csrf='))!.split(';')[0]!;
    expect(set.find((c) => c.startsWith('csrf='))).toMatch(/HttpOnly/i);
    // Every form of the page carries the one token of the cookie.
    const tokens = new Set([...page.text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]));
    expect(tokens.size).toBe(1);
    const token = [...tokens][0]!;
    expect(await sessions()).toBe(before);
    const post = (cookieHeader: string | null, csrf: string) => {
      const req = request(app).post('/login').type('form');
      if (cookieHeader) req.set('Cookie', cookieHeader);
      return req.send({ email: org.employee.email, password: 'equivocada-123', _csrf: csrf });
    };
    // The token without its cookie, another token with the cookie, a cookie whose signature is not the server's.
    expect((await post(null, token)).status).toBe(403);
    expect((await post(cookie, 'f'.repeat(64))).status).toBe(403);
    const [value] = decodeURIComponent(cookie.slice('csrf='.length)).split('.');
    expect((await post(`csrf=${encodeURIComponent(`${value}.forged`)}`, token)).status).toBe(403);
    expect((await post(`csrf=${value}`, token)).status).toBe(403);
    // The pair is taken (a wrong password: the form again, still without a session row).
    const wrong = await post(cookie, token);
    expect(wrong.status).toBe(401);
    expect(await sessions()).toBe(before);
    // Once signed in, forms are checked against the session: the visitor's token no longer passes.
    const agent = request.agent(app);
    const login = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ email: org.employee.email, password: PASSWORD, _csrf: csrfFrom(login.text) })
      .expect(302);
    expect(
      (
        await agent
          .post('/logout')
          .type('form')
          .send({ _csrf: csrfFrom(login.text) })
      ).status,
    ).toBe(403);
    const home = await agent.get('/').expect(200);
    expect(csrfFrom(home.text)).not.toBe(csrfFrom(login.text));
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) })
      .expect(302);
  });

  it('slows one account from one IP with growing delays, and leaves that account alone from elsewhere', async () => {
    let now = new Date('2026-03-02T15:00:00Z');
    const app = buildApp(
      db,
      { TRUST_PROXY: '1', LOGIN_FAILURES_BEFORE_DELAY: '3', LOGIN_MAX_DELAY_SECONDS: '4' },
      () => now,
    );
    const victim = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const { agent, token } = await loginPage(app);
    const attacker = '203.0.113.10';
    for (let i = 0; i < 3; i++)
      expect((await loginFrom(agent, token, attacker, victim.email, `mala-${i}`)).status).toBe(401);
    const slowed = await loginFrom(agent, token, attacker, victim.email, PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.headers['retry-after']).toBe('1');
    expect(slowed.text).toContain('Demasiados intentos fallidos para esta cuenta desde tu conexión. Espera 1 segundos');
    // The owner, from another address, is not locked out by someone else's guesses.
    const owner = await loginPage(app);
    expect((await loginFrom(owner.agent, owner.token, '198.51.100.7', victim.email, PASSWORD)).status).toBe(302);
    // Each further failure doubles the wait (1 s, 2 s, 4 s…) up to the cap.
    const waits: string[] = [];
    for (let i = 0; i < 4; i++) {
      now = new Date(now.getTime() + 60_000);
      expect((await loginFrom(agent, token, attacker, victim.email, `otra-${i}`)).status).toBe(401);
      waits.push((await loginFrom(agent, token, attacker, victim.email, PASSWORD)).headers['retry-after'] ?? '');
    }
    expect(waits).toEqual(['2', '4', '4', '4']);
    // Throttled attempts are not counted: after the wait the right password works and clears the pair.
    now = new Date(now.getTime() + 5_000);
    expect((await loginFrom(agent, token, attacker, victim.email, PASSWORD)).status).toBe(302);
  });

  it('limits failed attempts per IP across accounts; a client-written X-Forwarded-For does not escape it', async () => {
    const app = buildApp(db, { TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '4' });
    const { agent, token } = await loginPage(app);
    for (let i = 0; i < 4; i++) {
      // The proxy appends the real client (last entry); what the client wrote before it changes nothing.
      const forged = `10.0.0.${i}, 192.0.2.44`;
      expect((await loginFrom(agent, token, forged, `desconocido${i}@x.test`, 'mala-clave')).status).toBe(401);
    }
    const blocked = await loginFrom(agent, token, '127.0.0.1, 192.0.2.44', org.head.email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toContain('Demasiados intentos fallidos desde tu conexión');
  });

  it('locks an account failed from many IPs and mails its owner a link that unlocks it in that browser', async () => {
    const smtp = await startSmtp();
    try {
      const app = buildApp(db, { TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_ACCOUNT: '6', SMTP_URL: smtp.url });
      const victim = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
      const { agent, token } = await loginPage(app);
      for (let i = 0; i < 6; i++)
        expect((await loginFrom(agent, token, `203.0.113.${100 + i}`, victim.email, 'mala-clave')).status).toBe(401);
      const locked = await loginFrom(agent, token, '198.51.100.20', victim.email, PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.text).toContain('Esta cuenta quedó bloqueada por seguridad');
      const link = linkIn(await smtp.lastTo(victim.email), '/desbloquear/');
      const owner = request.agent(app);
      const followed = await owner.get(link);
      expect(followed.status).toBe(302);
      expect(followed.headers.location).toBe('/login');
      const page = await owner.get('/login');
      expect(page.text).toContain('Cuenta desbloqueada');
      const res = await loginFrom(owner, csrfFrom(page.text), '198.51.100.21', victim.email, PASSWORD);
      expect(res.status).toBe(302);
      // A used link does not work twice.
      expect((await request(app).get(link)).status).toBe(410);
    } finally {
      await smtp.close();
    }
  });

  it('keeps the counts in PostgreSQL: another app process sees the same limits', async () => {
    const overrides = { TRUST_PROXY: '1', LOGIN_FAILURES_BEFORE_DELAY: '2' };
    const a = buildApp(db, overrides);
    const b = buildApp(db, overrides);
    const victim = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const pa = await loginPage(a);
    const pb = await loginPage(b);
    expect((await loginFrom(pa.agent, pa.token, '203.0.113.50', victim.email, 'mala-1')).status).toBe(401);
    expect((await loginFrom(pb.agent, pb.token, '203.0.113.50', victim.email, 'mala-2')).status).toBe(401);
    expect((await loginFrom(pa.agent, pa.token, '203.0.113.50', victim.email, PASSWORD)).status).toBe(429);
  });

  it('counts parallel guesses: a burst from one IP does not slip past the delays', async () => {
    const app = buildApp(db, { TRUST_PROXY: '1', LOGIN_FAILURES_BEFORE_DELAY: '3' });
    const victim = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const { agent, token } = await loginPage(app);
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => loginFrom(agent, token, '203.0.113.77', victim.email, `rafaga-${i}`)),
    );
    const checked = burst.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(4);
    expect(burst.filter((r) => r.status === 429).length).toBe(12 - checked);
  });
});

describe('sessions across app processes', () => {
  it('a logout in one process ends the session in another within a second', async () => {
    const a = buildApp(db);
    const b = buildApp(db);
    const cookie = await sessionCookie(a, org.employee.email);
    await request(b).get('/cuenta').set('Cookie', cookie).expect(200); // now cached by b
    const page = await request(a).get('/cuenta').set('Cookie', cookie).expect(200);
    await request(a)
      .post('/logout')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(302);
    await new Promise((r) => setTimeout(r, SESSION_CACHE_TTL_MS + 100));
    const after = await request(b).get('/cuenta').set('Cookie', cookie);
    expect(after.status).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  it('a password change in one process ends the other sessions in another within a second', async () => {
    const a = buildApp(db);
    const b = buildApp(db);
    const person = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const elsewhere = await signIn(b, person.email);
    await elsewhere.get('/cuenta').expect(200);
    const here = await signIn(a, person.email);
    const page = await here.get('/cuenta');
    await here
      .post('/cuenta/clave')
      .type('form')
      .send({
        current: PASSWORD,
        password: 'otra-clave-segura-2031',
        confirm: 'otra-clave-segura-2031',
        _csrf: csrfFrom(page.text),
      })
      .expect(302);
    await new Promise((r) => setTimeout(r, SESSION_CACHE_TTL_MS + 100));
    expect((await elsewhere.get('/cuenta')).status).toBe(302);
    await here.get('/cuenta').expect(200);
  });
});

describe('safe answers', () => {
  it('answers "forgot password" alike for known and unknown addresses: mail goes after the response', async () => {
    const sent: string[] = [];
    const slowMailer: Mailer = {
      kind: 'smtp',
      send: async (message) => {
        await new Promise((r) => setTimeout(r, 1500));
        sent.push(message.to);
      },
    };
    const config = testConfig();
    const app = createApp({ config, db, logger: createLogger(config), mailer: slowMailer });
    const person = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const timed = async (email: string) => {
      const agent = request.agent(app);
      const page = await agent.get('/clave/olvido').expect(200);
      const started = performance.now();
      const res = await agent
        .post('/clave/olvido')
        .type('form')
        .send({ email, _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(302);
      return performance.now() - started;
    };
    expect(await timed(person.email)).toBeLessThan(1000);
    expect(await timed('nadie-aqui@ninguna.test')).toBeLessThan(1000);
    await expect.poll(() => sent, { timeout: 5000 }).toEqual([person.email]);
    expect(await db.prisma.accountToken.count({ where: { userId: person.id, purpose: 'PASSWORD_RESET' } })).toBe(1);
  });

  it('serves the development mailbox to this machine only, whatever X-Forwarded-For says', async () => {
    const app = buildApp(db, { TRUST_PROXY: '1' });
    expect((await request(app).get('/dev/correo')).status).toBe(200);
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    expect(isLoopback('::ffff:127.0.0.1') && isLoopback('::1') && !isLoopback('192.0.2.2')).toBe(true);
    if (!outside) return; // no other interface to come from on this machine
    const server = app.listen(0, '0.0.0.0');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://${outside}:${port}/dev/correo`, { headers: { 'X-Forwarded-For': '127.0.0.1' } });
      expect(res.status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/dev/correo`)).status).toBe(200);
    } finally {
      server.close();
    }
  });
});

describe('pages and errors', () => {
  it('answers an unknown route with a Spanish 404 page', async () => {
    const app = buildApp(db);
    const agent = await signIn(app, org.employee.email);
    const res = await agent.get('/no-existe').expect(404);
    expect(res.text).toContain('Página no encontrada');
  });

  it('sends a strict Content-Security-Policy', async () => {
    const res = await request(buildApp(db)).get('/login').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('switches the interface to English and back', async () => {
    const app = buildApp(db);
    const agent = await signIn(app, org.employee.email);
    const home = await agent.get('/');
    await agent
      .post('/idioma')
      .type('form')
      .send({ lang: 'en', next: '/', _csrf: csrfFrom(home.text) })
      .expect(302);
    const en = await agent.get('/').expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain(`Hello, ${org.employee.name}`);
  });

  it('serves Bootstrap from node_modules (no CDN)', async () => {
    const app = buildApp(db);
    await request(app).get('/static/bootstrap/css/bootstrap.min.css').expect(200).expect('Content-Type', /css/);
    await request(app).get('/static/bootstrap-icons/bootstrap-icons.min.css').expect(200);
    await request(app).get('/static/js/app.js').expect(200);
  });
});

describe('health', () => {
  it('answers ok after a database round trip', async () => {
    const res = await request(buildApp(db)).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('answers 503 when the database is unreachable', async () => {
    const broken = await createTestDatabase();
    const app = buildApp(broken);
    await broken.drop();
    const res = await request(app).get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', database: 'down' });
  });
});
