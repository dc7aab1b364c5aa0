import request from 'supertest';
// Notifications end to end: real PostgreSQL, a real SMTP server on loopback and a loopback
// HTTP server answering as Twilio / Meta do. Nothing is mocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { connectDatabase } from '../../src/db/client.js';
import { dispatchOutbox } from '../../src/notifications/outbox.js';
import { loadActor } from '../../src/auth/actor.js';
import { rows } from '../../src/db/sql.js';
import { TRANSITIONS } from '../../src/requests/lifecycle.js';
import { transitionStatement } from '../../src/requests/write-queries.js';
import { submitRequest } from '../../src/requests/service.js';
import { buildApp, testConfig } from '../support/app.js';
import { onCitus, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { postForm, signIn } from '../support/http.js';
import { notificationBench, runJobs, startFakeProvider, startWorker, waitFor } from '../support/notifications.js';
import { act, submitThroughForm } from '../support/requests.js';
import { startSmtp, type ReceivedMail } from '../support/smtp.js';

let db: TestDatabase & { drop(): Promise<void> };
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let org: Awaited<ReturnType<typeof makeOrg>>;
let env: Record<string, string>;
let config: Config;

let bench: Awaited<ReturnType<typeof notificationBench>>;

// The requester reads English; everyone else the company's Spanish.
beforeAll(async () => {
  bench = await notificationBench();
  ({ db, smtp, org, env, config } = bench);
});
afterAll(() => bench.close());

/**
 * Jobs waiting: in the outbox, or in the queue to run (a job just run stays locked until the worker's batched
 * completion deletes it).
 */
const jobCount = async () =>
  Number(
    (
      await db.pool.query(
        'SELECT (SELECT count(*) FROM job_outbox) + ' +
          '(SELECT count(*) FROM graphile_worker.jobs WHERE locked_at IS NULL) AS n',
      )
    ).rows[0].n,
  );

describe('who hears about what', () => {
  type Who = 'employee' | 'head' | 'servicesHead' | 'worker' | 'worker2' | 'admin';
  const email = (w: Who) => org[w].email;

  it('each lifecycle event mails exactly the expected people, in their language, with a link', async () => {
    const app = buildApp(db, env);
    const agents = Object.fromEntries(
      await Promise.all(
        (['employee', 'head', 'servicesHead', 'worker', 'worker2'] as Who[]).map(
          async (w) => [w, await signIn(app, email(w))] as const,
        ),
      ),
    ) as Record<Who, Awaited<ReturnType<typeof signIn>>>;

    let mark = smtp.received.length;
    const step = async (expected: [Who, string][], requestId: () => number) => {
      await runJobs(db, config);
      const got = smtp.received.slice(mark);
      mark = smtp.received.length;
      const to = (m: ReceivedMail) => m.to[0]!;
      expect(got.map(to).sort()).toEqual(expected.map(([w]) => email(w)).sort());
      for (const [w, phrase] of expected) {
        const mail = got.find((m) => to(m) === email(w))!;
        expect(mail.text, `${w} should read "${phrase}"`).toContain(phrase);
        expect(mail.text).toContain(`http://solicitudes.test/solicitudes/${requestId()}`);
        expect(mail.raw).toMatch(/^Message-ID: <n-\d+-\d+-\d+-email@solicitudes\.test>/im);
      }
    };

    // The whole path, with a reassignment.
    let id = 0;
    const current = () => id;
    id = await submitThroughForm(agents.employee, org);
    await step(
      [
        ['employee', 'We registered your request'],
        ['head', 'espera tu autorización'],
      ],
      current,
    );
    await act(agents.head, id, 'authorize', { comment: 'Adelante' });
    await step(
      [
        ['employee', 'authorized your request'],
        ['servicesHead', 'llegó a tu área'],
      ],
      current,
    );
    await act(agents.servicesHead, id, 'approve', {
      workerId: String(org.worker.id),
      instructions: 'Cambiar el empaque',
    });
    await step(
      [
        ['employee', 'and assigned it to Trabajador Uno'],
        ['worker', 'Instrucciones: Cambiar el empaque'],
      ],
      current,
    );
    await act(agents.servicesHead, id, 'reassign', { workerId: String(org.worker2.id), comment: '' });
    await step(
      [
        ['worker', 'a Trabajador Dos'],
        ['worker2', 'te reasignó el ticket'],
      ],
      current,
    );
    await act(agents.worker2, id, 'start');
    await step([['employee', 'started working on your request']], current);
    await act(agents.worker2, id, 'finish', { resolution: 'Empaque nuevo, sin fugas' });
    await step(
      [
        ['employee', 'Resolution note: Empaque nuevo, sin fugas'],
        ['head', 'Nota de resolución: Empaque nuevo, sin fugas'],
      ],
      current,
    );
    // The requester is asked "¿Quedó resuelto?" with the survey's signed link, which works without signing in.
    const finishedMails = smtp.received.slice(-2);
    const toEmployee = finishedMails.find((m) => m.to[0] === email('employee'))!;
    expect(toEmployee.text).toContain('Is it solved? If not, you can reopen it from the request for 7 days.');
    const survey = /http:\/\/solicitudes\.test(\/encuesta\/\d+\.\d+\.0\.[A-Za-z0-9_-]{43})\s/.exec(
      toEmployee.text,
    )?.[1];
    expect(survey, toEmployee.text).toBeDefined();
    expect(toEmployee.raw).toContain('Rate the service in one click');
    expect(finishedMails.find((m) => m.to[0] === email('head'))!.text).not.toContain('/encuesta/');
    expect((await request(app).get(survey!)).status).toBe(200);
    // Reopened: back to the worker, and the area's head hears of it; confirmed: the worker hears of it.
    await act(agents.employee, id, 'reopen', { reason: 'Sigue goteando' });
    await step(
      [
        ['worker2', 'Qué sigue sin resolverse: Sigue goteando'],
        ['servicesHead', 'volvió a Trabajador Dos'],
      ],
      current,
    );
    await act(agents.worker2, id, 'finish', { resolution: 'Ahora sí quedó' });
    await step(
      [
        ['employee', 'Resolution note: Ahora sí quedó'],
        ['head', 'Nota de resolución: Ahora sí quedó'],
      ],
      current,
    );
    await act(agents.employee, id, 'confirm', { rating: '5' });
    await step([['worker2', 'confirmó que tu trabajo']], current);

    // Rejected by the unit head, with the reason.
    id = await submitThroughForm(agents.employee, org);
    await step(
      [
        ['employee', 'We registered'],
        ['head', 'espera tu autorización'],
      ],
      current,
    );
    await act(agents.head, id, 'reject', { reason: 'No hay presupuesto' });
    await step([['employee', 'Reason: No hay presupuesto']], current);

    // Rejected by the services head.
    id = await submitThroughForm(agents.employee, org);
    await step(
      [
        ['employee', 'We registered'],
        ['head', 'espera tu autorización'],
      ],
      current,
    );
    await act(agents.head, id, 'authorize', { comment: '' });
    await step(
      [
        ['employee', 'authorized'],
        ['servicesHead', 'llegó a tu área'],
      ],
      current,
    );
    await act(agents.servicesHead, id, 'reject', { reason: 'Sin personal disponible' });
    await step([['employee', 'Reason: Sin personal disponible']], current);

    // Cancelled while pending → the unit head; while authorized → the services head.
    id = await submitThroughForm(agents.employee, org);
    await step(
      [
        ['employee', 'We registered'],
        ['head', 'espera tu autorización'],
      ],
      current,
    );
    await act(agents.employee, id, 'cancel', { reason: 'Ya no hace falta' });
    await step([['head', 'que esperaba tu autorización']], current);
    id = await submitThroughForm(agents.employee, org);
    await step(
      [
        ['employee', 'We registered'],
        ['head', 'espera tu autorización'],
      ],
      current,
    );
    await act(agents.head, id, 'authorize', { comment: '' });
    await step(
      [
        ['employee', 'authorized'],
        ['servicesHead', 'llegó a tu área'],
      ],
      current,
    );
    await act(agents.employee, id, 'cancel', { reason: 'Lo resolvimos' });
    await step([['servicesHead', 'que esperaba tu decisión']], current);

    // A unit head's own request goes up the chain (issue 16); at the top the administrators are asked to authorize.
    id = await submitThroughForm(agents.head, org);
    await step(
      [
        ['head', 'Registramos tu solicitud'],
        ['admin', 'espera tu autorización'],
      ],
      current,
    );

    // Every delivery is recorded as sent, once.
    const rows = await db.prisma.notification.findMany({ where: { companyId: org.companyId } });
    expect(rows.length).toBe(smtp.received.length);
    expect(rows.every((r) => r.status === 'SENT' && r.attempts === 1 && r.channel === 'EMAIL')).toBe(true);
  });
});

describe('delivery guarantees', () => {
  it('a transition that fails part-way enqueues nothing; the queue takes part in the statement', async () => {
    const actor = await loadActor(db.prisma, org.employee.id);
    const { id: failing } = await submitRequest({ db: db.prisma, clock: () => new Date() }, actor!, {
      serviceAreaId: org.area.id,
      categoryId: org.category.id,
      title: 'Falla a medias',
      description: 'El evento no se puede escribir',
      priority: 'LOW',
      location: null,
    });
    await runJobs(db, config);
    const before = await jobCount();
    // The update matches, then the event row fails (an actor of no company): nothing stays.
    const transition = TRANSITIONS.find((t) => t.action === 'authorize')!;
    const statement = transitionStatement({
      transition,
      companyId: org.companyId,
      requestId: failing,
      actorId: 2_000_000_000,
      onBehalfOfId: null,
      onHoldSince: null,
      now: new Date(),
      comment: null,
      request: {},
      data: null,
    });
    await expect(rows(db.prisma, statement)).rejects.toThrow(/foreign key/);
    expect(await jobCount()).toBe(before);
    expect((await db.prisma.request.findUniqueOrThrow({ where: { id: failing } })).status).toBe('PENDING');

    // A refused transition (a worker of no service area) commits nothing and notifies no one.
    const app = buildApp(db, env);
    const employee = await signIn(app, org.employee.email);
    const head = await signIn(app, org.head.email);
    const services = await signIn(app, org.servicesHead.email);
    const id = await submitThroughForm(employee, org);
    await act(head, id, 'authorize', { comment: '' });
    await runJobs(db, config);
    const notifications = await db.prisma.notification.count({ where: { companyId: org.companyId } });
    const jobs = await jobCount();
    const res = await act(services, id, 'approve', { workerId: String(org.head.id), instructions: 'Hacerlo' });
    expect(res.status).toBe(422);
    expect(await jobCount()).toBe(jobs);
    await runJobs(db, config);
    expect(await db.prisma.notification.count({ where: { companyId: org.companyId } })).toBe(notifications);
  });

  it('with the SMTP server down during 20 transitions, all are delivered once each after it comes back', async () => {
    const local = await makeOrg(db.prisma);
    // Only the requester's confirmations: the unit head mutes submissions.
    await db.prisma.notificationPreference.create({
      data: { companyId: local.companyId, userId: local.head.id, kind: 'submitted', channel: 'EMAIL', enabled: false },
    });
    const down = await startSmtp();
    const port = down.port;
    await down.close();
    const cfg = testConfig({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      NOTIFY_RETRY_BASE_SECONDS: '0.2',
      NOTIFY_RETRY_MAX_SECONDS: '0.5',
      NOTIFY_MAX_ATTEMPTS: '50',
    });
    const worker = await startWorker(db, cfg);
    let back: Awaited<ReturnType<typeof startSmtp>> | undefined;
    try {
      const actor = (await loadActor(db.prisma, local.employee.id))!;
      const deps = { db: db.prisma, clock: () => new Date() };
      for (let i = 0; i < 20; i++) {
        await submitRequest(deps, actor, {
          serviceAreaId: local.area.id,
          categoryId: local.category.id,
          title: `Solicitud ${i}`,
          description: 'Descripción suficiente',
          priority: 'LOW',
          location: null,
        } as never);
      }
      const where = { companyId: local.companyId };
      await waitFor(
        async () =>
          (await db.prisma.notification.count({ where: { ...where, attempts: { gte: 2 }, status: 'PENDING' } })) === 20,
        20_000,
        'failed attempts while SMTP is down',
      );
      expect(await db.prisma.notification.count({ where: { ...where, status: 'SENT' } })).toBe(0);
      const failing = await db.prisma.notification.findFirstOrThrow({ where });
      expect(failing.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);

      back = await startSmtp(port);
      await waitFor(
        async () => (await db.prisma.notification.count({ where: { ...where, status: 'SENT' } })) === 20,
        20_000,
        'deliveries after SMTP is back',
      );
      await new Promise((r) => setTimeout(r, 700));
      expect(back.received.length).toBe(20);
      expect(new Set(back.received.map((m) => /^Message-ID: (.+)$/im.exec(m.raw)?.[1])).size).toBe(20);
      expect(back.received.every((m) => m.to[0] === local.employee.email)).toBe(true);
    } finally {
      await worker.stop();
      await back?.close();
    }
  });

  it('jobs pending at shutdown are delivered after a restart', async () => {
    const local = await makeOrg(db.prisma);
    const actor = (await loadActor(db.prisma, local.employee.id))!;
    // The app "stops" with the jobs queued: a connection of its own, closed before any worker ran.
    const first = connectDatabase(db.url, { max: 2, citus: onCitus() });
    await submitRequest({ db: first.prisma, clock: () => new Date() }, actor, {
      serviceAreaId: local.area.id,
      categoryId: local.category.id,
      title: 'Antes del reinicio',
      description: 'Queda en cola',
      priority: 'LOW',
      location: null,
    } as never);
    await first.close();
    expect(await jobCount()).toBeGreaterThan(0);

    const second = connectDatabase(db.url, { max: 4, citus: onCitus() });
    const worker = await startWorker(second, config);
    try {
      await smtp.lastTo(local.employee.email);
      await smtp.lastTo(local.head.email);
      await waitFor(
        async () =>
          (await db.prisma.notification.count({ where: { companyId: local.companyId, status: 'SENT' } })) === 2,
        10_000,
        'deliveries',
      );
    } finally {
      await worker.stop();
      await second.close();
    }
  });

  it('a write leaves one fan-out in the outbox; workers emptying it at once queue each job exactly once', async () => {
    const local = await makeOrg(db.prisma);
    const actor = (await loadActor(db.prisma, local.employee.id))!;
    await runJobs(db, config);
    const outbox = () =>
      db.pool.query<{ task: string; payload: { companyId: number; eventIds: string[] } }>(
        'SELECT task, payload FROM job_outbox ORDER BY id',
      );
    const deps = { db: db.prisma, clock: () => new Date() };
    const submitted = [];
    for (let i = 0; i < 30; i++) {
      submitted.push(
        await submitRequest(deps, actor, {
          serviceAreaId: local.area.id,
          categoryId: local.category.id,
          title: `Cola ${i}`,
          description: 'Pasa por la bandeja de salida',
          priority: 'LOW',
          location: null,
        } as never),
      );
    }
    const { rows: queued } = await outbox();
    expect(queued).toHaveLength(30);
    const events = await db.prisma.requestEvent.findMany({
      where: { companyId: local.companyId },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    expect(queued.map((r) => [r.task, r.payload.companyId, r.payload.eventIds])).toEqual(
      events.map((e) => ['notify_event', local.companyId, [String(e.id)]]),
    );

    const fanouts = () =>
      db.pool.query(
        `SELECT j.payload FROM graphile_worker._private_jobs j
         JOIN graphile_worker._private_tasks t ON t.id = j.task_id
         WHERE t.identifier = 'notify_event' ORDER BY j.id`,
      );
    const before = (await fanouts()).rowCount;
    const moved = await Promise.all([dispatchOutbox(db.pool), dispatchOutbox(db.pool), dispatchOutbox(db.pool)]);
    expect(moved.reduce((a, b) => a + b, 0)).toBe(30);
    expect((await outbox()).rows).toHaveLength(0);
    const jobs = (await fanouts()).rows
      .slice(before ?? 0)
      .map((r) => (r.payload as { eventIds: string[] }).eventIds[0]);
    expect(jobs.sort()).toEqual(events.map((e) => String(e.id)).sort());

    await runJobs(db, config);
    expect(
      await db.prisma.notification.count({ where: { companyId: local.companyId, recipientId: local.employee.id } }),
    ).toBe(submitted.length);
  });
});

describe('SMS and WhatsApp through the providers', () => {
  let provider: Awaited<ReturnType<typeof startFakeProvider>>;
  let local: Awaited<ReturnType<typeof makeOrg>>;
  beforeAll(async () => {
    provider = await startFakeProvider();
    local = await makeOrg(db.prisma);
    await db.prisma.companyNotificationSettings.create({
      data: { companyId: local.companyId, smsEnabled: true, whatsappEnabled: true },
    });
    await db.prisma.user.update({
      where: { id: local.employee.id },
      data: { phone: '+573001234567', phoneVerifiedAt: new Date() },
    });
  });
  afterAll(() => provider.close());

  const providerEnv = (extra: Record<string, string> = {}) =>
    testConfig({
      SMTP_URL: smtp.url,
      TWILIO_BASE_URL: provider.url,
      TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32),
      TWILIO_AUTH_TOKEN: 'token-de-prueba',
      TWILIO_SMS_FROM: '+15005550006',
      META_WHATSAPP_BASE_URL: `${provider.url}/v21.0`,
      META_WHATSAPP_PHONE_NUMBER_ID: '1234567890',
      META_WHATSAPP_ACCESS_TOKEN: 'meta-token',
      WHATSAPP_PROVIDER: 'meta',
      NOTIFY_RETRY_BASE_SECONDS: '0.1',
      ...extra,
    });
  const submit = async () => {
    const actor = (await loadActor(db.prisma, local.employee.id))!;
    return submitRequest({ db: db.prisma, clock: () => new Date() }, actor, {
      serviceAreaId: local.area.id,
      categoryId: local.category.id,
      title: 'Aire acondicionado',
      description: 'No enfría nada',
      priority: 'LOW',
      location: null,
    } as never);
  };
  const only = async (kind: string, channels: ('SMS' | 'WHATSAPP' | 'EMAIL')[]) => {
    await db.prisma.notificationPreference.deleteMany({
      where: { companyId: local.companyId, userId: local.employee.id },
    });
    await db.prisma.notificationPreference.createMany({
      data: (['EMAIL', 'SMS', 'WHATSAPP'] as const).map((channel) => ({
        companyId: local.companyId,
        userId: local.employee.id,
        kind,
        channel,
        enabled: channels.includes(channel),
      })),
    });
  };

  it('provider 500 and 429 are retried, then delivered once; a 400 for a bad number fails for good', async () => {
    await only('submitted', ['SMS']);
    const cfg = providerEnv();
    const worker = await startWorker(db, cfg);
    try {
      provider.answer(
        { status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } },
        { status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } },
      );
      const r = await submit();
      const where = { companyId: local.companyId, channel: 'SMS' as const };
      await waitFor(
        async () => (await db.prisma.notification.count({ where: { ...where, status: 'SENT' } })) === 1,
        10_000,
        'SMS sent',
      );
      const sms = await db.prisma.notification.findFirstOrThrow({ where });
      expect(sms).toMatchObject({ attempts: 3, address: '+573001234567', status: 'SENT' });
      expect(sms.providerMessageId).toMatch(/^SM/);
      const calls = provider.requests.filter((q) => q.path.includes('/Messages.json'));
      expect(calls).toHaveLength(3);
      expect(calls[0]!.path).toBe(`/2010-04-01/Accounts/AC${'a'.repeat(32)}/Messages.json`);
      expect(calls[0]!.headers.authorization).toBe(
        `Basic ${Buffer.from(`AC${'a'.repeat(32)}:token-de-prueba`).toString('base64')}`,
      );
      expect(calls[2]!.body).toMatchObject({ To: '+573001234567', From: '+15005550006' });
      // Every attempt carries the notification's idempotency key, the same across retries.
      expect(calls.map((c) => c.headers['i-twilio-idempotency-token'])).toEqual(Array(3).fill(sms.idempotencyKey));
      expect(sms.idempotencyKey).toMatch(/^n-\d+-\d+-\d+-sms$/);
      expect(String(calls[2]!.body.Body)).toContain(`/solicitudes/${r.id}`);
      expect(String(calls[2]!.body.Body)).toContain('Recibimos tu solicitud');

      provider.requests.length = 0;
      provider.answer({
        status: 400,
        body: { code: 21211, message: "The 'To' number +573001234567 is not a valid phone number.", status: 400 },
      });
      await submit();
      await waitFor(
        async () => (await db.prisma.notification.count({ where: { ...where, status: 'FAILED' } })) === 1,
        10_000,
        'SMS failed',
      );
      await new Promise((r) => setTimeout(r, 500));
      const failed = await db.prisma.notification.findFirstOrThrow({ where: { ...where, status: 'FAILED' } });
      expect(failed.attempts).toBe(1);
      expect(failed.lastError).toContain('21211');
      expect(provider.requests).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });

  it('WhatsApp goes through Meta as an approved template with parameters; opted-out channels get nothing', async () => {
    await only('submitted', ['WHATSAPP']);
    provider.requests.length = 0;
    const before = smtp.count(local.employee.email);
    const r = await submit();
    await runJobs(db, providerEnv());
    expect(provider.requests).toHaveLength(1);
    const call = provider.requests[0]!;
    expect(call.path).toBe('/v21.0/1234567890/messages');
    expect(call.headers.authorization).toBe('Bearer meta-token');
    const stored = await db.prisma.request.findUniqueOrThrow({ where: { id: r.id } });
    const number = `SOL-${String(stored.number).padStart(6, '0')}`;
    expect(call.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '573001234567',
      type: 'template',
      template: {
        name: 'solicitudes_submitted_requester',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              number,
              'Aire acondicionado',
              local.employee.name,
              `http://localhost:3000/solicitudes/${r.id}`,
            ].map((text) => ({ type: 'text', text })),
          },
        ],
      },
    });
    // Email and SMS were turned off for this kind of event: nothing went there.
    expect(smtp.count(local.employee.email)).toBe(before);
    const rows = await db.prisma.notification.findMany({
      where: { companyId: local.companyId, requestId: r.id, recipientId: local.employee.id },
    });
    expect(rows.map((n) => n.channel)).toEqual(['WHATSAPP']);
  });
});

