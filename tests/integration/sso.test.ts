// Single sign-on through a real OpenID provider on loopback (oidc-provider): a new and a known person sign in, the
// company requires SSO but for a break-glass admin, a wrong state or nonce is refused, another company's ids are 404.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, makeUser } from '../support/factories.js';
import { csrfFrom, postForm, signIn } from '../support/http.js';
import { startOidcProvider } from '../support/oidc.js';

const APP_URL = 'http://app.test';
const CLIENT = { clientId: 'solicitudes-test', clientSecret: 'secreto-del-cliente-de-prueba' };
// One key for every app of the file (each test app has a data directory of its own).
const env = { APP_URL, SSO_ALLOW_HTTP_LOOPBACK: 'true', ENCRYPTION_KEY: 'a1'.repeat(32) };

let db: TestDatabase & { drop(): Promise<void> };
let op: Awaited<ReturnType<typeof startOidcProvider>>;

beforeAll(async () => {
  db = await createTestDatabase();
  op = await startOidcProvider({ ...CLIENT, redirectUri: `${APP_URL}/login/sso/callback` });
});
afterAll(async () => {
  await op.close();
  await db.drop();
});

const uid = () => randomBytes(4).toString('hex');

/** A company with SSO configured through the admin page; its people's addresses are @<domain>. */
async function ssoCompany(settings: Record<string, string> = {}) {
  const org = await makeOrg(db.prisma);
  const domain = `empresa-${uid()}.test`;
  const admin = await makeUser(db.prisma, org.companyId, { isCompanyAdmin: true, email: `admin@${domain}` });
  const app = buildApp(db, env);
  const agent = await signIn(app, admin.email);
  const res = await postForm(agent, '/admin/sso', '/admin/sso', {
    providerName: 'Acme ID',
    issuerUrl: op.issuer,
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    domains: domain,
    createUnknown: 'on',
    newPeopleUnitId: String(org.unit.id),
    ...settings,
  });
  expect(res.status, res.text.slice(0, 2000)).toBe(302);
  return { org, domain, admin, app, agent };
}

/** Starts at the sign-in page with an address, goes through the provider as `account`, comes back. */
async function ssoSignIn(app: ReturnType<typeof buildApp>, email: string, account = { sub: email, email, name: 'X' }) {
  const browser = request.agent(app);
  const page = await browser.get('/login');
  const start = await browser
    .post('/login/sso')
    .type('form')
    .send({ email, _csrf: csrfFrom(page.text) });
  expect(start.status, start.text.slice(0, 500)).toBe(303);
  const back = await op.signInAs(account, String(start.headers.location));
  expect(back.origin + back.pathname).toBe(`${APP_URL}/login/sso/callback`);
  return { browser, back };
}

