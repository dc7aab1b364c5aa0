// Working calendar and SLA where people work (issue 16): due dates stored by each step through HTTP, the pause of
// "En espera", the due badges, the indicators agreeing with them, and the "Calendario laboral" admin page.
// America/Bogota is UTC−5 all year; the default calendar is Monday to Friday, 08:00–17:00.
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilters } from '../../src/indicators/schema.js';
import { filterOptions, loadDashboard, queryContext } from '../../src/indicators/service.js';
import { loadActor } from '../../src/auth/actor.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { postForm, signIn } from '../support/http.js';
import { act, snapshot, submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let org: Awaited<ReturnType<typeof makeOrg>>;
let other: Awaited<ReturnType<typeof makeOrg>>;
type Agent = request.Agent;
let employee: Agent, head: Agent, services: Agent, worker: Agent, admin: Agent, otherAdmin: Agent;

/** The app's clock, moved by each test (local Bogotá time + 5 h = UTC). */
let now = new Date('2026-03-13T20:00:00Z');
const at = (iso: string) => (now = new Date(iso));

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  other = await makeOrg(db.prisma);
  await db.prisma.category.update({ where: { id: org.category.id }, data: { responseHours: 4, resolutionHours: 16 } });
  app = buildApp(db, {}, () => now);
  const agents = await Promise.all(
    [org.employee, org.head, org.servicesHead, org.worker, org.admin, other.admin].map((u) => signIn(app, u.email)),
  );
  [employee, head, services, worker, admin, otherAdmin] = agents as [Agent, Agent, Agent, Agent, Agent, Agent];
});
afterAll(() => db.drop());

const addHoliday = (agent: Agent, day: string, name: string) =>
  postForm(agent, '/admin/calendario', '/admin/calendario/festivos', { day, name, anio: day.slice(0, 4) });