describe('preferences and the admin page', () => {
  it('an employee who turns off email for submissions gets none; the unit head still does', async () => {
    const local = await makeOrg(db.prisma);
    const app = buildApp(db, env);
    const employee = await signIn(app, local.employee.email);
    const page = await employee.get('/cuenta/notificaciones').expect(200);
    expect(page.text).toContain('Mis notificaciones');
    // Every box but "submitted by email" stays as it was (email on).
    const fields = Object.fromEntries(
      ['authorized', 'rejected', 'approved', 'reassigned', 'started', 'finished', 'cancelled'].map((k) => [
        `${k}.EMAIL`,
        'on',
      ]),
    );
    expect((await postForm(employee, '/cuenta/notificaciones', '/cuenta/notificaciones', fields)).status).toBe(303);
    const id = await submitThroughForm(employee, local);
    await runJobs(db, config);
    await smtp.lastTo(local.head.email);
    expect(smtp.count(local.employee.email)).toBe(0);
    const rows = await db.prisma.notification.findMany({ where: { companyId: local.companyId, requestId: id } });
    expect(rows.map((r) => r.recipientId)).toEqual([local.head.id]);
  });

  it('lists every notification for company admins only, and retries a failed one', async () => {
    const local = await makeOrg(db.prisma);
    const other = await makeOrg(db.prisma);
    const app = buildApp(db, env);
    const admin = await signIn(app, local.admin.email);
    const employee = await signIn(app, local.employee.email);
    await employee.get('/admin/notificaciones').expect(403);

    // An address the SMTP server refuses... is simulated by a failed row; the retry must deliver it.
    await submitThroughForm(employee, local);
    await runJobs(db, config);
    const n = await db.prisma.notification.findFirstOrThrow({
      where: { companyId: local.companyId, recipientId: local.employee.id },
    });
    await db.prisma.notification.update({
      where: { id: n.id },
      data: { status: 'FAILED', lastError: '550 mailbox unavailable' },
    });
    const page = await admin.get('/admin/notificaciones').expect(200);
    expect(page.text).toContain('Fallida');
    expect(page.text).toContain('550 mailbox unavailable');
    expect(page.text).toContain(`/admin/notificaciones/${n.id}/reintentar`);
    const failedPage = await admin.get('/admin/notificaciones?estado=FAILED').expect(200);
    expect(failedPage.text).toContain(local.employee.email);

    // Another company's notification is a 404, like a missing one.
    await submitThroughForm(await signIn(app, other.employee.email), other);
    await runJobs(db, config);
    const foreign = await db.prisma.notification.findFirstOrThrow({ where: { companyId: other.companyId } });
    expect(
      (await postForm(admin, '/admin/notificaciones', `/admin/notificaciones/${foreign.id}/reintentar`, {})).status,
    ).toBe(404);

    const before = smtp.count(local.employee.email);
    expect(
      (await postForm(admin, '/admin/notificaciones', `/admin/notificaciones/${n.id}/reintentar`, {})).status,
    ).toBe(303);
    await runJobs(db, config);
    expect(smtp.count(local.employee.email)).toBe(before + 1);
    expect(await db.prisma.notification.findUniqueOrThrow({ where: { id: n.id } })).toMatchObject({
      status: 'SENT',
      lastError: null,
    });
  });

  it('saves channel switches and encrypts provider secrets', async () => {
    const local = await makeOrg(db.prisma);
    const admin = await signIn(buildApp(db, env), local.admin.email);
    const bad = await postForm(admin, '/admin/notificaciones/canales', '/admin/notificaciones/canales', {
      emailEnabled: 'on',
      smsEnabled: 'on',
      whatsappProvider: 'twilio',
      twilioAccountSid: 'XX123',
      twilioSmsFrom: '123',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('El Account SID de Twilio empieza por AC');
    expect(bad.text).toContain('formato internacional');
    const ok = await postForm(admin, '/admin/notificaciones/canales', '/admin/notificaciones/canales', {
      emailEnabled: 'on',
      smsEnabled: 'on',
      whatsappProvider: 'twilio',
      twilioAccountSid: 'AC' + 'b'.repeat(32),
      twilioAuthToken: 'secreto-de-twilio',
      twilioSmsFrom: '+15005550006',
    });
    expect(ok.status).toBe(303);
    const s = await db.prisma.companyNotificationSettings.findUniqueOrThrow({ where: { companyId: local.companyId } });
    expect(s).toMatchObject({
      emailEnabled: true,
      smsEnabled: true,
      whatsappEnabled: false,
      twilioSmsFrom: '+15005550006',
    });
    expect(s.twilioAuthTokenEnc).toMatch(/^v1:/);
    expect(s.twilioAuthTokenEnc).not.toContain('secreto');
    const page = await admin.get('/admin/notificaciones/canales').expect(200);
    expect(page.text).not.toContain('secreto-de-twilio');
    expect(page.text).toContain('Guardado y cifrado');
  });
});
