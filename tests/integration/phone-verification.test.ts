// Verifying a phone before SMS / WhatsApp: the code goes by SMS through Twilio's API (a
// loopback server answering as Twilio does), only a verified phone may be opted in, and the
// fan-out never sends SMS or WhatsApp to an unverified one. Real PostgreSQL, nothing mocked.
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../../src/accounts/phone-verification.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { postForm, signIn } from '../support/http.js';
import { runJobs, startFakeProvider } from '../support/notifications.js';
import { submitThroughForm } from '../support/requests.js';
import { startSmtp } from '../support/smtp.js';

let db: TestDatabase & { drop(): Promise<void> };
let provider: Awaited<ReturnType<typeof startFakeProvider>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  provider = await startFakeProvider();
  smtp = await startSmtp();
  env = {
    SMTP_URL: smtp.url,
    TWILIO_BASE_URL: provider.url,
    TWILIO_ACCOUNT_SID: 'AC' + 'b'.repeat(32),
    TWILIO_AUTH_TOKEN: 'token-de-prueba',
    TWILIO_SMS_FROM: '+15005550006',
  };
});
afterAll(async () => {
  await provider.close();
  await smtp.close();
  await db.drop();
});

const smsTo = (phone: string) =>
  provider.requests.filter((r) => r.path.endsWith('/Messages.json') && r.body.To === phone);
const codeIn = (body: unknown) => /\b(\d{6})\b/.exec(String(body))![1]!;
const verify = (agent: request.Agent, code: string) =>
  postForm(agent, '/cuenta', '/cuenta/telefono/verificar', { code });
const askCode = (agent: request.Agent) => postForm(agent, '/cuenta', '/cuenta/telefono/codigo', {});
const prefs = (agent: request.Agent, fields: Record<string, string>) =>
  postForm(agent, '/cuenta/notificaciones', '/cuenta/notificaciones', fields);
const user = (id: number) =>
  db.prisma.user.findUniqueOrThrow({ where: { id }, select: { phone: true, phoneVerifiedAt: true } });

