// Data protection: a person's own data, anonymizing a person who left, the whole company as a zip built in the
// background (opened and compared with the database), and the company's deletion counted table by table; every new
// route tried with another company's ids.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVACY_CRONTAB, privacyTasks } from '../../src/privacy/index.js';
import { pseudonymOf } from '../../src/privacy/anonymize.js';
import { runDueNotificationJobs } from '../../src/notifications/worker.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { png } from '../support/files.js';
import { postForm, signIn } from '../support/http.js';
import { workerDeps } from '../support/notifications.js';
import { submitThroughForm } from '../support/requests.js';
import { startSmtp } from '../support/smtp.js';

let db: TestDatabase & { drop(): Promise<void> };
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtp();
  env = {
    SMTP_URL: smtp.url,
    APP_URL: 'http://solicitudes.test',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'solicitudes-privacy-')),
    PLATFORM_OPERATOR_EMAILS: 'operador@plataforma.test',
  };
});
afterAll(async () => {
  await smtp.close();
  await db.drop();
});

/** Runs the queued background jobs (the notification runner with the privacy tasks handed over, as server.ts does). */
async function runJobs(clock: () => Date = () => new Date()) {
  const config = testConfig(env);
  const deps = workerDeps(db, config);
  const privacy = { tasks: privacyTasks({ ...deps, clock }), crontab: PRIVACY_CRONTAB };
  await runDueNotificationJobs({ ...deps, extensions: [...(deps.extensions ?? []), privacy] });
}

describe('own data and anonymizing', () => {
  it('a person downloads their own data as JSON', async () => {
    const org = await makeOrg(db.prisma);
    const app = buildApp(db, env);
    const me = await signIn(app, org.employee.email);
    await submitThroughForm(me, org, { title: 'Cambiar la chapa' });
    const res = await me.get('/cuenta/mis-datos').expect(200);
    expect(res.headers['content-disposition']).toContain('mis-datos.json');
    const data = JSON.parse(res.text);
    expect(data.person.email).toBe(org.employee.email);
    expect(data.requests.map((r: { title: string }) => r.title)).toEqual(['Cambiar la chapa']);
    expect(data.signIns.length).toBeGreaterThan(0);
    expect(JSON.stringify(data)).not.toContain('passwordHash');
  });

  it('anonymizing a person who left: stable pseudonym, contact erased, sessions ended, requests kept', async () => {
    const org = await makeOrg(db.prisma);
    const app = buildApp(db, env);
    const leaver = await signIn(app, org.employee.email);
    const requestId = await submitThroughForm(leaver, org);
    await db.prisma.user.update({ where: { id: org.employee.id }, data: { phone: '+573001112233' } });
    const admin = await signIn(app, org.admin.email);
    const before = await admin.get('/indicadores');

    const res = await postForm(
      admin,
      `/admin/personas/${org.employee.id}`,
      `/admin/personas/${org.employee.id}/anonimizar`,
      {},
    );
    expect(res.status).toBe(302);
    const pseudonym = pseudonymOf(testConfig(env), { companyId: org.companyId, userId: org.employee.id });
    const person = await db.prisma.user.findUniqueOrThrow({ where: { id: org.employee.id } });
    expect(person).toMatchObject({ name: pseudonym.name, phone: null, passwordHash: null, active: false });
    expect(person.email).not.toBe(org.employee.email);
    expect(person.email).toMatch(/@anonimo\.invalid$/);
    // The same person always gets the same pseudonym.
    expect(pseudonymOf(testConfig(env), { companyId: org.companyId, userId: org.employee.id })).toEqual(pseudonym);
    // Their session is over; their request and its history stay; the indicators did not change.
    expect((await leaver.get('/cuenta')).status).toBe(302);
    const req = await db.prisma.request.findUniqueOrThrow({ where: { id: requestId } });
    expect(req.requesterId).toBe(org.employee.id);
    expect(await db.prisma.requestEvent.count({ where: { requestId } })).toBeGreaterThan(0);
    const after = await admin.get('/indicadores');
    // Every figure of the indicators page is the same (the request still counts, under the pseudonym).
    const numbers = (html: string) => [...html.matchAll(/>\s*(\d+(?:[.,]\d+)?)\s*</g)].map((m) => m[1]);
    expect(numbers(before.text).length).toBeGreaterThan(3);
    expect(numbers(after.text)).toEqual(numbers(before.text));
    expect(await db.prisma.signInLog.count({ where: { email: org.employee.email } })).toBe(0);
    expect(
      await db.prisma.auditEntry.count({
        where: { companyId: org.companyId, action: 'privacy.anonymized', entityId: org.employee.id },
      }),
    ).toBe(1);
    // Twice is refused; the admin can't anonymize themselves.
    const twice = await postForm(admin, '/admin/personas', `/admin/personas/${org.employee.id}/anonimizar`, {});
    expect(twice.status).toBe(409);
    expect((await postForm(admin, '/admin/personas', `/admin/personas/${org.admin.id}/anonimizar`, {})).status).toBe(
      409,
    );
  });
});

