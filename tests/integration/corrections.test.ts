// Corrections, the requester's edit, followers and the requester's contact (issue 17), over HTTP on the real
// database: re-routing with tenancy, edits only by the requester while pending, followers' visibility (never
// internal notes) and notifications.
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { buildApp } from '../support/app.js';
import type { TestDatabase } from '../support/database.js';
import { makeOrg, makeUnit, makeUser } from '../support/factories.js';
import { png } from '../support/files.js';
import { postForm, postMultipart, signIn } from '../support/http.js';
import { notificationBench, runJobs } from '../support/notifications.js';
import { act, snapshot, submitThroughForm } from '../support/requests.js';

type Agent = request.Agent;
let bench: Awaited<ReturnType<typeof notificationBench>>;
let db: TestDatabase & { drop(): Promise<void> };
let config: Config;
let org: Awaited<ReturnType<typeof makeOrg>>;
let other: Awaited<ReturnType<typeof makeOrg>>;
let app: ReturnType<typeof buildApp>;
let employee: Agent, head: Agent, services: Agent, worker: Agent, worker2: Agent, services2: Agent;
let area2: { id: number };
let category2: { id: number; name: string };
let category3: { id: number };
let colleague: { id: number; email: string };
let follower: Agent;
let head2: { id: number; email: string };
const head2Id = () => head2.id;

beforeAll(async () => {
  bench = await notificationBench();
  ({ db, org, config } = bench);
  other = await makeOrg(db.prisma);
  app = buildApp(db, bench.env);
  const c = org.companyId;
  await db.prisma.category.update({ where: { id: org.category.id }, data: { responseHours: 4 } });
  area2 = await makeUnit(db.prisma, c, { kind: 'SERVICE_AREA', name: 'Tecnología' });
  head2 = await makeUser(db.prisma, c, { unitId: area2.id, name: 'Jefa TI' });
  await db.prisma.unit.update({ where: { id: area2.id }, data: { headId: head2.id } });
  category2 = await db.prisma.category.create({
    data: { companyId: c, serviceAreaId: area2.id, name: 'Redes', responseHours: 8, resolutionHours: 24 },
  });
  category3 = await db.prisma.category.create({
    data: { companyId: c, serviceAreaId: org.area.id, name: 'Electricidad', responseHours: 2, resolutionHours: 8 },
  });
  colleague = await makeUser(db.prisma, c, { unitId: org.unit.id, name: 'Colega Seguidora' });
  await db.prisma.user.update({
    where: { id: org.employee.id },
    data: { phone: '+573001234567', phoneVerifiedAt: new Date() },
  });
  [employee, head, services, worker, worker2, services2, follower] = (await Promise.all(
    [org.employee, org.head, org.servicesHead, org.worker, org.worker2, head2, colleague].map((u) =>
      signIn(app, u.email),
    ),
  )) as [Agent, Agent, Agent, Agent, Agent, Agent, Agent];
});
afterAll(() => bench.close());

async function authorized() {
  const id = await submitThroughForm(employee, org);
  expect((await act(head, id, 'authorize')).status).toBe(302);
  return id;
}

const reroute = (agent: Agent, id: number, fields: Record<string, string>) =>
  postForm(agent, `/solicitudes/${id}`, `/solicitudes/${id}/enviar-area`, {
    reason: 'Es un tema de la red',
    ...fields,
  });