describe('due dates through the lifecycle', () => {
  let id: number;
  let own: number;

  it('stores the response due date on authorization, across a weekend and a holiday', async () => {
    // Monday 16 March is a holiday of this company.
    expect((await addHoliday(admin, '2026-03-16', 'Festivo de prueba')).status).toBe(302);
    at('2026-03-13T20:00:00Z'); // Friday 15:00
    id = await submitThroughForm(employee, org);
    expect((await snapshot(db.prisma, id)).responseDueAt).toBeNull();
    expect((await act(head, id, 'authorize', { comment: '' })).status).toBe(302);
    // 4 working hours: Friday 15–17, then (weekend, holiday) Tuesday 08–10.
    expect((await snapshot(db.prisma, id)).responseDueAt).toEqual(new Date('2026-03-17T15:00:00Z'));
    const page = await services.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('data-due="ok"');
  });

  it('stores the resolution due date on approval', async () => {
    at('2026-03-17T14:00:00Z'); // Tuesday 09:00
    const res = await act(services, id, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar grifo' });
    expect(res.status).toBe(302);
    // 16 working hours: Tuesday 09–17 and Wednesday 08–16.
    const r = await snapshot(db.prisma, id);
    expect(r.resolutionDueAt).toEqual(new Date('2026-03-18T21:00:00Z'));
    expect(r.responseDueAt).toEqual(new Date('2026-03-17T15:00:00Z'));
  });

  it('puts it on hold: "En espera" everywhere, nothing moves it on until resumed', async () => {
    at('2026-03-17T16:00:00Z'); // Tuesday 11:00
    const refused = await act(worker, id, 'hold', { reason: 'OTHER', note: '' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Explica el motivo.');
    expect((await act(worker, id, 'hold', { reason: 'PARTS', note: 'Llega el empaque' })).status).toBe(302);
    const r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({ onHoldSince: now, holdReason: 'PARTS', status: 'APPROVED' });
    expect(r.ticket!.status).toBe('ASSIGNED');
    const tray = await services.get('/bandeja?tab=en-atencion').expect(200);
    expect(tray.text).toContain('data-due="hold"');
    expect(tray.text).toContain('En espera');
    const tickets = await worker.get('/mis-tickets').expect(200);
    expect(tickets.text).toContain('data-due="hold"');
    // While on hold the worker cannot start: the request has moved on (refused, back to the request with the reason:
    // 303), and hold again is refused too.
    expect((await act(worker, id, 'start')).status).toBe(303);
    expect((await act(services, id, 'hold', { reason: 'REQUESTER', note: '' })).status).toBe(303);
    const detail = await worker.get(`/solicitudes/${id}`).expect(200);
    expect(detail.text).toContain('data-action="resume"');
    expect(detail.text).not.toContain('data-action="start"');
    expect(detail.text).toContain('la puso en espera (repuestos)');
  });

  it('resumes: the pending due date moves forward by the working time spent on hold', async () => {
    at('2026-03-18T15:00:00Z'); // Wednesday 10:00
    expect((await act(employee, id, 'resume', { comment: '' })).status).toBe(403);
    expect((await act(services, id, 'resume', { comment: 'Llegó el repuesto' })).status).toBe(302);
    // On hold Tuesday 11–17 and Wednesday 08–10: 8 working hours; Wednesday 16:00 + 8 h = Thursday 15:00.
    const r = await snapshot(db.prisma, id);
    expect(r.resolutionDueAt).toEqual(new Date('2026-03-19T20:00:00Z'));
    expect(r.onHoldSince).toBeNull();
    expect(r.events.map((e) => e.action)).toEqual(['SUBMIT', 'AUTHORIZE', 'APPROVE', 'HOLD', 'RESUME']);
    const detail = await worker.get(`/solicitudes/${id}`).expect(200);
    expect(detail.text).toContain('la reanudó (en espera desde');
    expect(detail.text).toContain('data-action="start"');
  });

  it('shows "Vence hoy" on the due day and "Vencida" once past, in every list and on the detail page', async () => {
    at('2026-03-19T15:00:00Z'); // Thursday 10:00
    expect((await services.get('/bandeja?tab=en-atencion').expect(200)).text).toContain('data-due="today"');
    expect((await worker.get('/mis-tickets').expect(200)).text).toContain('data-due="today"');
    at('2026-03-19T21:30:00Z'); // Thursday 16:30, after the due 15:00
    expect((await services.get('/bandeja?tab=en-atencion').expect(200)).text).toContain('data-due="late"');
    expect((await employee.get('/solicitudes').expect(200)).text).toContain('Vencida');
    expect((await worker.get(`/solicitudes/${id}`).expect(200)).text).toContain('data-due="late"');
  });

  it('counts a request finished after its stored due date as breached in the indicators', async () => {
    expect((await act(worker, id, 'start')).status).toBe(302);
    expect((await act(worker, id, 'finish', { resolution: 'Grifo reparado' })).status).toBe(302);
    const actor = (await loadActor(db.prisma, org.admin.id))!;
    const filters = parseFilters({ desde: '2026-03-01', hasta: '2026-03-31' }, now, actor.timezone);
    const ctx = queryContext(actor, filters, now);
    const d = await loadDashboard(db.prisma, ctx, (await filterOptions(db.prisma, actor, ctx.scope)).categories);
    expect(d.summary.current.sla).toEqual({ withTarget: 1, within: 0 });
    expect(d.sla.find((s) => s.id === org.category.id)).toMatchObject({ finalized: 1, within: 0, compliance: 0 });
  });

  it('gives a request authorized on submit (its category needs no authorization) its response due date', async () => {
    at('2026-03-20T13:00:00Z'); // Friday 08:00
    const category = { where: { id: org.category.id } };
    await db.prisma.category.update({ ...category, data: { needsAuthorization: false } });
    own = await submitThroughForm(employee, org, { title: 'Solicitud sin autorización' });
    await db.prisma.category.update({ ...category, data: { needsAuthorization: true } });
    const r = await snapshot(db.prisma, own);
    expect(r.status).toBe('AUTHORIZED');
    expect(r.responseDueAt).toEqual(new Date('2026-03-20T17:00:00Z'));
  });

  it('gives a unit head’s own request no due date until it is authorized (it waits on the parent unit)', async () => {
    const headsOwn = await submitThroughForm(head, org, { title: 'Solicitud propia del jefe' });
    const r = await snapshot(db.prisma, headsOwn);
    expect(r.status).toBe('PENDING');
    expect(r.responseDueAt).toBeNull();
  });

  it('sorts a list by due date', async () => {
    at('2026-03-20T14:00:00Z'); // Friday 09:00: due at 13:00, after the request authorized on submit (12:00)
    const later = await submitThroughForm(employee, org, { title: 'Segunda solicitud con plazo' });
    expect((await act(head, later, 'authorize', { comment: '' })).status).toBe(302);
    const ids = async (path: string) =>
      [...(await services.get(path).expect(200)).text.matchAll(/data-request="(\d+)"/g)].map((m) => Number(m[1]));
    expect(await ids('/bandeja?tab=por-decidir')).toEqual([later, own]);
    expect(await ids('/bandeja?tab=por-decidir&orden=vence')).toEqual([own, later]);
  });
});

describe('Calendario laboral (admin page)', () => {
  it('is for company admins only', async () => {
    expect((await employee.get('/admin/calendario')).status).toBe(403);
    const page = await admin.get('/admin/calendario?anio=2026').expect(200);
    expect(page.text).toContain('Calendario laboral');
    expect(page.text).toContain('Proponer festivos de CO 2026');
  });

  it('validates working days and hours with field messages, keeping the input', async () => {
    const bad = await postForm(admin, '/admin/calendario', '/admin/calendario', {
      workdayStart: '18:00',
      workdayEnd: '09:00',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Elige al menos un día hábil.');
    const badTimes = await admin
      .post('/admin/calendario')
      .type('form')
      .send(
        `workingDays=1&workingDays=2&workdayStart=18%3A00&workdayEnd=09%3A00&_csrf=${encodeURIComponent(
          /name="_csrf" value="([^"]+)"/.exec((await admin.get('/admin/calendario')).text)![1]!,
        )}`,
      );
    expect(badTimes.status).toBe(422);
    expect(badTimes.text).toContain('El fin de la jornada debe ser posterior a su inicio.');
    expect(badTimes.text).toContain('value="18:00"');
    const company = await db.prisma.company.findUniqueOrThrow({ where: { id: org.companyId } });
    expect([company.workingDays, company.workdayStart, company.workdayEnd]).toEqual([[1, 2, 3, 4, 5], 480, 1020]);
  });

  it('saves working days and hours, audited', async () => {
    const page = await admin.get('/admin/calendario');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await admin
      .post('/admin/calendario')
      .type('form')
      .send(
        `workingDays=1&workingDays=2&workingDays=3&workingDays=4&workingDays=5&workingDays=6` +
          `&workdayStart=07%3A30&workdayEnd=16%3A00&_csrf=${encodeURIComponent(token)}`,
      );
    expect(res.status).toBe(302);
    const company = await db.prisma.company.findUniqueOrThrow({ where: { id: org.companyId } });
    expect([company.workingDays, company.workdayStart, company.workdayEnd]).toEqual([[1, 2, 3, 4, 5, 6], 450, 960]);
    const audit = await db.prisma.auditEntry.findFirst({
      where: { companyId: org.companyId, action: 'calendar.updated' },
    });
    expect(audit?.changes).toMatchObject({ workdayStart: [480, 450] });
  });

  it('proposes the country’s public holidays, skipping the ones already there', async () => {
    expect((await addHoliday(admin, '2027-01-01', 'Año nuevo (a mano)')).status).toBe(302);
    const first = await postForm(admin, '/admin/calendario', '/admin/calendario/proponer', { anio: '2027' });
    expect(first.status).toBe(302);
    const days = await db.prisma.holiday.findMany({
      where: { companyId: org.companyId, day: { gte: new Date('2027-01-01'), lt: new Date('2028-01-01') } },
    });
    expect(days.length).toBeGreaterThan(10);
    expect(days.find((h) => h.day.toISOString().startsWith('2027-01-01'))?.name).toBe('Año nuevo (a mano)');
    await postForm(admin, '/admin/calendario', '/admin/calendario/proponer', { anio: '2027' });
    expect(await db.prisma.holiday.count({ where: { companyId: org.companyId } })).toBe(days.length + 1);
    const page = await admin.get('/admin/calendario?anio=2027').expect(200);
    expect(page.text).toContain('Año nuevo (a mano)');
    // In date order, and only that year's.
    const last = days.reduce((a, b) => (a.day > b.day ? a : b));
    expect(page.text.indexOf('Año nuevo (a mano)')).toBeLessThan(page.text.lastIndexOf(last.name));
    expect((await admin.get('/admin/calendario?anio=2028').expect(200)).text).not.toContain('Año nuevo (a mano)');
    expect(await db.prisma.holiday.count({ where: { companyId: other.companyId } })).toBe(0);
  });

  it('refuses a repeated day and an invalid date with field messages', async () => {
    const dup = await addHoliday(admin, '2026-03-16', 'Otra vez');
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('Ese día ya es festivo.');
    expect(dup.text).toContain('value="Otra vez"');
    const bad = await addHoliday(admin, '2026-02-30', 'Nunca');
    expect(bad.status).toBe(422);
  });

  it('deletes only the company’s own holidays: another company’s id is a 404', async () => {
    const mine = await db.prisma.holiday.findFirstOrThrow({ where: { companyId: org.companyId } });
    const res = await postForm(otherAdmin, '/admin/calendario', `/admin/calendario/festivos/${mine.id}/eliminar`, {});
    expect(res.status).toBe(404);
    expect(await db.prisma.holiday.count({ where: { id: mine.id } })).toBe(1);
    const ok = await postForm(admin, '/admin/calendario', `/admin/calendario/festivos/${mine.id}/eliminar`, {});
    expect(ok.status).toBe(302);
    expect(await db.prisma.holiday.count({ where: { id: mine.id } })).toBe(0);
    const audit = await db.prisma.auditEntry.findFirst({
      where: { companyId: org.companyId, action: 'holiday.deleted' },
    });
    expect(audit?.entityId).toBe(mine.id);
  });
});