describe('company export', () => {
  it('builds the zip in the background, mails an expiring link, and the zip matches the database', async () => {
    const org = await makeOrg(db.prisma);
    let now = new Date();
    const app = buildApp(db, env, () => now);
    const employee = await signIn(app, org.employee.email);
    const picture = png(5, 4);
    const first = await submitThroughForm(employee, org, { title: 'Primera' }, [{ name: 'foto.png', data: picture }]);
    await submitThroughForm(employee, org, { title: 'Segunda, con "comillas"' });
    const admin = await signIn(app, org.admin.email);

    expect((await postForm(admin, '/admin/privacidad', '/admin/privacidad/exportar', {})).status).toBe(302);
    const queued = await db.prisma.companyExport.findFirstOrThrow({ where: { companyId: org.companyId } });
    expect(queued.status).toBe('QUEUED');
    const pageBefore = await admin.get('/admin/privacidad');
    expect(pageBefore.text).toContain('role="progressbar"');
    await runJobs(() => now);
    const status = await admin.get(`/admin/privacidad/exportaciones/${queued.id}`).expect(200);
    expect(status.body).toMatchObject({ status: 'READY', progress: 100 });
    expect((await admin.get('/admin/privacidad')).text).toContain('Lista (enlace enviado por correo)');

    const mail = await smtp.lastTo(org.admin.email);
    const link = /http:\/\/solicitudes\.test(\/admin\/privacidad\/descarga\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const zip = await admin
      .get(link)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(zip.status).toBe(200);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'export-'));
    const file = path.join(dir, 'export.zip');
    writeFileSync(file, zip.body as Buffer);
    const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
    for (const name of [
      'personas.csv',
      'personas.json',
      'unidades.csv',
      'categorias.json',
      'solicitudes.csv',
      'solicitudes.json',
      'pasos.csv',
      'comentarios.json',
    ])
      expect(listing).toContain(name);
    execFileSync('unzip', ['-q', file, '-d', dir]);
    const read = (name: string) => JSON.parse(execFileSync('cat', [path.join(dir, name)], { encoding: 'utf8' }));
    const requests = read('solicitudes.json') as { number: number; title: string; steps: unknown[] }[];
    const inDb = await db.prisma.request.findMany({ where: { companyId: org.companyId }, orderBy: { id: 'asc' } });
    expect(requests.map((r) => [r.number, r.title])).toEqual(inDb.map((r) => [r.number, r.title]));
    expect(requests.every((r) => r.steps.length > 0)).toBe(true);
    const people = read('personas.json') as { email: string }[];
    expect(people.map((p) => p.email).sort()).toEqual(
      (await db.prisma.user.findMany({ where: { companyId: org.companyId } })).map((u) => u.email).sort(),
    );
    const number = inDb.find((r) => r.id === first)!.number;
    const attachment = await db.prisma.attachment.findFirstOrThrow({ where: { requestId: first } });
    const stored = execFileSync('cat', [path.join(dir, 'adjuntos', String(number), `${attachment.id}-foto.png`)]);
    expect(Buffer.compare(stored, picture)).toBe(0);
    const csvText = execFileSync('cat', [path.join(dir, 'solicitudes.csv')], { encoding: 'utf8' });
    expect(csvText).toContain('"Segunda, con ""comillas"""');

    // Another company's admin: the link and the status are 404; the link expires.
    const other = await makeOrg(db.prisma);
    const stranger = await signIn(app, other.admin.email);
    expect((await stranger.get(link)).status).toBe(404);
    expect((await stranger.get(`/admin/privacidad/exportaciones/${queued.id}`)).status).toBe(404);
    expect((await employee.get(link)).status).toBe(403);
    now = new Date(now.getTime() + 73 * 3600_000);
    expect((await admin.get(link)).status).toBe(404);
    expect(
      await db.prisma.auditEntry.count({
        where: { companyId: org.companyId, action: { in: ['privacy.exportRequested', 'privacy.exportReady'] } },
      }),
    ).toBe(2);
  });
});

