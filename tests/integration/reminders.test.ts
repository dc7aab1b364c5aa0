// Issue 16: reminders and escalation. A pending authorization reminds its authorizer after N working hours and moves
// up the chain after M (over a weekend and a holiday), an undecided one reminds the services head, a resolution due
// soon tells the worker and an overdue one the services head; each exactly once, even with two workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotificationWorker } from '../../src/notifications/index.js';
import { reminderJobs, scanReminders, TASK_REMINDERS } from '../../src/reminders/index.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeCompany, makeUnit, makeUser } from '../support/factories.js';
import { postForm, signIn } from '../support/http.js';
import { runJobs, waitFor, workerDeps } from '../support/notifications.js';
import { act, snapshot, submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
/** The clock of the app and of the scans (Bogotá, UTC−5, calendar Monday–Friday 08:00–17:00). */
let now = new Date('2026-12-04T20:00:00Z');
let app: ReturnType<typeof buildApp>;
const config = testConfig();
type Agent = Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  db = await createTestDatabase();
  app = buildApp(db, {}, () => now);
});
afterAll(() => db.drop());

/** Dirección (head) ⊃ Operaciones (head, and a clerk); a service area with its head and a worker; an admin. */
async function company() {
  const p = db.prisma;
  const c = (await makeCompany(p)).id;
  const top = await makeUnit(p, c, { name: 'Dirección' });
  const ops = await makeUnit(p, c, { name: 'Operaciones', parentId: top.id });
  const area = await makeUnit(p, c, { name: 'Mantenimiento', kind: 'SERVICE_AREA' });
  const director = await makeUser(p, c, { unitId: top.id, name: 'Directora' });
  const opsHead = await makeUser(p, c, { unitId: ops.id, name: 'Jefe Operaciones' });
  const clerk = await makeUser(p, c, { unitId: ops.id, name: 'Auxiliar' });
  const servicesHead = await makeUser(p, c, { unitId: area.id, name: 'Jefa Mantenimiento' });
  const worker = await makeUser(p, c, { unitId: area.id, name: 'Técnico', isWorker: true });
  const admin = await makeUser(p, c, { unitId: top.id, isCompanyAdmin: true, name: 'Admin' });
  await p.unit.update({ where: { id: top.id }, data: { headId: director.id } });
  await p.unit.update({ where: { id: ops.id }, data: { headId: opsHead.id } });
  await p.unit.update({ where: { id: area.id }, data: { headId: servicesHead.id } });
  const category = await p.category.create({
    data: { companyId: c, serviceAreaId: area.id, name: 'Goteras', resolutionHours: 8 },
  });
  // Monday 7 December is a holiday of this company.
  await p.holiday.create({ data: { companyId: c, day: new Date('2026-12-07T00:00:00Z'), name: 'Festivo' } });
  return { c, top, ops, area, director, opsHead, clerk, servicesHead, worker, admin, category };
}

const at = (iso: string) => {
  now = new Date(iso);
  return now;
};
/** A form post that must redirect (the step was taken). */
const done = async (res: Promise<{ status: number; text: string }>) => {
  const r = await res;
  expect(r.status, r.text.slice(0, 300)).toBe(302);
};
const scan = () => scanReminders({ db: db.prisma }, now);
const eventsOf = async (id: number) => (await snapshot(db.prisma, id)).events.map((e) => e.action);
const notified = (companyId: number, userId: number, kind: string) =>
  db.prisma.notification.count({ where: { companyId, recipientId: userId, kind, channel: 'EMAIL' } });