describe('single sign-on', () => {
  it('stores the client secret encrypted and offers "Ingresar con" for the domain on the email step', async () => {
    const { org, domain, app } = await ssoCompany();
    const row = await db.prisma.companySso.findUniqueOrThrow({ where: { companyId: org.companyId } });
    expect(row.clientSecretEnc).toMatch(/^v1:/);
    expect(row.clientSecretEnc).not.toContain(CLIENT.clientSecret);
    const browser = request.agent(app);
    const page = await browser.get('/login');
    const step = await browser
      .post('/login/correo')
      .type('form')
      .send({ email: `alguien@${domain}`, _csrf: csrfFrom(page.text) });
    expect(step.status).toBe(200);
    expect(step.text).toContain('Ingresar con Acme ID');
    const other = await browser
      .post('/login/correo')
      .type('form')
      .send({ email: 'alguien@otro-dominio.test', _csrf: csrfFrom(page.text) });
    expect(other.text).not.toContain('Ingresar con');
  });

  it('creates an unknown person on the first sign-in (into the chosen unit) and signs in a known one', async () => {
    const { org, domain, app } = await ssoCompany();
    const email = `nueva-${uid()}@${domain}`;
    const { browser, back } = await ssoSignIn(app, email, { sub: `s-${uid()}`, email, name: 'Nueva Persona' });
    const done = await browser.get(back.pathname + back.search);
    expect(done.status, done.text.slice(0, 500)).toBe(302);
    const home = await browser.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Nueva Persona');
    const created = await db.prisma.user.findFirstOrThrow({ where: { email } });
    expect(created).toMatchObject({ companyId: org.companyId, unitId: org.unit.id, passwordHash: null });
    expect(created.emailVerifiedAt).not.toBeNull();
    const audit = await db.prisma.auditEntry.findFirst({
      where: { companyId: org.companyId, action: 'sso.personCreated', entityId: created.id },
    });
    expect(audit).not.toBeNull();

    // A known person: the same account, no new row; the sign-in is in their log.
    const known = await makeUser(db.prisma, org.companyId, { email: `conocida-${uid()}@${domain}`, name: 'Ya Estaba' });
    const again = await ssoSignIn(app, known.email, { sub: `k-${uid()}`, email: known.email, name: 'Otro Nombre' });
    expect((await again.browser.get(again.back.pathname + again.back.search)).status).toBe(302);
    expect((await again.browser.get('/')).text).toContain('Ya Estaba');
    expect(await db.prisma.user.count({ where: { email: known.email } })).toBe(1);
    const log = await db.prisma.signInLog.findMany({ where: { companyId: org.companyId, userId: known.id } });
    expect(log.map((l) => [l.method, l.result])).toEqual([['sso', 'ok']]);
  });

  it('invite-only refuses an unknown person; an address of another domain is refused', async () => {
    const { domain, app } = await ssoCompany({ createUnknown: '' });
    const email = `desconocida-${uid()}@${domain}`;
    const { browser, back } = await ssoSignIn(app, email);
    const res = await browser.get(back.pathname + back.search);
    expect(res.status).toBe(401);
    expect(res.text).toContain('pide a un administrador de tu empresa que te invite');
    expect(await db.prisma.user.count({ where: { email } })).toBe(0);

    // The provider vouches for an address outside the company's domains.
    const wrong = await ssoSignIn(app, `x@${domain}`, { sub: `w-${uid()}`, email: `x-${uid()}@ajeno.test`, name: 'X' });
    const refused = await wrong.browser.get(wrong.back.pathname + wrong.back.search);
    expect(refused.status).toBe(401);
    expect((await wrong.browser.get('/cuenta')).status).toBe(302);
  });

  it('required SSO refuses passwords except for a break-glass admin, with a clear message', async () => {
    const { org, domain, admin, agent } = await ssoCompany();
    const employee = await makeUser(db.prisma, org.companyId, { email: `empleado-${uid()}@${domain}` });
    const otherAdmin = await makeUser(db.prisma, org.companyId, {
      email: `otro-admin-${uid()}@${domain}`,
      isCompanyAdmin: true,
    });
    const mark = await postForm(agent, '/admin/sso', `/admin/sso/emergencia/${admin.id}`, { on: '1' });
    expect(mark.status).toBe(302);
    const required = await postForm(agent, '/admin/sso', '/admin/sso', {
      providerName: 'Acme ID',
      issuerUrl: op.issuer,
      clientId: CLIENT.clientId,
      clientSecret: '',
      domains: domain,
      newPeopleUnitId: String(org.unit.id),
      required: 'on',
    });
    expect(required.status).toBe(302);
    // The secret left blank was kept.
    expect((await db.prisma.companySso.findUniqueOrThrow({ where: { companyId: org.companyId } })).required).toBe(true);

    const app = buildApp(db, env);
    for (const who of [employee, otherAdmin]) {
      const browser = request.agent(app);
      const page = await browser.get('/login');
      const res = await browser
        .post('/login')
        .type('form')
        .send({ email: who.email, password: 'clave-de-prueba-123', _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(401);
      expect(res.text).toContain('Tu empresa exige ingresar con Acme ID');
      expect(res.text).toContain('Ingresar con Acme ID');
    }
    // The break-glass admin still signs in with the password.
    await signIn(app, admin.email);
    // SSO still works for the employee.
    const sso = await ssoSignIn(app, employee.email);
    expect((await sso.browser.get(sso.back.pathname + sso.back.search)).status).toBe(302);
    const log = await db.prisma.signInLog.findMany({ where: { userId: employee.id }, orderBy: { id: 'asc' } });
    expect(log.map((l) => `${l.method}:${l.result}`)).toEqual(['password:sso_required', 'sso:ok']);
  });

  it('refuses a wrong state and a wrong nonce', async () => {
    const { org, domain, app } = await ssoCompany();
    const person = await makeUser(db.prisma, org.companyId, { email: `estado-${uid()}@${domain}` });

    const tampered = await ssoSignIn(app, person.email);
    tampered.back.searchParams.set('state', 'estado-falso');
    const badState = await tampered.browser.get(tampered.back.pathname + tampered.back.search);
    expect(badState.status).toBe(401);
    expect((await tampered.browser.get('/cuenta')).status).toBe(302);

    // The nonce this browser keeps no longer matches the one in the ID token.
    const flow = await ssoSignIn(app, person.email);
    const state = flow.back.searchParams.get('state')!;
    const changed = await db.prisma.$executeRaw`
      UPDATE "session" SET sess = jsonb_set(sess::jsonb, '{ssoPending,nonce}', '"otro-nonce"')::json
       WHERE sess->'ssoPending'->>'state' = ${state}`;
    expect(changed).toBe(1);
    await new Promise((r) => setTimeout(r, 1100)); // past the session cache's second
    const badNonce = await flow.browser.get(flow.back.pathname + flow.back.search);
    expect(badNonce.status).toBe(401);
    expect((await flow.browser.get('/cuenta')).status).toBe(302);
    expect(await db.prisma.signInLog.count({ where: { userId: person.id, result: 'ok' } })).toBe(0);

    // A callback nobody started in this browser.
    const stray = await request.agent(app).get('/login/sso/callback?code=x&state=y');
    expect(stray.status).toBe(401);
  });

  it("another company's domain cannot be claimed and its admins are 404", async () => {
    const a = await ssoCompany();
    const b = await ssoCompany();
    const claim = await postForm(b.agent, '/admin/sso', '/admin/sso', {
      providerName: 'Bravo ID',
      issuerUrl: op.issuer,
      clientId: CLIENT.clientId,
      clientSecret: '',
      domains: `${b.domain}, ${a.domain}`,
    });
    expect(claim.status).toBe(422);
    expect(claim.text).toContain(`El dominio ${a.domain} ya lo usa otra empresa`);
    expect((await postForm(b.agent, '/admin/sso', `/admin/sso/emergencia/${a.admin.id}`, { on: '1' })).status).toBe(
      404,
    );
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: a.admin.id } })).breakGlass).toBe(false);
    // A non-admin person of the company's own: 403 on the settings.
    const employee = await signIn(a.app, a.org.employee.email);
    expect((await employee.get('/admin/sso')).status).toBe(403);
  });
});
