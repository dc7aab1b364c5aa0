// The home page as each person's to-do (issue 17): per role, what waits for them (oldest / most overdue first, with
// counts), their open requests with whom they wait on, "Nueva solicitud" first, and the setup checklist of a new
// company's administrator, computed from its data until it is done.
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeCompany, makeOrg, makeUnit, makeUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { act, submitThroughForm } from '../support/requests.js';

type Agent = request.Agent;
let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let org: Awaited<ReturnType<typeof makeOrg>>;
let employee: Agent, head: Agent, services: Agent, worker: Agent, admin: Agent;
let pendingId: number, oldDecisionId: number, newDecisionId: number, ticketId: number;

/** The rows of one to-do list of the page, in order (request ids), and its count. */
function list(html: string, name: string) {
  const start = html.indexOf(`data-todo="${name}"`);
  if (start < 0) return null;
  const section = html.slice(start, html.indexOf('</section>', start));
  return {
    count: Number(/data-count>(\d+)</.exec(section)?.[1]),
    ids: [...section.matchAll(/data-request="(\d+)"/g)].map((m) => Number(m[1])),
    html: section,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  app = buildApp(db);
  await db.prisma.category.update({ where: { id: org.category.id }, data: { responseHours: 4 } });
  [employee, head, services, worker, admin] = (await Promise.all(
    [org.employee, org.head, org.servicesHead, org.worker, org.admin].map((u) => signIn(app, u.email)),
  )) as [Agent, Agent, Agent, Agent, Agent];
  pendingId = await submitThroughForm(employee, org, { title: 'Pendiente de autorizar' });
  oldDecisionId = await submitThroughForm(employee, org, { title: 'Autorizada primero' });
  newDecisionId = await submitThroughForm(employee, org, { title: 'Autorizada después' });
  ticketId = await submitThroughForm(employee, org, { title: 'Con ticket' });
  for (const id of [newDecisionId, oldDecisionId, ticketId]) await act(head, id, 'authorize');
  // The first one is overdue: its response was due yesterday.
  await db.prisma.request.update({
    where: { id: oldDecisionId },
    data: { responseDueAt: new Date(Date.now() - 86_400_000) },
  });
  await act(services, ticketId, 'approve', { workerId: String(org.worker.id), instructions: 'Cambiar el grifo' });
});
afterAll(() => db.drop());

describe('the home page per role', () => {
  it("employee: their open requests with whom they wait on, and 'Nueva solicitud' first", async () => {
    const page = (await employee.get('/').expect(200)).text;
    expect(page).toContain('data-new-request');
    expect(page.indexOf('data-new-request')).toBeLessThan(page.indexOf('data-todo='));
    const mine = list(page, 'mine')!;
    expect(mine.count).toBe(4);
    expect(mine.ids).toEqual([ticketId, newDecisionId, oldDecisionId, pendingId]);
    expect(mine.html).toContain(`Esperando a: ${org.head.name}`);
    expect(mine.html).toContain(`Esperando a: ${org.servicesHead.name}`);
    expect(mine.html).toContain(`Esperando a: ${org.worker.name}`);
    for (const other of ['authorize', 'decide', 'tickets']) expect(list(page, other)).toBeNull();
    expect(page).not.toContain('data-setup-checklist');
  });

  it('unit head: the requests awaiting their authorization', async () => {
    const page = (await head.get('/').expect(200)).text;
    const toAuthorize = list(page, 'authorize')!;
    expect(toAuthorize).toMatchObject({ count: 1, ids: [pendingId] });
    expect(list(page, 'decide')).toBeNull();
  });

  it('services head: authorized requests of their area, most overdue first, with due badges', async () => {
    const page = (await services.get('/').expect(200)).text;
    const decide = list(page, 'decide')!;
    expect(decide).toMatchObject({ count: 2, ids: [oldDecisionId, newDecisionId] });
    expect(decide.html).toContain('data-due="late"');
    expect(list(page, 'authorize')).toBeNull();
  });

  it('worker: their open tickets', async () => {
    const page = (await worker.get('/').expect(200)).text;
    expect(list(page, 'tickets')).toMatchObject({ count: 1, ids: [ticketId] });
  });

  it('substitute: the absent head’s inbox, marked as such', async () => {
    const sub = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id, name: 'Suplente' });
    const day = new Date(new Date().toISOString().slice(0, 10));
    await db.prisma.absence.create({
      data: {
        companyId: org.companyId,
        userId: org.head.id,
        substituteId: sub.id,
        startsOn: new Date(day.getTime() - 86_400_000),
        endsOn: new Date(day.getTime() + 86_400_000),
        createdById: org.admin.id,
      },
    });
    const page = (await (await signIn(app, sub.email)).get('/').expect(200)).text;
    const toAuthorize = list(page, 'authorize')!;
    expect(toAuthorize.ids).toEqual([pendingId]);
    expect(toAuthorize.html).toContain(`en reemplazo de ${org.head.name}`);
    await db.prisma.absence.deleteMany({ where: { companyId: org.companyId } });
  });

  it("admin: what keeps requests from moving; the checklist while the company's setup is not done", async () => {
    let page = (await admin.get('/').expect(200)).text;
    // makeOrg's company has units with heads and people, but nobody reviewed categories or channels.
    expect(page).toContain('data-setup-checklist');
    expect(page).toContain('data-setup-item="units" data-done="true"');
    expect(page).toContain('data-setup-item="categories" data-done="false"');
    await db.prisma.company.update({ where: { id: org.companyId }, data: { setupDoneAt: new Date() } });
    page = (await admin.get('/').expect(200)).text;
    expect(page).not.toContain('data-setup-checklist');
    expect(list(page, 'authorize')).toMatchObject({ count: 0 });
  });

  it("admin: units whose head left and people without a unit, the company's own only", async () => {
    const c = org.companyId;
    const gone = await makeUser(db.prisma, c, { name: 'Jefe Retirado' });
    const orphan = await makeUnit(db.prisma, c, { name: 'Archivo Central', headId: gone.id });
    await db.prisma.user.update({ where: { id: gone.id }, data: { active: false } });
    await makeUser(db.prisma, c, { name: 'Persona Sin Unidad' });
    const other = await makeOrg(db.prisma);
    await makeUnit(db.prisma, other.companyId, { name: 'Unidad Ajena Sin Jefe' });
    await makeUser(db.prisma, other.companyId, { name: 'Ajena Sin Unidad' });
    const page = (await admin.get('/').expect(200)).text;
    expect(page).toContain(`href="/admin/unidades/${orphan.id}">Archivo Central</a>`);
    expect(page).toContain('Persona Sin Unidad');
    expect(page).not.toContain('Unidad Ajena Sin Jefe');
    expect(page).not.toContain('Ajena Sin Unidad');
  });
});