describe('a pending authorization', () => {
  let s: Awaited<ReturnType<typeof company>>;
  let id: number;
  let clerk: Agent;

  beforeAll(async () => {
    s = await company();
    clerk = await signIn(app, s.clerk.email);
    at('2026-12-04T20:00:00Z'); // Friday 15:00 in Bogotá: two working hours left that day.
    id = await submitThroughForm(clerk, { area: s.area, category: s.category });
    await runJobs(db, config);
  });

  it('is not reminded before N working hours (the weekend and the holiday do not count)', async () => {
    at('2026-12-07T17:00:00Z'); // Monday (holiday) 12:00: still 2 working hours.
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT']);
  });

  it('reminds its authorizer once after N working hours, with a notification', async () => {
    at('2026-12-08T19:00:00Z'); // Tuesday 14:00: 2 + 6 = 8 working hours.
    await scan();
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT', 'REMIND']);
    await runJobs(db, config);
    expect(await notified(s.c, s.opsHead.id, 'reminder')).toBe(1);
    const page = await clerk.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('El sistema');
    expect(page.text).toContain('recordó a quien debe autorizarla: espera hace 8 h hábiles');
  });

  it('escalates to the next head up after M working hours, recorded in the history', async () => {
    at('2026-12-09T18:00:00Z'); // Wednesday 13:00: 2 + 9 + 5 = 16 working hours.
    await scan();
    await scan();
    const r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({ status: 'PENDING', authorizerUnitId: s.top.id, awaitingAdmins: false });
    expect(r.events.map((e) => [e.action, e.actorId])).toEqual([
      ['SUBMIT', s.clerk.id],
      ['REMIND', null],
      ['ESCALATE', null],
    ]);
    await runJobs(db, config);
    expect(await notified(s.c, s.director.id, 'escalated')).toBe(1);
    const director = await signIn(app, s.director.email);
    expect((await director.get('/autorizaciones').expect(200)).text).toContain(`/solicitudes/${id}`);
    // The head passed over can no longer authorize it.
    const opsHead = await signIn(app, s.opsHead.email);
    expect((await act(opsHead, id, 'authorize', { comment: '' })).status).toBe(403);
  });

  it('starts a new cycle with the new authorizer, and ends at the administrators', async () => {
    at('2026-12-10T18:00:00Z'); // Thursday 13:00: 4 + 5 = 9 working hours since the escalation.
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT', 'REMIND', 'ESCALATE', 'REMIND']);
    at('2026-12-11T22:00:00Z'); // Friday 17:00: 4 + 9 + 9 = 22 working hours.
    await scan();
    const r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({ authorizerUnitId: null, awaitingAdmins: true });
    await runJobs(db, config);
    expect(await notified(s.c, s.admin.id, 'escalated')).toBe(1);
    // The administrators are the top: reminded, never escalated further.
    at('2026-12-21T22:00:00Z');
    await scan();
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT', 'REMIND', 'ESCALATE', 'REMIND', 'ESCALATE', 'REMIND']);
    const admin = await signIn(app, s.admin.email);
    expect((await act(admin, id, 'authorize', { comment: '' })).status).toBe(302);
  });
});

describe('the other steps', () => {
  it('an authorized request reminds the services head, not while on hold, counting again from the resume', async () => {
    const s = await company();
    at('2026-12-14T14:00:00Z'); // Monday 09:00.
    const id = await submitThroughForm(await signIn(app, s.clerk.email), { area: s.area, category: s.category });
    const head = await signIn(app, s.servicesHead.email);
    await done(act(await signIn(app, s.opsHead.email), id, 'authorize', { comment: '' }));
    await done(act(head, id, 'hold', { reason: 'PARTS', note: '' }));
    at('2026-12-16T14:00:00Z'); // two working days later, on hold
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT', 'AUTHORIZE', 'HOLD']);
    await done(act(head, id, 'resume', { comment: '' }));
    at('2026-12-16T21:00:00Z'); // 7 working hours after the resume
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT', 'AUTHORIZE', 'HOLD', 'RESUME']);
    at('2026-12-17T14:00:00Z'); // 8
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT', 'AUTHORIZE', 'HOLD', 'RESUME', 'REMIND']);
    await runJobs(db, config);
    expect(await notified(s.c, s.servicesHead.id, 'reminder')).toBe(1);
    // The requester heard of the pause and of the resume.
    expect(await notified(s.c, s.clerk.id, 'held')).toBe(1);
    expect(await notified(s.c, s.clerk.id, 'resumed')).toBe(1);
  });

  it('a resolution due soon tells the worker, an overdue one the services head, once each', async () => {
    const s = await company();
    at('2026-12-14T14:00:00Z'); // Monday 09:00; resolution target: 8 working hours → Monday 17:00.
    const id = await submitThroughForm(await signIn(app, s.clerk.email), { area: s.area, category: s.category });
    await done(act(await signIn(app, s.opsHead.email), id, 'authorize', { comment: '' }));
    await done(
      act(await signIn(app, s.servicesHead.email), id, 'approve', {
        workerId: String(s.worker.id),
        instructions: 'Cambiar el empaque del lavamanos.',
      }),
    );
    expect((await snapshot(db.prisma, id)).resolutionDueAt).toEqual(new Date('2026-12-14T22:00:00Z'));
    at('2026-12-14T17:00:00Z'); // 12:00: 5 working hours left, not yet "soon".
    await scan();
    at('2026-12-14T18:30:00Z'); // 13:30: 3.5 working hours left.
    await scan();
    await scan();
    at('2026-12-14T22:00:00Z'); // due now
    await scan();
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT', 'AUTHORIZE', 'APPROVE', 'REMIND', 'OVERDUE']);
    await runJobs(db, config);
    expect(await notified(s.c, s.worker.id, 'reminder')).toBe(1);
    expect(await notified(s.c, s.servicesHead.id, 'overdue')).toBe(1);
  });
});

