import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { buildApp } from '../support/app.js';
import { makeOrg, makeUser, PASSWORD } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';

let db: TestDatabase & { drop(): Promise<void> };
let org: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
});
afterAll(() => db.drop());

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

  it('shows anonymous visitors the landing page at /, sends them to sign in elsewhere and back afterwards', async () => {
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

  it('limits failed attempts per account with a Spanish message, even for the right password afterwards', async () => {
    const app = buildApp(db, { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
    const victim = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const token = csrfFrom(page.text);
    for (let i = 0; i < 3; i++) {
      await agent
        .post('/login')
        .type('form')
        .send({ email: victim.email, password: `mala-${i}`, _csrf: token })
        .expect(401);
    }
    const blocked = await agent
      .post('/login')
      .type('form')
      .send({ email: victim.email, password: PASSWORD, _csrf: token });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Demasiados intentos fallidos para esta cuenta');
    // Another account from the same address is still allowed.
    const other = await agent
      .post('/login')
      .type('form')
      .send({ email: org.worker.email, password: PASSWORD, _csrf: token });
    expect(other.status).toBe(302);
  });

  it('limits failed attempts per IP across accounts', async () => {
    const app = buildApp(db, { LOGIN_MAX_FAILURES_PER_IP: '4' });
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const token = csrfFrom(page.text);
    for (let i = 0; i < 4; i++) {
      await agent
        .post('/login')
        .type('form')
        .send({ email: `desconocido${i}@x.test`, password: 'mala-clave', _csrf: token })
        .expect(401);
    }
    const blocked = await agent
      .post('/login')
      .type('form')
      .send({ email: org.head.email, password: PASSWORD, _csrf: token });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Demasiados intentos fallidos desde tu conexión');
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
