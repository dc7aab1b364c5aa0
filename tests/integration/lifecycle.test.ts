import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, makeUser } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';
import { act, snapshot, submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let org: Awaited<ReturnType<typeof makeOrg>>;
type Agent = Awaited<ReturnType<typeof signIn>>;
let employee: Agent, head: Agent, services: Agent, worker: Agent, worker2: Agent, admin: Agent;

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  app = buildApp(db);
  const agents = await Promise.all(
    [org.employee, org.head, org.servicesHead, org.worker, org.worker2, org.admin].map((u) => signIn(app, u.email)),
  );
  [employee, head, services, worker, worker2, admin] = agents as [Agent, Agent, Agent, Agent, Agent, Agent];
});
afterAll(() => db.drop());

describe('the whole path', () => {
  it('employee submits, unit head authorizes, services head approves, worker starts and finishes', async () => {
    const id = await submitThroughForm(employee, org);
    let r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({
      status: 'PENDING',
      requesterId: org.employee.id,
      requesterUnitId: org.unit.id,
      priority: 'HIGH',
      location: 'Piso 2',
    });
    const detail = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(detail.text).toContain(`SOL-${String(r.number).padStart(6, '0')}`);
    expect(detail.text).toContain('Pendiente');

    expect((await act(head, id, 'authorize', { comment: 'Adelante' })).status).toBe(302);
    r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({ status: 'AUTHORIZED', authorizedById: org.head.id });

    expect(
      (
        await act(services, id, 'approve', {
          workerId: String(org.worker.id),
          instructions: 'Cambiar el empaque del grifo',
        })
      ).status,
    ).toBe(302);
    r = await snapshot(db.prisma, id);
    expect(r.status).toBe('APPROVED');
    expect(r.ticket).toMatchObject({
      status: 'ASSIGNED',
      workerId: org.worker.id,
      assignedById: org.servicesHead.id,
      instructions: 'Cambiar el empaque del grifo',
    });
    expect(r.ticket!.assignedAt).toBeInstanceOf(Date);

    const tray = await worker.get('/mis-tickets').expect(200);
    expect(tray.text).toContain('Cambiar el empaque del grifo');

    expect((await act(worker, id, 'start')).status).toBe(302);
    expect((await snapshot(db.prisma, id)).ticket).toMatchObject({ status: 'IN_PROGRESS' });

    expect((await act(worker, id, 'finish', { resolution: 'Empaque cambiado, sin fugas' })).status).toBe(302);
    r = await snapshot(db.prisma, id);
    expect(r.status).toBe('FINALIZED');
    expect(r.finalizedAt).toBeInstanceOf(Date);
    expect(r.ticket).toMatchObject({ status: 'DONE', resolution: 'Empaque cambiado, sin fugas' });
    expect(r.events.map((e) => e.action)).toEqual(['SUBMIT', 'AUTHORIZE', 'APPROVE', 'START', 'FINISH']);
    expect(r.events.map((e) => e.toStatus)).toEqual(['PENDING', 'AUTHORIZED', 'APPROVED', 'APPROVED', 'FINALIZED']);

    const page = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('Finalizada');
    expect(page.text).toContain('finalizó el ticket');
    expect(page.text).toContain('Empaque cambiado, sin fugas');
  });

  it('numbers requests and tickets per company in sequence', async () => {
    const a = await submitThroughForm(employee, org);
    const b = await submitThroughForm(employee, org);
    const [ra, rb] = [await snapshot(db.prisma, a), await snapshot(db.prisma, b)];
    expect(rb.number).toBe(ra.number + 1);
  });

  it('sends a unit head’s own request up the chain: at the top, to the administrators (issue 16)', async () => {
    const id = await submitThroughForm(head, org);
    const r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({ status: 'PENDING', authorizerUnitId: null, awaitingAdmins: true });
    expect(r.events.map((e) => e.action)).toEqual(['SUBMIT']);
    const page = await head.get(`/solicitudes/${id}`);
    expect(page.text).toContain('Esperando a: los administradores');
    expect((await act(head, id, 'authorize')).status).toBe(403);
    expect((await admin.get('/autorizaciones')).text).toContain(`data-request="${id}"`);
    expect((await act(admin, id, 'authorize')).status).toBe(302);
    expect(await snapshot(db.prisma, id)).toMatchObject({ status: 'AUTHORIZED', authorizedById: org.admin.id });
  });
});