describe('exactly once', () => {
  it('concurrent scans and two workers running the scheduled job send each reminder once', async () => {
    const s = await company();
    at('2026-12-14T14:00:00Z');
    const clerk = await signIn(app, s.clerk.email);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await submitThroughForm(clerk, { area: s.area, category: s.category }));
    at('2026-12-15T15:00:00Z'); // 10 working hours: a reminder each, no escalation yet
    await Promise.all([scan(), scan(), scan()]);

    at('2026-12-16T14:00:00Z'); // 18 working hours: escalation, run by two workers from several queued ticks
    const base = { ...workerDeps(db, config), clock: () => now };
    const deps = { ...base, extensions: [reminderJobs(base)] };
    const workers = await Promise.all(
      [0, 1].map(() => startNotificationWorker(deps, { pollInterval: 50, concurrency: 2 })),
    );
    try {
      await db.pool.query(`SELECT graphile_worker.add_job($1, '{}'::json) FROM generate_series(1, 6)`, [
        TASK_REMINDERS,
      ]);
      await waitFor(
        async () =>
          (await db.pool.query(`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = $1`, [TASK_REMINDERS]))
            .rowCount === 0,
        20_000,
        'the scheduled scans',
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    for (const id of ids) expect(await eventsOf(id)).toEqual(['SUBMIT', 'REMIND', 'ESCALATE']);
    const rows = await db.prisma.reminder.count({ where: { companyId: s.c } });
    expect(rows).toBe(10);
  });
});

describe('the thresholds are company settings', () => {
  it('the admin changes them on the calendar page; bad values are refused with the form kept', async () => {
    const s = await company();
    const other = await company();
    const admin = await signIn(app, s.admin.email);
    const page = await admin.get('/admin/calendario').expect(200);
    expect(page.text).toContain('Recordatorios y escalamiento');
    const bad = await postForm(admin, '/admin/calendario', '/admin/calendario/recordatorios', {
      remindAfterHours: '10',
      escalateAfterHours: '6',
      dueSoonHours: '2',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Escalar debe ocurrir después del recordatorio');
    expect(bad.text).toMatch(/name="escalateAfterHours"[^>]*value="6"|value="6"[^>]*name="escalateAfterHours"/);
    await done(
      postForm(admin, '/admin/calendario', '/admin/calendario/recordatorios', {
        remindAfterHours: '2',
        escalateAfterHours: '0',
        dueSoonHours: '1',
      }),
    );
    const saved = await db.prisma.company.findUniqueOrThrow({ where: { id: s.c } });
    expect(saved).toMatchObject({ remindAfterHours: 2, escalateAfterHours: 0, dueSoonHours: 1 });
    const untouched = await db.prisma.company.findUniqueOrThrow({ where: { id: other.c } });
    expect(untouched).toMatchObject({ remindAfterHours: 8, escalateAfterHours: 16, dueSoonHours: 4 });

    // With escalation off, a long wait only reminds.
    at('2026-12-14T14:00:00Z');
    const id = await submitThroughForm(await signIn(app, s.clerk.email), { area: s.area, category: s.category });
    at('2026-12-18T14:00:00Z');
    await scan();
    expect(await eventsOf(id)).toEqual(['SUBMIT', 'REMIND']);
  });
});