describe("a new company's administrator", () => {
  it('gets the setup checklist until the data says it is done, then never again', async () => {
    const company = await makeCompany(db.prisma);
    const c = company.id;
    const area = await makeUnit(db.prisma, c, { kind: 'SERVICE_AREA', name: 'Servicios Generales' });
    const owner = await makeUser(db.prisma, c, { unitId: area.id, isCompanyAdmin: true, name: 'Dueña' });
    await db.prisma.unit.update({ where: { id: area.id }, data: { headId: owner.id } });
    await db.prisma.category.create({ data: { companyId: c, serviceAreaId: area.id, name: 'Mantenimiento' } });
    const agent = await signIn(app, owner.email);
    const items = async () => {
      const page = (await agent.get('/').expect(200)).text;
      if (!page.includes('data-setup-checklist')) return null;
      return Object.fromEntries(
        [...page.matchAll(/data-setup-item="(\w+)" data-done="(true|false)"/g)].map((m) => [m[1], m[2] === 'true']),
      );
    };
    expect(await items()).toEqual({ units: false, people: false, categories: false, channels: false });

    // A unit without a head is not done yet; with one, it is.
    const unit = await makeUnit(db.prisma, c, { name: 'Contabilidad' });
    expect((await items())!.units).toBe(false);
    const boss = await makeUser(db.prisma, c, { unitId: unit.id, name: 'Jefe Contable' });
    await db.prisma.unit.update({ where: { id: unit.id }, data: { headId: boss.id } });
    expect(await items()).toEqual({ units: true, people: true, categories: false, channels: false });

    // Categories reviewed (an administrator saved one) and channels saved: done, recorded once.
    await db.prisma.auditEntry.create({
      data: {
        companyId: c,
        actorId: owner.id,
        actorEmail: owner.email,
        action: 'category.updated',
        entityType: 'category',
        summary: 'Mantenimiento',
      },
    });
    expect((await items())!.categories).toBe(true);
    await db.prisma.companyNotificationSettings.create({ data: { companyId: c } });
    expect(await items()).toBeNull();
    const done = (await db.prisma.company.findUniqueOrThrow({ where: { id: c } })).setupDoneAt;
    expect(done).not.toBeNull();
    // Once done it stays done (a unit losing its head is the problems list's business, not the checklist's).
    await db.prisma.unit.update({ where: { id: unit.id }, data: { headId: null } });
    expect(await items()).toBeNull();
    expect((await db.prisma.company.findUniqueOrThrow({ where: { id: c } })).setupDoneAt).toEqual(done);
  });
});
