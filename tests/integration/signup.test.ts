import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';
import { linkIn, startSmtp } from '../support/smtp.js';
import { emailTakenMessageKey } from '../../src/accounts/index.js';

let db: TestDatabase & { drop(): Promise<void> };
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const STRONG = 'tres-tigres-tristes-2031';
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
  await db.drop();
});

function form(overrides: Record<string, string> = {}) {
  seq++;
  return {
    companyName: `Constructora ${seq}`,
    country: 'CO',
    taxId: ['900544472-2', '900123456-8', '860034313-7', '890903938-8', '800197268-4'][seq % 5]!,
    adminName: 'Laura Restrepo',
    email: `laura${seq}-${Date.now()}@constructora.test`,
    phone: '300 123 4567',
    password: STRONG,
    terms: 'on',
    ...overrides,
  };
}

async function submit(agent: request.Agent, fields: Record<string, string>) {
  const page = await agent.get('/registro').expect(200);
  return agent
    .post('/registro')
    .type('form')
    .send({ ...fields, _csrf: csrfFrom(page.text) });
}

describe('company signup', () => {
  it('signup → verification mail → link → sign-in, with Servicios Generales and a starter catalogue', async () => {
    const app = buildApp(db, { SMTP_URL: smtp.url });
    const agent = request.agent(app);
    const fields = form({ country: 'PE', taxId: '20512333797', phone: '987 654 321' });
    const res = await submit(agent, fields);
    expect(res.status, res.text).toBe(302);
    expect(res.headers.location).toBe('/registro/verifica');
    expect((await agent.get('/registro/verifica')).text).toContain(fields.email);

    // Not verified yet: sign-in is refused with an explanation.
    let login = await agent.get('/login');
    const refused = await agent
      .post('/login')
      .type('form')
      .send({ email: fields.email, password: STRONG, _csrf: csrfFrom(login.text) });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('Aún no confirmas tu correo');

    const mail = await smtp.lastTo(fields.email);
    expect(mail.text).toContain('Confirma tu correo');
    const link = linkIn(mail, '/verificar/');
    const verified = await agent.get(link).expect(302);
    expect(verified.headers.location).toBe('/login');
    login = await agent.get('/login');
    expect(login.text).toContain('Tu correo quedó confirmado');
    // The form comes filled with the address just confirmed (issue 18).
    expect(login.text).toContain(`name="email" value="${fields.email}"`);
    const ok = await agent
      .post('/login')
      .type('form')
      .send({ email: fields.email, password: STRONG, _csrf: csrfFrom(login.text) });
    expect(ok.status).toBe(302);

    const user = await db.prisma.user.findFirstOrThrow({
      where: { email: fields.email },
      include: { company: true, headedUnits: true },
    });
    expect(user.phone).toBe('+51987654321');
    expect(user.isCompanyAdmin).toBe(true);
    expect(user.company.taxId).toBe('20512333797');
    expect(user.company.timezone).toBe('America/Lima');
    expect(user.headedUnits.map((u) => [u.name, u.kind])).toEqual([['Servicios Generales', 'SERVICE_AREA']]);
    expect(await db.prisma.category.count({ where: { companyId: user.companyId } })).toBeGreaterThanOrEqual(5);
    const admin = await agent.get('/admin/unidades').expect(200);
    expect(admin.text).toContain('Servicios Generales');
    // Public pages also render for someone signed in.
    await agent.get('/clave/olvido').expect(200);
    await agent.get('/registro/verifica').expect(200);

    // The link works only once.
    const again = await request(app).get(link).expect(410);
    expect(again.text).toContain('ya se usó');
  });

  it('refuses an expired verification link and lets the person ask for a new one', async () => {
    let now = new Date();
    const app = buildApp(db, { SMTP_URL: smtp.url }, () => now);
    const agent = request.agent(app);
    const fields = form({ country: 'AR', taxId: '20-05536168-2', phone: '+54 9 11 2345-6789' });
    expect((await submit(agent, fields)).status).toBe(302);
    const first = linkIn(await smtp.lastTo(fields.email), '/verificar/');
    now = new Date(now.getTime() + 25 * 3600_000);
    const expired = await agent.get(first).expect(410);
    expect(expired.text).toContain('venció');
    const page = await agent.get('/registro/verifica');
    await agent
      .post('/registro/reenviar')
      .type('form')
      .send({ email: fields.email, _csrf: csrfFrom(page.text) })
      .expect(302);
    const second = linkIn(await smtp.lastTo(fields.email, 1), '/verificar/');
    expect(second).not.toBe(first);
    await agent.get(second).expect(302);
  });

  it('answers resend the same way for unknown addresses and limits it', async () => {
    const app = buildApp(db, { SMTP_URL: smtp.url, ACCOUNT_EMAILS_PER_HOUR: '2' });
    const agent = request.agent(app);
    const page = await agent.get('/registro/verifica');
    for (let i = 0; i < 2; i++) {
      const r = await agent
        .post('/registro/reenviar')
        .type('form')
        .send({ email: 'nadie@ninguna.test', _csrf: csrfFrom(page.text) });
      expect(r.status).toBe(302);
    }
    const limited = await agent
      .post('/registro/reenviar')
      .type('form')
      .send({ email: 'nadie@ninguna.test', _csrf: csrfFrom(page.text) });
    expect(limited.status).toBe(429);
    expect(smtp.count('nadie@ninguna.test')).toBe(0);
  });

  it.each([
    ['CO', '900544472-3', 'El NIT no es válido'],
    ['AR', '20-05536168-3', 'El CUIT no es válido'],
    ['EC', '1792060347-001', 'El RUC no es válido'],
    ['MX', 'GODE561231GR9', 'El RFC no es válido'],
    ['PE', '20512333798', 'El RUC no es válido'],
    ['CL', '12531909-3', 'El RUT no es válido'],
  ])('refuses an invalid %s tax id with a Spanish message and keeps the input', async (country, taxId, message) => {
    const agent = request.agent(buildApp(db, { SMTP_URL: smtp.url }));
    const fields = form({ country, taxId, phone: '+57 300 123 4567' });
    const res = await submit(agent, fields);
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`value="${fields.email}"`);
    expect(res.text).toContain(`value="${fields.companyName}"`);
    expect(res.text).not.toContain(STRONG);
  });

  it('reports every invalid field and a duplicate tax id in the same country', async () => {
    const app = buildApp(db, { SMTP_URL: smtp.url });
    const agent = request.agent(app);
    const bad = await submit(agent, {
      companyName: '',
      country: 'CO',
      taxId: '',
      adminName: 'L',
      email: 'no-es-correo',
      phone: '123',
      password: 'password123',
      terms: '',
    });
    expect(bad.status).toBe(422);
    for (const m of [
      'Escribe al menos 2 caracteres',
      'Este campo es obligatorio',
      'Escribe un correo válido',
      'El número de teléfono no es válido',
      'muy común',
      'Debes aceptar los términos',
    ])
      expect(bad.text).toContain(m);

    const { company } = await makeOrg(db.prisma);
    await db.prisma.company.update({ where: { id: company.id }, data: { country: 'CL', taxId: '760864285' } });
    await db.prisma.companyTaxId.create({ data: { country: 'CL', taxId: '760864285', companyId: company.id } });
    const dupTax = await submit(agent, form({ country: 'CL', taxId: '76.086.428-5', phone: '+56 9 6123 4567' }));
    expect(dupTax.status).toBe(422);
    expect(dupTax.text).toContain('Ya hay una empresa registrada con este RUT');
  });
});