describe('company deletion', () => {
  it('is restorable for 30 days, then every row and file of the company is gone (table by table)', async () => {
    const org = await makeOrg(db.prisma);
    const other = await makeOrg(db.prisma);
    let now = new Date();
    const app = buildApp(db, env, () => now);
    const employee = await signIn(app, org.employee.email);
    await submitThroughForm(employee, org, {}, [{ name: 'plano.png', data: png() }]);
    const otherEmployee = await signIn(app, other.employee.email);
    await submitThroughForm(otherEmployee, other);
    const admin = await signIn(app, org.admin.email);
    await postForm(admin, '/admin/privacidad', '/admin/privacidad/exportar', {});
    await runJobs(() => now);
    const uploads = path.join(testConfig(env).UPLOAD_DIR, String(org.companyId));
    const exports = path.join(env.DATA_DIR!, 'exports', String(org.companyId));
    expect(existsSync(uploads)).toBe(true);
    expect(existsSync(exports)).toBe(true);

    const wrong = await postForm(admin, '/admin/privacidad', '/admin/privacidad/eliminar', { confirmName: 'otra' });
    expect(wrong.status).toBe(422);
    // Longer than any company's name: the same mismatch, not a failure (a 500 the hostile-input test once met).
    const long = { confirmName: 'x'.repeat(300) };
    expect((await postForm(admin, '/admin/privacidad', '/admin/privacidad/eliminar', long)).status).toBe(422);
    const company = await db.prisma.company.findUniqueOrThrow({ where: { id: org.companyId } });
    expect(
      (await postForm(admin, '/admin/privacidad', '/admin/privacidad/eliminar', { confirmName: company.name })).status,
    ).toBe(302);
    expect((await admin.get('/admin/privacidad')).text).toContain('Se eliminará definitivamente');
    expect((await postForm(admin, '/admin/privacidad', '/admin/privacidad/restaurar', {})).status).toBe(302);
    expect((await db.prisma.company.findUniqueOrThrow({ where: { id: org.companyId } })).deletionDueAt).toBeNull();

    // The platform operator schedules it again (an unknown company is a 404).
    const operatorCompany = await makeOrg(db.prisma);
    await db.prisma.user.update({
      where: { id: operatorCompany.admin.id },
      data: { email: 'operador@plataforma.test' },
    });
    // Its address is claimed platform-wide under the new name (login_emails, as a person's creation does).
    await db.prisma.loginEmail.delete({ where: { email: operatorCompany.admin.email } });
    await db.prisma.loginEmail.create({
      data: {
        email: 'operador@plataforma.test',
        companyId: operatorCompany.companyId,
        userId: operatorCompany.admin.id,
      },
    });
    const operator = await signIn(app, 'operador@plataforma.test');
    expect((await postForm(operator, '/plataforma', '/plataforma/empresas/999999/eliminar', {})).status).toBe(404);
    expect((await postForm(operator, '/plataforma', `/plataforma/empresas/${org.companyId}/eliminar`, {})).status).toBe(
      302,
    );
    expect((await postForm(admin, '/admin/privacidad', '/plataforma/empresas/1/eliminar', {})).status).toBe(403);
    const audit = await db.prisma.auditEntry.findMany({
      where: { companyId: org.companyId, action: { startsWith: 'privacy.deletion' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actorEmail])).toEqual([
      ['privacy.deletionScheduled', org.admin.email],
      ['privacy.deletionCancelled', org.admin.email],
      ['privacy.deletionScheduled', 'operador@plataforma.test'],
    ]);

    // Within the grace period the nightly job keeps it; after it, nothing of the company is left.
    now = new Date(now.getTime() + 29 * 24 * 3600_000);
    await db.prisma.$executeRaw`SELECT graphile_worker.add_job('privacy_purge', '{}'::json)`;
    await runJobs(() => now);
    expect(await db.prisma.company.count({ where: { id: org.companyId } })).toBe(1);
    now = new Date(now.getTime() + 2 * 24 * 3600_000);
    await db.prisma.$executeRaw`SELECT graphile_worker.add_job('privacy_purge', '{}'::json)`;
    await runJobs(() => now);

    const tables = await db.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables t USING (table_schema, table_name)
       WHERE c.table_schema = current_schema() AND c.column_name = 'company_id' AND t.table_type = 'BASE TABLE'`;
    expect(tables.length).toBeGreaterThan(20);
    const left: Record<string, number> = {};
    const otherRows: Record<string, number> = {};
    const count = async (table: string, companyId: number) =>
      (
        await db.prisma.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM "${table}" WHERE company_id = $1`,
          companyId,
        )
      )[0]!.n;
    for (const { table_name: t } of tables) {
      left[t] = await count(t, org.companyId);
      otherRows[t] = await count(t, other.companyId);
    }
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
    expect(await db.prisma.company.count({ where: { id: org.companyId } })).toBe(0);
    const sessions = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "session" WHERE sess->'passport'->>'user' = ${String(org.employee.id)}`;
    expect(sessions[0]!.n).toBe(0);
    expect(existsSync(uploads)).toBe(false);
    expect(existsSync(exports)).toBe(false);
    // The other company is untouched.
    expect(otherRows.users).toBeGreaterThan(0);
    expect(otherRows.requests).toBe(1);
    expect((await otherEmployee.get('/cuenta')).status).toBe(200);
  });
});

describe("another company's ids", () => {
  it('every new route answers 404', async () => {
    const a = await makeOrg(db.prisma);
    const b = await makeOrg(db.prisma);
    const app = buildApp(db, env);
    const adminB = await signIn(app, b.admin.email);
    const res = await postForm(adminB, '/admin/personas', `/admin/personas/${a.employee.id}/anonimizar`, {});
    expect(res.status).toBe(404);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: a.employee.id } })).anonymizedAt).toBeNull();
    expect((await adminB.get('/admin/privacidad/exportaciones/999999')).status).toBe(404);
    expect((await adminB.get(`/admin/privacidad/descarga/${'x'.repeat(43)}`)).status).toBe(404);
    expect((await adminB.get('/admin/privacidad/exportaciones/abc')).status).toBe(404);
    // An employee reaches none of the admin pages.
    const employee = await signIn(app, b.employee.email);
    for (const p of ['/admin/privacidad', '/admin/accesos', '/admin/dos-pasos', '/admin/sso'])
      expect((await employee.get(p)).status, p).toBe(403);
    expect((await request(app).get('/cuenta/mis-datos')).status).toBe(302);
  });
});