describe('phone verification', () => {
  it('sends a 6-digit SMS code, refuses a wrong one, verifies the right one; a new phone is unverified', async () => {
    const org = await makeOrg(db.prisma);
    const app = buildApp(db, env);
    const me = await signIn(app, org.employee.email);
    expect(
      (await postForm(me, '/cuenta', '/cuenta', { name: org.employee.name, phone: '300 111 2233', locale: '' })).status,
    ).toBe(302);
    const unverified = (await me.get('/cuenta')).text;
    expect(unverified).toContain('todavía no está verificado');
    expect(unverified).not.toContain('action="/cuenta/telefono/verificar"');

    // SMS opt-in is refused while the phone is unverified, with the choices kept.
    const refused = await prefs(me, { 'submitted.EMAIL': 'on', 'submitted.SMS': 'on' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('primero verifica tu celular en Mi cuenta');
    expect(refused.text).toMatch(/name="submitted\.SMS" value="on" checked/);
    expect(
      await db.prisma.notificationPreference.count({ where: { companyId: org.companyId, userId: org.employee.id } }),
    ).toBe(0);

    expect((await askCode(me)).status).toBe(303);
    const [sms] = smsTo('+573001112233');
    expect(sms).toBeDefined();
    expect(sms!.body.From).toBe('+15005550006');
    expect(String(sms!.body.Body)).toMatch(/Tu código de verificación de Solicitudes es \d{6}/);
    const code = codeIn(sms!.body.Body);
    // Only a keyed hash of the code is stored.
    const row = await db.prisma.phoneVerification.findFirstOrThrow({
      where: { companyId: org.companyId, userId: org.employee.id },
    });
    expect(row.codeHash).not.toContain(code);
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);

    // Asking again at once is refused (a short wait), nothing more is sent.
    await askCode(me);
    expect(smsTo('+573001112233')).toHaveLength(1);
    const waiting = (await me.get('/cuenta')).text;
    expect(waiting).toContain('antes de pedir otro código');
    // The code sent is waiting: the page asks for it.
    expect(waiting).toContain('action="/cuenta/telefono/verificar"');
    // A code sent to another number is not this phone's: the page does not ask for it.
    await db.pool.query('UPDATE phone_verifications SET phone = $3 WHERE company_id = $1 AND user_id = $2', [
      org.companyId,
      org.employee.id,
      '+573009998877',
    ]);
    expect((await me.get('/cuenta')).text).not.toContain('action="/cuenta/telefono/verificar"');
    await db.pool.query('UPDATE phone_verifications SET phone = $3 WHERE company_id = $1 AND user_id = $2', [
      org.companyId,
      org.employee.id,
      '+573001112233',
    ]);

    const wrong = await verify(me, code === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain(`Te quedan ${MAX_ATTEMPTS - 1} intentos`);
    expect((await user(org.employee.id)).phoneVerifiedAt).toBeNull();

    expect((await verify(me, code)).status).toBe(303);
    expect((await user(org.employee.id)).phoneVerifiedAt).toBeInstanceOf(Date);
    expect(
      await db.prisma.phoneVerification.count({ where: { companyId: org.companyId, userId: org.employee.id } }),
    ).toBe(0);
    expect((await me.get('/cuenta')).text).toContain('Verificado');
    // A spent code does not work twice.
    expect((await verify(me, code)).status).toBe(422);

    // Now SMS can be chosen.
    expect((await prefs(me, { 'submitted.EMAIL': 'on', 'submitted.SMS': 'on' })).status).toBe(303);

    // Changing the number clears the verification.
    await postForm(me, '/cuenta', '/cuenta', { name: org.employee.name, phone: '300 111 4455', locale: '' });
    expect(await user(org.employee.id)).toEqual({ phone: '+573001114455', phoneVerifiedAt: null });
    // Saving the profile with the same number keeps it.
    await db.prisma.user.update({ where: { id: org.employee.id }, data: { phoneVerifiedAt: new Date() } });
    await postForm(me, '/cuenta', '/cuenta', { name: 'Empleado Renombrado', phone: '+573001114455', locale: '' });
    expect((await user(org.employee.id)).phoneVerifiedAt).toBeInstanceOf(Date);

    // An administrator changing the person's phone clears the verification too.
    const admin = await signIn(app, org.admin.email);
    const edited = await postForm(admin, `/admin/personas/${org.employee.id}`, `/admin/personas/${org.employee.id}`, {
      name: 'Empleado Renombrado',
      unitId: String(org.unit.id),
      phone: '300 999 8877',
    });
    expect(edited.status, edited.text.slice(0, 300)).toBe(302);
    expect(await user(org.employee.id)).toEqual({ phone: '+573009998877', phoneVerifiedAt: null });
  });

  it('voids a code after too many wrong attempts or once expired', async () => {
    const org = await makeOrg(db.prisma);
    await db.prisma.user.update({ where: { id: org.head.id }, data: { phone: '+573002223344' } });
    const me = await signIn(buildApp(db, env), org.head.email);
    await askCode(me);
    const code = codeIn(smsTo('+573002223344')[0]!.body.Body);
    const other = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) expect((await verify(me, other)).status).toBe(422);
    const blocked = await verify(me, code);
    expect(blocked.status).toBe(422);
    expect(blocked.text).toContain('Demasiados intentos fallidos');
    expect((await user(org.head.id)).phoneVerifiedAt).toBeNull();

    // A new code after the wait; it expires.
    await db.prisma.phoneVerification.updateMany({
      where: { companyId: org.companyId, userId: org.head.id },
      data: { sentAt: new Date(Date.now() - 120_000) },
    });
    await askCode(me);
    const fresh = codeIn(smsTo('+573002223344')[1]!.body.Body);
    await db.prisma.phoneVerification.updateMany({
      where: { companyId: org.companyId, userId: org.head.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await verify(me, fresh);
    expect(expired.status).toBe(422);
    expect(expired.text).toContain('El código venció');
    expect((await user(org.head.id)).phoneVerifiedAt).toBeNull();
  });

  it('explains when no SMS provider is configured and stores no code', async () => {
    const org = await makeOrg(db.prisma);
    await db.prisma.user.update({ where: { id: org.worker.id }, data: { phone: '+573003334455' } });
    const me = await signIn(buildApp(db, { SMTP_URL: smtp.url }), org.worker.email);
    await askCode(me);
    expect((await me.get('/cuenta')).text).toContain('no tiene configurado un proveedor de SMS');
    expect(await db.prisma.phoneVerification.count({ where: { companyId: org.companyId } })).toBe(0);
  });
});

describe('fan-out and unverified phones', () => {
  it('sends no SMS to an unverified phone even when chosen, and does once it is verified', async () => {
    const org = await makeOrg(db.prisma);
    await db.prisma.companyNotificationSettings.create({ data: { companyId: org.companyId, smsEnabled: true } });
    await db.prisma.user.update({ where: { id: org.head.id }, data: { phone: '+573005556677' } });
    // A choice stored before verification existed (or written around the page).
    await db.prisma.notificationPreference.create({
      data: { companyId: org.companyId, userId: org.head.id, kind: 'submitted', channel: 'SMS', enabled: true },
    });
    const app = buildApp(db, env);
    const employee = await signIn(app, org.employee.email);
    const config = testConfig(env);

    await submitThroughForm(employee, org);
    await runJobs(db, config);
    const channels = async () =>
      (
        await db.prisma.notification.findMany({
          where: { companyId: org.companyId, recipientId: org.head.id },
          orderBy: { id: 'asc' },
          select: { channel: true },
        })
      ).map((n) => n.channel);
    expect(await channels()).toEqual(['EMAIL']);
    expect(smsTo('+573005556677')).toHaveLength(0);

    await db.prisma.user.update({ where: { id: org.head.id }, data: { phoneVerifiedAt: new Date() } });
    await submitThroughForm(employee, org);
    await runJobs(db, config);
    expect(await channels()).toEqual(['EMAIL', 'EMAIL', 'SMS']);
    const [sms] = smsTo('+573005556677');
    expect(sms!.headers['i-twilio-idempotency-token']).toMatch(/^n-\d+-\d+-\d+-sms$/);
  });
});