describe('signup does not reveal accounts', () => {
  it('answers an address that has an account like a new one, and mails its owner a notice', async () => {
    const app = buildApp(db, { SMTP_URL: smtp.url });
    const { admin } = await makeOrg(db.prisma);
    const companies = await db.prisma.company.count();
    const res = await submit(request.agent(app), form({ email: admin.email.toUpperCase() }));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/registro/verifica');
    const notice = await smtp.lastTo(admin.email);
    expect(notice.text).toContain('Alguien intentó registrar una empresa nueva');
    expect(notice.text).toContain('/clave/olvido');
    expect(await db.prisma.company.count()).toBe(companies);
  });

  it('tells an administrator only about duplicates in their own company', async () => {
    const mine = await makeOrg(db.prisma);
    const other = await makeOrg(db.prisma);
    expect(await emailTakenMessageKey(db.prisma, mine.companyId, mine.employee.email.toUpperCase())).toBe(
      'admin.people.emailTaken',
    );
    expect(await emailTakenMessageKey(db.prisma, mine.companyId, other.employee.email)).toBe(
      'account.inviteUnavailable',
    );
    expect(await emailTakenMessageKey(db.prisma, mine.companyId, 'libre@nadie.test')).toBeNull();
  });
});

describe('signup limits', () => {
  it('limits signups per IP (shared by every process) with a Spanish 429 and Retry-After', async () => {
    const overrides = { SMTP_URL: smtp.url, TRUST_PROXY: '1', SIGNUPS_PER_HOUR_PER_IP: '2' };
    const [a, b] = [buildApp(db, overrides), buildApp(db, overrides)];
    const from = (app: typeof a) => {
      const agent = request.agent(app);
      return async (fields: Record<string, string>) => {
        const page = await agent.get('/registro').expect(200);
        return agent
          .post('/registro')
          .set('X-Forwarded-For', '203.0.113.9')
          .type('form')
          .send({ ...fields, _csrf: csrfFrom(page.text) });
      };
    };
    expect((await from(a)(form())).status).toBe(302);
    expect((await from(b)(form())).status).toBe(302);
    const refused = await from(a)(form());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.text).toContain('Demasiados registros desde tu conexión o para este correo');
  });

  it('limits signups per address, from any IP', async () => {
    const app = buildApp(db, { SMTP_URL: smtp.url, TRUST_PROXY: '1', SIGNUPS_PER_HOUR_PER_EMAIL: '1' });
    const email = `repetido-${Date.now()}@constructora.test`;
    const post = async (ip: string) => {
      const agent = request.agent(app);
      const page = await agent.get('/registro').expect(200);
      return agent
        .post('/registro')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ ...form({ email }), _csrf: csrfFrom(page.text) });
    };
    expect((await post('198.51.100.31')).status).toBe(302);
    expect((await post('198.51.100.32')).status).toBe(429);
  });
});

describe('sign-in refusals', () => {
  it('explains a suspended company and refuses a deactivated person', async () => {
    const org = await makeOrg(db.prisma);
    const app = buildApp(db);
    await db.prisma.user.update({ where: { id: org.worker.id }, data: { active: false } });
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const deactivated = await agent
      .post('/login')
      .type('form')
      .send({ email: org.worker.email, password: 'clave-de-prueba-123', _csrf: csrfFrom(page.text) });
    expect(deactivated.status).toBe(401);
    expect(deactivated.text).toContain('Tu cuenta está desactivada');
    const signedIn = await signIn(app, org.employee.email);
    await db.prisma.company.update({ where: { id: org.companyId }, data: { active: false } });
    // The open session ends on the next request.
    await signedIn.get('/admin').expect(302);
    const suspended = await agent
      .post('/login')
      .type('form')
      .send({ email: org.employee.email, password: 'clave-de-prueba-123', _csrf: csrfFrom(page.text) });
    expect(suspended.status).toBe(401);
    expect(suspended.text).toContain('El acceso de tu empresa está suspendido');
  });
});
