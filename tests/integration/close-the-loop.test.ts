// Issue 17: "¿Quedó resuelto?" (confirm or reopen inside the window), the auto-close job, and the satisfaction
// survey through its signed link that works without signing in.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../src/auth/actor.js';
import { parseFilters } from '../../src/indicators/schema.js';
import { loadIndicatorsPage } from '../../src/indicators/service.js';
import { autoCloseFinished, requestJobs } from '../../src/requests/index.js';
import { surveyKey, surveyToken } from '../../src/satisfaction/index.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { workerDeps } from '../support/notifications.js';
import { startNotificationWorker } from '../../src/notifications/index.js';
import { csrfFrom, signIn } from '../support/http.js';
import { act, snapshot, submitThroughForm } from '../support/requests.js';

const DAY = 86_400_000;
let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let org: Awaited<ReturnType<typeof makeOrg>>;
let other: Awaited<ReturnType<typeof makeOrg>>;
type Agent = Awaited<ReturnType<typeof signIn>>;
let employee: Agent, head: Agent, services: Agent, worker: Agent, otherEmployee: Agent, otherServices: Agent;
let otherWorker: Agent;
let now = new Date('2026-03-02T14:00:00Z');
const clock = () => now;
const key = surveyKey(testConfig().SESSION_SECRET);

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  other = await makeOrg(db.prisma);
  app = buildApp(db, {}, clock);
  [employee, head, services, worker, otherEmployee, otherServices, otherWorker] = (await Promise.all(
    [org.employee, org.head, org.servicesHead, org.worker, other.employee, other.servicesHead, other.worker].map((u) =>
      signIn(app, u.email),
    ),
  )) as Agent[] as [Agent, Agent, Agent, Agent, Agent, Agent, Agent];
});
afterAll(() => db.drop());

/** A request of `o` taken to FINALIZED through the forms (as of `now`), by `o.worker` unless told. */
async function finished(o = org, agents = { employee, head, services, worker }, workerId = o.worker.id) {
  const id = await submitThroughForm(agents.employee, o);
  expect((await act(agents.head, id, 'authorize')).status).toBe(302);
  const approve = { workerId: String(workerId), instructions: 'Cambiar el empaque' };
  expect((await act(agents.services, id, 'approve', approve)).status).toBe(302);
  expect((await act(agents.worker, id, 'start')).status).toBe(302);
  expect((await act(agents.worker, id, 'finish', { resolution: 'Empaque cambiado' })).status).toBe(302);
  return id;
}

const surveyOf = (requestId: number, round = 0) =>
  db.prisma.satisfactionSurvey.findFirstOrThrow({ where: { requestId, round } });

