// Two-factor sign-in (TOTP, RFC 6238) and the sign-in log: enrolment with a QR code and ten recovery codes, a clock
// off by ±30 s accepted and by ±90 s refused, a code never taken twice, recovery codes single-use, the company's rule,
// the second step throttled like the password, every attempt in the log (90 days).
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeSignInLog } from '../../src/sign-in-log/index.js';
import { codeAt } from '../../src/two-factor/totp.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, PASSWORD } from '../support/factories.js';
import { csrfFrom, postForm, signIn } from '../support/http.js';

let db: TestDatabase & { drop(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const env = { ENCRYPTION_KEY: 'b2'.repeat(32) };

/** An app whose clock the test moves. */
function clockedApp(overrides: Record<string, string> = {}) {
  let now = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 10_000);
  const app = buildApp(db, { ...env, ...overrides }, () => now);
  return {
    app,
    get now() {
      return now;
    },
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

/** Password step: answers where the browser is sent (the second step, or signed in). */
async function passwordStep(app: ReturnType<typeof buildApp>, email: string) {
  const browser = request.agent(app);
  const page = await browser.get('/login');
  const res = await browser
    .post('/login')
    .type('form')
    .send({ email, password: PASSWORD, _csrf: csrfFrom(page.text) });
  expect(res.status).toBe(302);
  return { browser, location: String(res.headers.location) };
}

async function secondStep(browser: request.Agent, code: string, path = '/login/codigo') {
  const page = await browser.get(path);
  expect(page.status).toBe(200);
  return browser
    .post(path)
    .type('form')
    .send({ code, _csrf: csrfFrom(page.text) });
}

/** Turns TOTP on from "Mi cuenta" at the app's time; returns the secret and the recovery codes. */
async function enrol(agent: request.Agent, now: Date) {
  const page = await agent.get('/cuenta/dos-pasos');
  expect(page.text).toContain('<svg');
  const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.text)![1]!;
  const res = await postForm(agent, '/cuenta/dos-pasos', '/cuenta/dos-pasos/activar', { code: codeAt(secret, now) });
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  const codes = [...res.text.matchAll(/<li class="list-group-item">([0-9a-f]{5}-[0-9a-f]{5})<\/li>/g)].map(
    (m) => m[1]!,
  );
  return { secret, codes };
}

const signedIn = async (browser: request.Agent) => (await browser.get('/cuenta')).status === 200;

describe('two-factor sign-in', () => {
  it('accepts a code ±30 s off, refuses ±90 s and a reused code; recovery codes work once', async () => {
    const org = await makeOrg(db.prisma);
    const clock = clockedApp();
    const me = await signIn(clock.app, org.employee.email);
    const { secret, codes } = await enrol(me, clock.now);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: org.employee.id } });
    expect(stored.totpSecretEnc).toMatch(/^v1:/);
    expect(stored.totpSecretEnc).not.toContain(secret);
    expect(await db.prisma.recoveryCode.count({ where: { userId: org.employee.id } })).toBe(10);

    // The password alone no longer signs in.
    clock.advance(300);
    let step = await passwordStep(clock.app, org.employee.email);
    expect(step.location).toBe('/login/codigo');
    expect(await signedIn(step.browser)).toBe(false);
    for (const off of [90, -90]) {
      const res = await secondStep(step.browser, codeAt(secret, at(clock.now, off)));
      expect(res.status).toBe(401);
      expect(res.text).toContain('El código no es válido o ya se usó');
    }
    expect((await secondStep(step.browser, codeAt(secret, at(clock.now, -30)))).status).toBe(302);
    expect(await signedIn(step.browser)).toBe(true);

    clock.advance(300);
    const ahead = codeAt(secret, at(clock.now, 30));
    step = await passwordStep(clock.app, org.employee.email);
    expect((await secondStep(step.browser, ahead)).status).toBe(302);
    // The same code again (another browser, same 30 s): refused.
    step = await passwordStep(clock.app, org.employee.email);
    expect((await secondStep(step.browser, ahead)).status).toBe(401);
    expect(await signedIn(step.browser)).toBe(false);

    // A recovery code works once.
    expect((await secondStep(step.browser, codes[0]!)).status).toBe(302);
    step = await passwordStep(clock.app, org.employee.email);
    expect((await secondStep(step.browser, codes[0]!)).status).toBe(401);
    expect((await secondStep(step.browser, codes[1]!.toUpperCase())).status).toBe(302);
    const left = await me.get('/cuenta/dos-pasos');
    expect(left.text).toContain('Te quedan 8 códigos de recuperación');

    // Every attempt is in the person's log, with its method and result.
    const log = await db.prisma.signInLog.findMany({ where: { userId: org.employee.id }, orderBy: { id: 'asc' } });
    expect(log.map((l) => `${l.method}:${l.result}`)).toEqual([
      'password:ok',
      'password:second_step',
      'totp:wrong_code',
      'totp:wrong_code',
      'totp:ok',
      'password:second_step',
      'totp:ok',
      'password:second_step',
      'totp:wrong_code',
      'recovery:ok',
      'password:second_step',
      'recovery:wrong_code',
      'recovery:ok',
    ]);
    const page = await me.get('/cuenta/accesos');
    expect(page.text).toContain('Código de recuperación');
    expect(page.text).toContain('Código incorrecto');
    expect(
      await db.prisma.auditEntry.count({ where: { action: 'twoFactor.enabled', entityId: org.employee.id } }),
    ).toBe(1);
  });

  it("the company's rule makes a person enrol at sign-in; admins see everyone's attempts, paginated", async () => {
    const org = await makeOrg(db.prisma);
    const clock = clockedApp();
    const admin = await signIn(clock.app, org.admin.email);
    expect((await postForm(admin, '/admin/dos-pasos', '/admin/dos-pasos', { rule: 'EVERYONE' })).status).toBe(302);
    expect(await db.prisma.auditEntry.count({ where: { companyId: org.companyId, action: 'twoFactor.rule' } })).toBe(1);

    const step = await passwordStep(clock.app, org.worker.email);
    expect(step.location).toBe('/login/alta');
    const page = await step.browser.get('/login/alta');
    expect(page.text).toContain('<svg');
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.text)![1]!;
    expect((await secondStep(step.browser, '000000', '/login/alta')).status).toBe(401);
    const done = await secondStep(step.browser, codeAt(secret, clock.now), '/login/alta');
    expect(done.status).toBe(200);
    expect(done.text).toContain('Tus códigos de recuperación');
    expect(await signedIn(step.browser)).toBe(true);
    // Turning it off is refused while the company requires it.
    clock.advance(60);
    const off = await postForm(step.browser, '/cuenta/dos-pasos', '/cuenta/dos-pasos/desactivar', {
      code: codeAt(secret, clock.now),
    });
    expect(off.status).toBe(422);

    // Older attempts fill more than one page (the newest come first).
    const dayAgo = new Date(Date.now() - 24 * 3600_000);
    await db.prisma.signInLog.createMany({
      data: Array.from({ length: 21 }, () => ({
        companyId: org.companyId,
        userId: org.head.id,
        email: org.head.email,
        ip: '10.0.0.1',
        userAgent: 'x',
        method: 'password',
        result: 'wrong_password',
        createdAt: dayAgo,
      })),
    });
    const log = await admin.get('/admin/accesos');
    expect(log.status).toBe(200);
    expect(log.text).toContain(org.worker.name);
    expect(log.text).toContain('?page=2');
    // The day-old attempts come after today's: page 2 holds only them; a page past the end shows the last one.
    const older = await admin.get('/admin/accesos?page=2');
    expect(older.text).toContain(org.head.name);
    expect(older.text).not.toContain(org.worker.name);
    expect((await admin.get('/admin/accesos?page=40')).text).toContain(org.head.name);
    // The rule holds for everyone, not only admins.
    expect((await passwordStep(clock.app, org.employee.email)).location).toBe('/login/alta');
  });

  it('the second step is throttled like the password', async () => {
    const org = await makeOrg(db.prisma);
    const clock = clockedApp({ LOGIN_FAILURES_BEFORE_DELAY: '2' });
    const me = await signIn(clock.app, org.employee.email);
    await enrol(me, clock.now);
    const step = await passwordStep(clock.app, org.employee.email);
    expect((await secondStep(step.browser, '111111')).status).toBe(401);
    expect((await secondStep(step.browser, '222222')).status).toBe(401);
    const limited = await secondStep(step.browser, '333333');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('keeps 90 days of sign-ins', async () => {
    const org = await makeOrg(db.prisma);
    const now = new Date();
    const entry = (days: number) => ({
      companyId: org.companyId,
      userId: org.employee.id,
      email: org.employee.email,
      ip: '10.0.0.2',
      userAgent: 'x',
      method: 'password',
      result: 'ok',
      createdAt: new Date(now.getTime() - days * 24 * 3600_000),
    });
    await db.prisma.signInLog.createMany({ data: [entry(91), entry(89), entry(1)] });
    await purgeSignInLog({ db: db.prisma }, now);
    const left = await db.prisma.signInLog.findMany({ where: { userId: org.employee.id } });
    expect(left).toHaveLength(2);
  });
});