describe('rejections, cancellation and reassignment', () => {
  it('rejects at the unit with a required reason', async () => {
    const id = await submitThroughForm(employee, org);
    const missing = await act(head, id, 'reject', { reason: '' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Escribe al menos 5 caracteres.');
    expect((await snapshot(db.prisma, id)).status).toBe('PENDING');
    expect((await act(head, id, 'reject', { reason: 'No es prioritario' })).status).toBe(302);
    expect(await snapshot(db.prisma, id)).toMatchObject({
      status: 'REJECTED',
      rejectionStage: 'UNIT',
      rejectionReason: 'No es prioritario',
      rejectedById: org.head.id,
    });
  });

  it('rejects at services with a reason', async () => {
    const id = await submitThroughForm(employee, org);
    await act(head, id, 'authorize');
    expect((await act(services, id, 'reject', { reason: 'Sin presupuesto este mes' })).status).toBe(302);
    expect(await snapshot(db.prisma, id)).toMatchObject({
      status: 'REJECTED',
      rejectionStage: 'SERVICES',
      rejectedById: org.servicesHead.id,
    });
  });

  it('lets the requester cancel while pending or authorized, and then nobody can decide it', async () => {
    const id = await submitThroughForm(employee, org);
    expect((await act(employee, id, 'cancel', { reason: 'Ya se arregló solo' })).status).toBe(302);
    expect(await snapshot(db.prisma, id)).toMatchObject({ status: 'CANCELLED', cancelReason: 'Ya se arregló solo' });
    // Someone acted first: Post/Redirect/Get to the request, the explanation in a flash (F5 posts nothing again).
    const late = await act(head, id, 'authorize');
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe(`/solicitudes/${id}`);
    const explained = await head.get(late.headers.location!).expect(200);
    expect(explained.text).toContain('Alguien actuó primero');
    expect(explained.text).toMatch(/ya fue cancelada el [^<]* por Empleado Uno\. Tu acción no se aplicó\./);
    expect(explained.text).not.toMatch(/\.\. /);

    const id2 = await submitThroughForm(employee, org);
    await act(head, id2, 'authorize');
    expect((await act(employee, id2, 'cancel', { reason: 'Cambio de planes' })).status).toBe(302);
    expect((await snapshot(db.prisma, id2)).status).toBe('CANCELLED');
  });

  it('reassigns a ticket to another worker, who then works it', async () => {
    const id = await submitThroughForm(employee, org);
    await act(head, id, 'authorize');
    await act(services, id, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar el tablero' });
    const same = await act(services, id, 'reassign', { workerId: String(org.worker.id) });
    expect(same.status).toBe(422);
    expect(
      (await act(services, id, 'reassign', { workerId: String(org.worker2.id), comment: 'Pedro está de vacaciones' }))
        .status,
    ).toBe(302);
    const r = await snapshot(db.prisma, id);
    expect(r.ticket!.workerId).toBe(org.worker2.id);
    expect(r.events.at(-1)).toMatchObject({
      action: 'REASSIGN',
      data: { workerId: org.worker2.id, previousWorkerId: org.worker.id },
    });
    // The former worker no longer sees it; the new one starts it.
    await worker.get(`/solicitudes/${id}`).expect(404);
    expect((await act(worker2, id, 'start')).status).toBe(302);
    const page = await services.get(`/solicitudes/${id}`);
    expect(page.text).toContain('reasignó el ticket de Trabajador Uno a Trabajador Dos');
  });

  it('refuses to assign a deactivated worker or someone who is not a worker of the area', async () => {
    const inactive = await makeUser(db.prisma, org.companyId, { unitId: org.area.id, isWorker: true, active: false });
    const id = await submitThroughForm(employee, org);
    await act(head, id, 'authorize');
    for (const workerId of [inactive.id, org.employee.id]) {
      const res = await act(services, id, 'approve', { workerId: String(workerId), instructions: 'Hacer el trabajo' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Elige un trabajador activo de esta área de servicio.');
    }
    expect(await snapshot(db.prisma, id)).toMatchObject({ status: 'AUTHORIZED', ticket: null });
    // The picker does not offer the deactivated worker, and shows the load of the others.
    const page = await services.get(`/solicitudes/${id}`);
    expect(page.text).not.toContain(inactive.name);
    expect(page.text).toMatch(/Trabajador Uno — \d+ abiertos/);
  });
});

describe('who may do what', () => {
  it('answers 403 with a Spanish explanation when the role does not allow the action', async () => {
    const id = await submitThroughForm(employee, org);
    const res = await act(employee, id, 'authorize');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Solo el jefe de la unidad del solicitante puede autorizar esta solicitud.');
    const adminTry = await act(admin, id, 'authorize');
    expect(adminTry.status).toBe(403);
    expect((await snapshot(db.prisma, id)).status).toBe('PENDING');
  });

  it('lets the company admin read every request but act on none', async () => {
    const id = await submitThroughForm(employee, org);
    const page = await admin.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('No tienes acciones pendientes');
    const list = await admin.get('/empresa/solicitudes').expect(200);
    expect(list.text).toContain(`/solicitudes/${id}`);
  });

  it('does not let a worker finish or start another worker’s ticket', async () => {
    const id = await submitThroughForm(employee, org);
    await act(head, id, 'authorize');
    await act(services, id, 'approve', { workerId: String(org.worker.id), instructions: 'Cambiar lámpara' });
    await act(worker, id, 'start');
    for (const action of ['finish', 'start']) {
      const res = await act(worker2, id, action, { resolution: 'Listo' });
      expect(res.status).toBe(404);
    }
    expect((await snapshot(db.prisma, id)).ticket).toMatchObject({ status: 'IN_PROGRESS', workerId: org.worker.id });
  });

  it('shows a unit head only the requests of the units they head', async () => {
    const otherUnit = await db.prisma.unit.create({ data: { companyId: org.companyId, name: `Otra ${Date.now()}` } });
    const otherHead = await makeUser(db.prisma, org.companyId, { unitId: otherUnit.id, name: 'Jefe Otra Unidad' });
    await db.prisma.unit.update({ where: { id: otherUnit.id }, data: { headId: otherHead.id } });
    const otherAgent = await signIn(app, otherHead.email);
    const id = await submitThroughForm(employee, org, { title: 'Solicitud de la unidad uno' });
    const mine = await head.get('/autorizaciones').expect(200);
    expect(mine.text).toContain('Solicitud de la unidad uno');
    const theirs = await otherAgent.get('/autorizaciones?tab=todas').expect(200);
    expect(theirs.text).not.toContain('Solicitud de la unidad uno');
    await otherAgent.get(`/solicitudes/${id}`).expect(404);
    expect((await act(otherAgent, id, 'authorize')).status).toBe(404);
    expect((await snapshot(db.prisma, id)).status).toBe('PENDING');
  });

  it('keeps role trays closed to other roles (Spanish 403)', async () => {
    const res = await employee.get('/bandeja');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Acceso denegado');
    await employee.get('/autorizaciones').expect(403);
    await employee.get('/mis-tickets').expect(403);
    await employee.get('/tickets').expect(403);
    await employee.get('/empresa/solicitudes').expect(403);
  });
});

describe('concurrency', () => {
  it('two simultaneous approvals create exactly one ticket; the loser learns who decided', async () => {
    const id = await submitThroughForm(employee, org);
    await act(head, id, 'authorize');
    const second = await signIn(app, org.servicesHead.email);
    // Both forms are loaded before either is sent, as in two browsers.
    const [p1, p2] = await Promise.all([services.get(`/solicitudes/${id}`), second.get(`/solicitudes/${id}`)]);
    const send = (agent: Agent, page: string, workerId: number) =>
      agent
        .post(`/solicitudes/${id}/approve`)
        .type('form')
        .send({ _csrf: csrfFrom(page), workerId: String(workerId), instructions: 'Atender ya' });
    const results = await Promise.all([send(services, p1.text, org.worker.id), send(second, p2.text, org.worker2.id)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([302, 303]);
    const loser = results.find((r) => r.status === 303)!;
    const loserAgent = loser === results[0] ? services : second;
    expect((await loserAgent.get(loser.headers.location!)).text).toMatch(/ya fue aprobada el [^<]* por Jefe Servicios/);
    expect(await db.prisma.ticket.count({ where: { requestId: id } })).toBe(1);
    expect(await db.prisma.requestEvent.count({ where: { requestId: id, action: 'APPROVE' } })).toBe(1);
  });

  it('a worker finishing while the services head reassigns: exactly one wins, ticket and request agree', async () => {
    for (let round = 0; round < 4; round++) {
      const id = await submitThroughForm(employee, org);
      await act(head, id, 'authorize');
      await act(services, id, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar el tablero' });
      await act(worker, id, 'start');
      const [fin, moved] = await Promise.all([
        act(worker, id, 'finish', { resolution: 'Tablero cambiado' }),
        act(services, id, 'reassign', { workerId: String(org.worker2.id), comment: 'Urgente' }),
      ]);
      // The loser is told it was decided (303 back to the request), or — a worker whose ticket just went to
      // someone else — no longer sees the request at all (404).
      expect([fin.status, moved.status].filter((s) => s === 302)).toHaveLength(1);
      expect([303, 404]).toContain(fin.status === 302 ? moved.status : fin.status);
      const r = await snapshot(db.prisma, id);
      if (fin.status === 302) {
        expect(r).toMatchObject({ status: 'FINALIZED', ticket: { status: 'DONE', workerId: org.worker.id } });
        expect(r.events.at(-1)!.action).toBe('FINISH');
      } else {
        expect(r).toMatchObject({
          status: 'APPROVED',
          finalizedAt: null,
          ticket: { status: 'IN_PROGRESS', workerId: org.worker2.id },
        });
        expect(r.events.at(-1)!.action).toBe('REASSIGN');
      }
      expect(r.events.filter((e) => e.action === 'FINISH' || e.action === 'REASSIGN')).toHaveLength(1);
    }
  });

  it('a unit head and the requester acting at once: exactly one wins', async () => {
    const id = await submitThroughForm(employee, org);
    const [a, b] = await Promise.all([
      act(head, id, 'reject', { reason: 'No procede' }),
      act(employee, id, 'cancel', { reason: 'Ya no hace falta' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 303]);
    const r = await snapshot(db.prisma, id);
    expect(['REJECTED', 'CANCELLED']).toContain(r.status);
    expect(r.events).toHaveLength(2);
  });
});

describe('the request form', () => {
  it('re-renders with Spanish messages next to the fields and keeps the input (422)', async () => {
    const page = await employee.get('/solicitudes/nueva').expect(200);
    const res = await employee
      .post('/solicitudes')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        serviceAreaId: String(org.area.id),
        categoryId: '',
        title: 'ab',
        description: 'Texto que debe conservarse',
        priority: 'URGENT',
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('No se pudo guardar: revisa los campos marcados.');
    expect(res.text).toContain('Escribe al menos 5 caracteres.');
    expect(res.text).toContain('Este campo es obligatorio.');
    expect(res.text).toContain('Texto que debe conservarse');
    expect(res.text).toMatch(/<option value="URGENT" selected>/);
    expect(res.text).toContain('value="ab"');
  });

  it('refuses a category of another service area', async () => {
    const otherArea = await db.prisma.unit.create({
      data: { companyId: org.companyId, name: `TI ${Date.now()}`, kind: 'SERVICE_AREA' },
    });
    const res = await (async () => {
      const page = await employee.get('/solicitudes/nueva');
      return employee
        .post('/solicitudes')
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          serviceAreaId: String(otherArea.id),
          categoryId: String(org.category.id),
          title: 'Título válido',
          description: 'Descripción válida y larga',
          priority: 'LOW',
        });
    })();
    expect(res.status).toBe(422);
    expect(res.text).toContain('Elige una categoría activa del área de servicio seleccionada.');
  });
});

describe('inboxes', () => {
  // "Todas" comes first in every tab strip (issue 18); each role's inbox opens on the tab with its work.
  const openTab = (html: string) => /aria-current="page" data-tab="([^"]+)"/.exec(html)?.[1];

  it('opens on pending-to-authorize for the unit head, with counts on the tabs and in the navigation', async () => {
    const pending = await db.prisma.request.count({
      where: { companyId: org.companyId, authorizerUnitId: org.unit.id, status: 'PENDING' },
    });
    const res = await head.get('/autorizaciones').expect(200);
    expect(/data-tab="([^"]+)"/.exec(res.text)?.[1]).toBe('todas');
    expect(openTab(res.text)).toBe('pendientes');
    expect(res.text).toMatch(new RegExp(`Pendientes de autorizar <span class="badge[^"]*">${pending}</span>`));
    expect(res.text).toMatch(new RegExp(`Autorizaciones\\s*<span class="badge[^"]*" data-count>${pending}</span>`));
  });

  it('opens on authorized-awaiting-decision for the services head and filters by number', async () => {
    const id = await submitThroughForm(employee, org, { title: 'Buscar esta por número' });
    await act(head, id, 'authorize');
    const { number } = await snapshot(db.prisma, id);
    const res = await services.get('/bandeja').expect(200);
    expect(openTab(res.text)).toBe('por-decidir');
    const found = await services.get(`/bandeja?q=SOL-${String(number).padStart(6, '0')}`).expect(200);
    expect(found.text).toContain('Buscar esta por número');
    expect(found.text.match(/data-request="/g)).toHaveLength(1);
    const text = await services.get('/bandeja?q=esta%20por%20n%C3%BAmero').expect(200);
    expect(text.text).toContain('Buscar esta por número');
  });

  it('paginates 20 per page', async () => {
    const company = await db.prisma.company.findUniqueOrThrow({ where: { id: org.companyId } });
    const extra = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const agent = await signIn(app, extra.email);
    for (let i = 0; i < 23; i++) await submitThroughForm(agent, org, { title: `Solicitud número ${i + 1}` });
    const p1 = await agent.get('/solicitudes').expect(200);
    expect(p1.text.match(/data-request="/g)).toHaveLength(20);
    expect(p1.text).toContain('Página 1 de 2 · 23 en total');
    const p2 = await agent.get('/solicitudes?page=2').expect(200);
    expect(p2.text.match(/data-request="/g)).toHaveLength(3);
    expect(p2.text).toContain('Solicitud número 1<');
    // Page 1 is read with the tab counts, a later one after them: the same order across both.
    const titles = (html: string) => [...html.matchAll(/Solicitud número (\d+)</g)].map((m) => Number(m[1]));
    expect([...titles(p1.text), ...titles(p2.text)]).toEqual(Array.from({ length: 23 }, (_, i) => 23 - i));
    // A link to a page past the end (the list has shrunk since) shows the last page.
    const stale = await agent.get('/solicitudes?page=9').expect(200);
    expect(stale.text).toContain('Página 2 de 2 · 23 en total');
    expect(titles(stale.text)).toEqual([3, 2, 1]);
    expect(company.id).toBe(org.companyId);
  });

  it('shows the services head each worker’s open load in the tickets tray', async () => {
    const res = await services.get('/tickets').expect(200);
    expect(res.text).toContain('data-worker-loads');
    expect(res.text).toContain('Trabajador Uno');
    await services.get(`/tickets?trabajador=${org.worker.id}&tab=finalizados`).expect(200);
  });

  it('shows empty states', async () => {
    const newcomer = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const agent = await signIn(app, newcomer.email);
    const res = await agent.get('/solicitudes').expect(200);
    expect(res.text).toContain('Aún no has enviado solicitudes.');
  });
});

describe('anonymous access', () => {
  it('sends anonymous visitors to sign in', async () => {
    await request(app).get('/solicitudes').expect(302);
    await request(app).get('/bandeja').expect(302);
  });
});