describe('¿Quedó resuelto?', () => {
  it('asks the requester only, with the reopen deadline, and creates the survey of the finish', async () => {
    const id = await finished();
    const page = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('¿Quedó resuelto?');
    expect(page.text).toContain('data-action="confirm"');
    expect(page.text).toContain('data-action="reopen"');
    expect(page.text).toContain('Esperando que Empleado Uno confirme');
    const theirs = await worker.get(`/solicitudes/${id}`).expect(200);
    expect(theirs.text).not.toContain('data-action="reopen"');
    const survey = await surveyOf(id);
    expect(survey).toMatchObject({ workerId: org.worker.id, rating: null, answeredAt: null });
    expect(survey.expiresAt).toEqual(new Date(now.getTime() + 7 * DAY));
  });

  it('confirming closes it with the rating, once; the worker is told', async () => {
    const id = await finished();
    const res = await act(employee, id, 'confirm', { rating: '4', comment: 'Muy amable' });
    expect(res.status).toBe(302);
    const r = await snapshot(db.prisma, id);
    expect(r.status).toBe('CLOSED');
    expect(r.ticket?.status).toBe('DONE');
    expect(r.events.at(-1)).toMatchObject({ action: 'CONFIRM', actorId: org.employee.id, data: { rating: 4 } });
    expect(await surveyOf(id)).toMatchObject({ rating: 4, comment: 'Muy amable' });
    // Already closed: redirected to the request with why (Post/Redirect/Get), nothing changes.
    const again = await act(employee, id, 'confirm', { rating: '1' });
    expect(again.status).toBe(303);
    expect((await surveyOf(id)).rating).toBe(4);
    const page = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('calificó la atención con 4 de 5');
  });

  it('refuses a rating outside 1–5 with the form kept (422)', async () => {
    const id = await finished();
    const res = await act(employee, id, 'confirm', { rating: '9', comment: 'x' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Elige una calificación de 1 a 5');
    expect((await snapshot(db.prisma, id)).status).toBe('FINALIZED');
  });

  it('reopens inside the window: back to the same worker, in progress, with a new resolution due date', async () => {
    const id = await finished();
    const before = await snapshot(db.prisma, id);
    now = new Date(now.getTime() + 2 * DAY);
    for (const agent of [worker, head, services])
      expect((await act(agent, id, 'reopen', { reason: 'Sigue goteando' })).status).toBe(403);
    const res = await act(employee, id, 'reopen', { reason: 'Sigue goteando igual' });
    expect(res.status).toBe(302);
    const r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({ status: 'APPROVED', finalizedAt: null, reopenCount: 1 });
    expect(r.ticket).toMatchObject({ status: 'IN_PROGRESS', workerId: org.worker.id, finishedAt: null });
    expect(r.ticket?.startedAt).toEqual(before.ticket?.startedAt);
    expect(r.resolutionDueAt!.getTime()).toBeGreaterThan(before.resolutionDueAt!.getTime());
    expect(r.events.at(-1)).toMatchObject({
      action: 'REOPEN',
      fromStatus: 'FINALIZED',
      toStatus: 'APPROVED',
      comment: 'Sigue goteando igual',
      data: { workerId: org.worker.id },
    });
    // Its notification job was queued with it.
    const jobs = await db.pool.query(`SELECT payload FROM job_outbox WHERE payload->'eventIds' ? $1`, [
      String(r.events.at(-1)!.id),
    ]);
    expect(jobs.rowCount).toBe(1);
    // The first round's survey link no longer works; finishing again opens round 1.
    expect((await act(worker, id, 'finish', { resolution: 'Cambié el grifo completo' })).status).toBe(302);
    expect(await surveyOf(id, 1)).toMatchObject({ round: 1, answeredAt: null });
    const old = surveyToken(key, { companyId: org.companyId, requestId: id, round: 0 });
    expect((await request(app).get(`/encuesta/${old}`)).status).toBe(410);
  });

  it('refuses to reopen outside the window (403, nothing changes), but still lets the requester confirm', async () => {
    const id = await finished();
    now = new Date(now.getTime() + 7 * DAY + 60_000);
    const page = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).not.toContain('data-action="reopen"');
    const res = await act(employee, id, 'reopen', { reason: 'Ya volvió a fallar' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Ya pasaron los 7 días');
    expect((await snapshot(db.prisma, id)).status).toBe('FINALIZED');
    expect((await act(employee, id, 'confirm', {})).status).toBe(302);
  });

  it('uses the company setting for the window', async () => {
    await db.prisma.company.update({ where: { id: org.companyId }, data: { reopenDays: 2 } });
    try {
      const id = await finished();
      now = new Date(now.getTime() + 3 * DAY);
      expect((await act(employee, id, 'reopen', { reason: 'Volvió a fallar' })).status).toBe(403);
    } finally {
      await db.prisma.company.update({ where: { id: org.companyId }, data: { reopenDays: 7 } });
    }
  });

  it('two tabs: confirm in one, reopen in the other → one wins, the other is told why (303, never 500)', async () => {
    const id = await finished();
    const second = await signIn(app, org.employee.email);
    const [p1, p2] = await Promise.all([employee.get(`/solicitudes/${id}`), second.get(`/solicitudes/${id}`)]);
    const [a, b] = await Promise.all([
      employee
        .post(`/solicitudes/${id}/confirm`)
        .type('form')
        .send({ _csrf: csrfFrom(p1.text), rating: '5' }),
      second
        .post(`/solicitudes/${id}/reopen`)
        .type('form')
        .send({ _csrf: csrfFrom(p2.text), reason: 'No sirvió' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 303]);
    const r = await snapshot(db.prisma, id);
    expect(r.events.filter((e) => e.action === 'CONFIRM' || e.action === 'REOPEN')).toHaveLength(1);
  });
});

describe('auto-close', () => {
  it('closes unanswered finished requests after the window, exactly once, even run twice at once', async () => {
    const late = [
      await finished(),
      await finished(),
      await finished(other, {
        employee: otherEmployee,
        head: await signIn(app, other.head.email),
        services: otherServices,
        worker: otherWorker,
      }),
    ];
    now = new Date(now.getTime() + 3 * DAY);
    const recent = await finished();
    now = new Date(now.getTime() + 4 * DAY + 1000);
    const runs = await Promise.all([
      autoCloseFinished({ db: db.prisma, clock }),
      autoCloseFinished({ db: db.prisma, clock }),
    ]);
    await requestJobs({ db: db.prisma, clock }).tasks.requests_auto_close!({}, {} as never);
    expect(runs[0]! + runs[1]!).toBeGreaterThanOrEqual(late.length);
    for (const id of late) {
      const r = await snapshot(db.prisma, id);
      expect(r.status).toBe('CLOSED');
      const closes = r.events.filter((e) => e.action === 'AUTO_CLOSE');
      expect(closes).toHaveLength(1);
      expect(closes[0]).toMatchObject({ actorId: r.requesterId, fromStatus: 'FINALIZED', data: { automatic: true } });
    }
    expect((await snapshot(db.prisma, recent)).status).toBe('FINALIZED');
    const page = await employee.get(`/solicitudes/${late[0]}`).expect(200);
    expect(page.text).toContain('Cerrada automáticamente: nadie respondió en 7 días');
    // Closed: the requester can no longer reopen it (redirected to the request, saying what happened).
    const reopen = await act(employee, late[0]!, 'reopen', { reason: 'Volvió a fallar' });
    expect(reopen.status).toBe(303);
    const told = await employee.get(reopen.headers.location!).expect(200);
    expect(told.text).toContain('se cerró automáticamente');
  });
});

describe('the schedule', () => {
  it('the queue worker starts with the auto-close crontab and stops cleanly', async () => {
    const deps = workerDeps(db, testConfig());
    const running = await startNotificationWorker(
      { ...deps, extensions: [requestJobs(deps)] },
      { pollInterval: 50, concurrency: 1 },
    );
    await running.stop();
  });
});

describe('the survey link (no sign-in)', () => {
  const link = (requestId: number, round = 0, companyId = org.companyId) =>
    `/encuesta/${surveyToken(key, { companyId, requestId, round })}`;

  async function answer(path: string, fields: Record<string, string>) {
    const visitor = request.agent(app);
    const shown = await visitor.get(path);
    // A refused link shows no form: the token of another public page is as good for the check that follows.
    const page = [200, 410].includes(shown.status) ? shown : await visitor.get('/login');
    return visitor
      .post(path)
      .type('form')
      .send({ ...fields, _csrf: csrfFrom(page.text) });
  }

  it('shows the form, records the answer once, and thanks; a second use says it was answered', async () => {
    const id = await finished();
    const page = await request(app)
      .get(`${link(id)}?nota=5`)
      .expect(200);
    expect(page.text).toContain('¿Cómo te atendimos?');
    expect(page.text).toMatch(/id="rating-5" value="5" required checked/);
    const res = await answer(link(id), { rating: '5', comment: 'Rápido y limpio' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('¡Gracias!');
    expect(await surveyOf(id)).toMatchObject({ rating: 5, comment: 'Rápido y limpio' });
    const reuse = await answer(link(id), { rating: '1' });
    expect([409, 200]).toContain(reuse.status);
    expect(reuse.text).toContain('ya fue respondida');
    expect((await surveyOf(id)).rating).toBe(5);
    // Answered by link: the request still asks "¿Quedó resuelto?", and confirming keeps the rating given.
    expect((await act(employee, id, 'confirm', { rating: '2' })).status).toBe(302);
    expect((await surveyOf(id)).rating).toBe(5);
  });

  it('expires with the reopen window', async () => {
    const id = await finished();
    now = new Date(now.getTime() + 7 * DAY + 1);
    const res = await request(app).get(link(id));
    expect(res.status).toBe(410);
    expect(res.text).toContain('Este enlace venció');
    expect((await answer(link(id), { rating: '3' })).status).toBe(409);
    expect((await surveyOf(id)).answeredAt).toBeNull();
  });

  it("another company's link, a tampered or malformed token: the same neutral 404", async () => {
    const id = await finished();
    // The same page but for its CSRF token and the path the language switch returns to.
    const neutral = (html: string) =>
      html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/name="next" value="[^"]+"/g, '');
    const notFound = neutral((await request(app).get('/encuesta/nada')).text);
    const good = link(id);
    const tampered = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    // Signed with the right key but for a request of another company, or claiming another company.
    const theirs = link(id, 0, other.companyId);
    const forged = `/encuesta/${surveyToken('not-the-key', { companyId: org.companyId, requestId: id, round: 0 })}`;
    for (const path of [tampered, theirs, forged, '/encuesta/1.2.0.x']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(404);
      expect(neutral(res.text)).toBe(notFound);
      expect((await answer(path, { rating: '1' })).status).not.toBe(200);
    }
    expect((await surveyOf(id)).answeredAt).toBeNull();
  });
});

describe('indicators: satisfaction and reopenings, from the answers given', () => {
  it('match the answers exactly: per worker, category and unit, the previous period, page and CSV', async () => {
    const o = await makeOrg(db.prisma);
    const [emp, hd, sh, w1, w2, adm] = (await Promise.all(
      [o.employee, o.head, o.servicesHead, o.worker, o.worker2, o.admin].map((u) => signIn(app, u.email)),
    )) as Agent[] as [Agent, Agent, Agent, Agent, Agent, Agent];
    const as1 = { employee: emp, head: hd, services: sh, worker: w1 };
    const as2 = { employee: emp, head: hd, services: sh, worker: w2 };
    const T = new Date('2026-06-30T15:00:00Z');
    const rate = async (id: number, round: number, rating: string) => {
      const path = `/encuesta/${surveyToken(key, { companyId: o.companyId, requestId: id, round })}`;
      const visitor = request.agent(app);
      const page = await visitor.get(path).expect(200);
      await visitor
        .post(path)
        .type('form')
        .send({ rating, _csrf: csrfFrom(page.text) })
        .expect(200);
    };
    // Previous period (30 days before the last 30): one finish rated 4.
    now = new Date(T.getTime() - 40 * DAY);
    const r0 = await finished(o, as1);
    await rate(r0, 0, '4');
    // This period.
    now = new Date(T.getTime() - 5 * DAY);
    const r1 = await finished(o, as1);
    expect((await act(emp, r1, 'confirm', { rating: '5' })).status).toBe(302);
    const r2 = await finished(o, as1);
    await rate(r2, 0, '2');
    await finished(o, as2, o.worker2.id);
    const r4 = await finished(o, as1);
    expect((await act(emp, r4, 'reopen', { reason: 'Sigue fallando' })).status).toBe(302);
    expect((await act(w1, r4, 'finish', { resolution: 'Ahora sí' })).status).toBe(302);
    expect((await act(emp, r4, 'confirm', { rating: '3' })).status).toBe(302);
    now = T;

    const actor = (await loadActor(db.prisma, o.admin.id, { now: T }))!;
    const { dashboard: d } = await loadIndicatorsPage(db.prisma, actor, parseFilters({}, T, actor.timezone), T);
    const q = d.quality;
    // Surveys: r1, r2, r3, r4 (round 0, void once reopened) and r4 (round 1); answers 5, 2 and 3.
    expect(q.current).toMatchObject({ surveys: 5, answered: 3, ratingSum: 10, finalized: 4, reopened: 1 });
    expect(q.current.average).toBeCloseTo(10 / 3, 12);
    expect(q.current.responseRate).toBe(3 / 5);
    expect(q.current.reopenRate).toBe(1 / 4);
    expect(q.previous).toMatchObject({ surveys: 1, answered: 1, ratingSum: 4, average: 4, finalized: 1, reopened: 0 });
    expect(q.headlines.find((h) => h.key === 'satisfaction.average')!.delta.direction).toBe('down');
    const byWorker = new Map(q.groups.worker.map((g) => [g.id, g]));
    expect(byWorker.get(o.worker.id)).toMatchObject({ surveys: 4, answered: 3, finalized: 3, reopened: 1 });
    expect(byWorker.get(o.worker.id)!.average).toBeCloseTo(10 / 3, 12);
    expect(byWorker.get(o.worker2.id)).toMatchObject({ surveys: 1, answered: 0, average: null, reopenRate: 0 });
    expect(q.groups.category).toEqual([expect.objectContaining({ id: o.category.id, surveys: 5, answered: 3 })]);
    expect(q.groups.unit).toEqual([expect.objectContaining({ id: o.unit.id, reopened: 1, finalized: 4 })]);

    const page = await adm.get('/indicadores').expect(200);
    expect(page.text).toContain('Satisfacción y reaperturas');
    expect(page.text).toContain('3,33');
    expect(page.text).toContain('25,0');
    const csv = await adm.get('/indicadores/exportar/satisfaccion').expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toContain('Encuestas');
    expect(lines[1]).toBe('Periodo;Este periodo;5;3;60;3,33;4;1;25');
    expect(lines[2]).toBe('Periodo;Periodo anterior;1;1;100;4;1;0;0');
  });
});