describe('sending a request to another area', () => {
  it('moves an authorized request to another area, recomputing its due date, and tells the new head', async () => {
    const id = await authorized();
    const before = await snapshot(db.prisma, id);
    expect(before.responseDueAt).not.toBeNull();
    const page = await services.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('data-form="reroute"');
    // The other area's categories are offered (read in the detail's statement), by area.
    expect(page.text).toContain(`<option value="${category2.id}" data-area="${area2.id}">Tecnología · Redes</option>`);

    const res = await reroute(services, id, { categoryId: String(category2.id) });
    expect(res.status, /invalid-feedback[^>]*>([^<]*)/.exec(res.text)?.[1]).toBe(302);
    const after = await snapshot(db.prisma, id);
    expect(after).toMatchObject({ status: 'AUTHORIZED', serviceAreaId: area2.id, categoryId: category2.id });
    // 8 working hours instead of 4, from the same authorization.
    expect(after.responseDueAt!.getTime()).toBeGreaterThan(before.responseDueAt!.getTime());
    const event = after.events.at(-1)!;
    expect(event).toMatchObject({ action: 'TRANSFER', actorId: org.servicesHead.id, comment: 'Es un tema de la red' });
    expect(event.data).toMatchObject({
      changes: { area: { from: org.area.name, to: 'Tecnología' }, category: { from: org.category.name, to: 'Redes' } },
    });

    // In the new area's inbox; the previous head no longer sees it.
    expect((await services2.get('/bandeja').expect(200)).text).toContain(`/solicitudes/${id}`);
    await services.get(`/solicitudes/${id}`).expect(404);
    const detail = await services2.get(`/solicitudes/${id}`).expect(200);
    expect(detail.text).toContain('data-event="TRANSFER"');
    expect(detail.text).toContain('data-change="area"');

    await runJobs(db, config);
    const told = await db.prisma.notification.findMany({
      where: { requestId: id, kind: 'transferred', channel: 'EMAIL' },
      select: { recipientId: true, role: true },
    });
    // The head who sent it is not told of their own act.
    expect(told).toEqual([{ recipientId: head2Id(), role: 'servicesHead' }]);
  });

  it('tells both heads when a substitute sends it (the absent head hears it left their area)', async () => {
    const id = await authorized();
    const today = new Date(new Date().toISOString().slice(0, 10));
    await db.prisma.absence.create({
      data: {
        companyId: org.companyId,
        userId: org.servicesHead.id,
        substituteId: org.worker2.id,
        startsOn: new Date(today.getTime() - 86_400_000),
        endsOn: new Date(today.getTime() + 86_400_000),
        createdById: org.admin.id,
      },
    });
    try {
      const res = await reroute(worker2, id, { categoryId: String(category2.id) });
      expect(res.status).toBe(302);
      const event = (await snapshot(db.prisma, id)).events.at(-1)!;
      expect(event).toMatchObject({ action: 'TRANSFER', actorId: org.worker2.id, onBehalfOfId: org.servicesHead.id });
      await runJobs(db, config);
      const told = await db.prisma.notification.findMany({
        where: { requestId: id, kind: 'transferred', channel: 'EMAIL' },
        select: { recipientId: true, role: true },
        orderBy: { recipientId: 'asc' },
      });
      expect(told).toEqual(
        expect.arrayContaining([
          { recipientId: head2Id(), role: 'servicesHead' },
          { recipientId: org.servicesHead.id, role: 'previousServicesHead' },
        ]),
      );
    } finally {
      await db.prisma.absence.deleteMany({ where: { companyId: org.companyId } });
    }
  });

  it("answers 404 for another company's area or category, 422 for its own area, 403 to others", async () => {
    const id = await authorized();
    expect(
      (await reroute(services, id, { serviceAreaId: String(other.area.id), categoryId: String(other.category.id) }))
        .status,
    ).toBe(404);
    expect((await reroute(services, id, { categoryId: String(other.category.id) })).status).toBe(404);
    expect(
      (await reroute(services, id, { serviceAreaId: String(other.area.id), categoryId: String(category2.id) })).status,
    ).toBe(404);
    expect((await reroute(services, id, { categoryId: String(category3.id) })).status).toBe(422);
    expect((await reroute(employee, id, { categoryId: String(category2.id) })).status).toBe(403);
    expect((await reroute(head, id, { categoryId: String(category2.id) })).status).toBe(403);
    const r = await snapshot(db.prisma, id);
    expect(r.serviceAreaId).toBe(org.area.id);
    expect(r.events.some((e) => e.action === 'TRANSFER')).toBe(false);
  });

  it('is answered with who decided it (303 to the request) once it was decided', async () => {
    const id = await authorized();
    await act(services, id, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar la red' });
    const res = await reroute(services, id, { categoryId: String(category2.id) });
    expect(res.status).toBe(303);
    expect((await services.get(res.headers.location!).expect(200)).text).toContain('aprobada');
  });
});

describe('correcting category and priority', () => {
  it('recomputes the resolution due date of an approved request and records old → new', async () => {
    const id = await authorized();
    await act(services, id, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar el tablero' });
    const before = await snapshot(db.prisma, id);
    const res = await postForm(services, `/solicitudes/${id}`, `/solicitudes/${id}/corregir`, {
      categoryId: String(category3.id),
      priority: 'URGENT',
      reason: '',
    });
    expect(res.status, res.text.slice(0, 300)).toBe(302);
    const after = await snapshot(db.prisma, id);
    expect(after).toMatchObject({ categoryId: category3.id, priority: 'URGENT', status: 'APPROVED' });
    // 8 working hours instead of 48, from the same approval.
    expect(after.resolutionDueAt!.getTime()).toBeLessThan(before.resolutionDueAt!.getTime());
    expect(after.events.at(-1)).toMatchObject({
      action: 'CORRECT',
      data: { changes: { category: { to: 'Electricidad' }, priority: { from: 'HIGH', to: 'URGENT' } } },
    });
    // A category of another area is not a correction; another company's is a 404.
    const wrong = await postForm(services, `/solicitudes/${id}`, `/solicitudes/${id}/corregir`, {
      categoryId: String(category2.id),
      priority: 'LOW',
    });
    expect(wrong.status).toBe(422);
    const foreign = await postForm(services, `/solicitudes/${id}`, `/solicitudes/${id}/corregir`, {
      categoryId: String(other.category.id),
      priority: 'LOW',
    });
    expect(foreign.status).toBe(404);
    expect(
      (
        await postForm(worker, `/solicitudes/${id}`, `/solicitudes/${id}/corregir`, {
          categoryId: String(org.category.id),
          priority: 'LOW',
        })
      ).status,
    ).toBe(403);
  });
});

describe("the requester's edit", () => {
  const edit = async (
    agent: Agent,
    id: number,
    fields: Record<string, string>,
    files = [] as { name: string; data: Buffer }[],
  ) => {
    const form = await agent.get(`/solicitudes/${id}/editar`);
    const version = /name="version" value="([^"]+)"/.exec(form.text)?.[1] ?? new Date().toISOString();
    return postMultipart(
      agent,
      `/solicitudes/${id}`,
      `/solicitudes/${id}/editar`,
      {
        title: 'Fuga de agua en el baño',
        description: 'El lavamanos gotea desde ayer y moja el piso.',
        location: 'Piso 2',
        version,
        ...fields,
      },
      files,
    );
  };

  it('changes the texts and adds files while pending; the history shows old → new', async () => {
    const id = await submitThroughForm(employee, org);
    expect((await employee.get(`/solicitudes/${id}`).expect(200)).text).toContain('data-edit-link');
    const res = await edit(employee, id, { title: 'Fuga de agua en el baño del piso 3', location: 'Piso 3' }, [
      { name: 'foto.png', data: png() },
    ]);
    expect(res.status, res.text.slice(0, 300)).toBe(302);
    const r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({ title: 'Fuga de agua en el baño del piso 3', location: 'Piso 3', status: 'PENDING' });
    expect(r.events.at(-1)).toMatchObject({
      action: 'EDIT',
      data: {
        changes: {
          title: { from: 'Fuga de agua en el baño', to: 'Fuga de agua en el baño del piso 3' },
          location: { from: 'Piso 2', to: 'Piso 3' },
        },
        files: ['foto.png'],
      },
    });
    expect((r.events.at(-1)!.data as { changes: object }).changes).not.toHaveProperty('description');
    expect(await db.prisma.attachment.count({ where: { requestId: id, fileName: 'foto.png' } })).toBe(1);
    const page = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('data-change="title"');
  });

  it('is refused to anyone but the requester (403), and after a decision or a concurrent edit (303, why)', async () => {
    const id = await submitThroughForm(employee, org);
    await head.get(`/solicitudes/${id}/editar`).expect(403);
    expect((await edit(head, id, { title: 'Cambiado por el jefe' })).status).toBe(403);
    // A stale form: the request was edited meanwhile.
    const stale = await postMultipart(employee, `/solicitudes/${id}`, `/solicitudes/${id}/editar`, {
      title: 'Título de otra pestaña',
      description: 'El lavamanos gotea desde ayer y moja el piso.',
      version: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(stale.status).toBe(303);
    await act(head, id, 'authorize');
    expect((await employee.get(`/solicitudes/${id}`)).text).not.toContain('data-edit-link');
    const late = await edit(employee, id, { title: 'Demasiado tarde para editar' });
    expect(late.status).toBe(303);
    expect((await employee.get(late.headers.location!).expect(200)).text).toMatch(/autorizada|authorized/);
    expect((await snapshot(db.prisma, id)).title).toBe('Fuga de agua en el baño');
  });
});

describe('followers', () => {
  const addFollower = (agent: Agent, id: number, email: string) =>
    postForm(agent, `/solicitudes/${id}`, `/solicitudes/${id}/seguidores`, { email });

  it('see the request and comment, never internal notes, and hear of it; then stop following', async () => {
    const id = await submitThroughForm(employee, org);
    await follower.get(`/solicitudes/${id}`).expect(404);
    expect((await addFollower(employee, id, colleague.email)).status).toBe(302);
    expect((await addFollower(employee, id, other.employee.email)).status).toBe(422);
    expect((await addFollower(employee, id, 'nadie@prueba.test')).status).toBe(422);
    expect((await addFollower(employee, id, org.employee.email)).status).toBe(422);

    await act(head, id, 'authorize');
    const note = 'Nota interna: presupuesto aparte';
    await postMultipart(services, `/solicitudes/${id}`, `/solicitudes/${id}/comentarios`, {
      body: note,
      internal: '1',
    });
    await postMultipart(services, `/solicitudes/${id}`, `/solicitudes/${id}/comentarios`, { body: 'Vamos a revisar' });

    const page = await follower.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('Vamos a revisar');
    expect(page.text).not.toContain(note);
    expect(page.text).not.toContain('data-internal');
    expect(page.text).not.toContain('data-requester-contact');
    expect((await follower.get('/siguiendo').expect(200)).text).toContain(`/solicitudes/${id}`);
    expect((await follower.get('/').expect(200)).text).toContain('data-todo="following"');
    const said = await postMultipart(follower, `/solicitudes/${id}`, `/solicitudes/${id}/comentarios`, {
      body: 'Yo también lo vi',
    });
    expect(said.status).toBe(302);
    // A follower who is also staff of the area (but not on the ticket) still sees no internal note.
    expect((await addFollower(follower, id, org.worker2.email)).status).toBe(302);
    const staff = await worker2.get(`/solicitudes/${id}`).expect(200);
    expect(staff.text).not.toContain(note);
    expect(staff.text).toContain('Vamos a revisar');

    await runJobs(db, config);
    const toFollower = await db.prisma.notification.findMany({
      where: { requestId: id, recipientId: colleague.id, channel: 'EMAIL' },
      select: { kind: true, role: true },
    });
    expect(toFollower).toEqual(
      expect.arrayContaining([
        { kind: 'authorized', role: 'follower' },
        { kind: 'comment', role: 'follower' },
      ]),
    );
    expect(toFollower.some((n) => n.kind === 'note')).toBe(false);
    // By their preferences: a follower who turned comment emails off gets none.
    await db.prisma.notificationPreference.create({
      data: { companyId: org.companyId, userId: colleague.id, kind: 'comment', channel: 'EMAIL', enabled: false },
    });
    await postMultipart(services, `/solicitudes/${id}`, `/solicitudes/${id}/comentarios`, { body: 'Otro avance' });
    await runJobs(db, config);
    expect(
      await db.prisma.notification.count({ where: { requestId: id, recipientId: colleague.id, kind: 'comment' } }),
    ).toBe(1);

    const stop = await postForm(
      follower,
      `/solicitudes/${id}`,
      `/solicitudes/${id}/seguidores/${colleague.id}/quitar`,
      {},
    );
    expect(stop.status).toBe(302);
    await follower.get(`/solicitudes/${id}`).expect(404);
  });

  it("cannot be added to another company's request, nor by someone who does not see it", async () => {
    const id = await submitThroughForm(employee, org);
    expect((await addFollower(follower, id, colleague.email)).status).toBe(404);
    const foreign = await signIn(app, other.employee.email);
    expect((await postForm(foreign, '/', `/solicitudes/${id}/seguidores`, { email: other.head.email })).status).toBe(
      404,
    );
    expect(await db.prisma.requestFollower.count({ where: { requestId: id } })).toBe(0);
  });

  it('"Siguiendo" lists the most recently followed first, 20 a page, and only the person\'s own', async () => {
    const reader = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const ids: number[] = [];
    for (let i = 0; i < 22; i++) ids.push(await submitThroughForm(employee, org, { title: `Seguida número ${i}` }));
    // Followed in the order submitted, a minute apart: the last one is the most recent.
    await db.pool.query(
      `INSERT INTO request_followers (company_id, request_id, user_id, added_by_id, created_at)
       SELECT $1, id, $2, $2, now() - (100 - n) * interval '1 minute'
         FROM unnest($3::int[]) WITH ORDINALITY AS t(id, n)`,
      [org.companyId, reader.id, ids],
    );
    const agent = await signIn(app, reader.email);
    const titles = (html: string) => [...html.matchAll(/Seguida número (\d+)</g)].map((m) => Number(m[1]));
    const first = (await agent.get('/siguiendo').expect(200)).text;
    expect(first).toContain('22 en total');
    expect(titles(first)).toEqual(Array.from({ length: 20 }, (_, i) => 21 - i));
    expect(titles((await agent.get('/siguiendo?page=2').expect(200)).text)).toEqual([1, 0]);
    expect(titles((await agent.get('/siguiendo?page=9').expect(200)).text)).toEqual([1, 0]);
    const someoneElse = await signIn(app, colleague.email);
    expect(titles((await someoneElse.get('/siguiendo').expect(200)).text)).toEqual([]);
  });
});

describe("the requester's contact", () => {
  it('is on the ticket for the worker, with call and WhatsApp links; not for the requester', async () => {
    const id = await authorized();
    await act(services, id, 'approve', { workerId: String(org.worker.id), instructions: 'Ir al piso 2' });
    const page = await worker.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('data-requester-contact');
    expect(page.text).toContain(`mailto:${org.employee.email}`);
    expect(page.text).toContain('href="tel:+573001234567"');
    expect(page.text).toContain('href="https://wa.me/573001234567"');
    expect((await employee.get(`/solicitudes/${id}`).expect(200)).text).not.toContain('data-requester-contact');
  });
});
