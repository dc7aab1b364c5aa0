// Nothing of one company is visible to or changeable by another: every route, tried
// with the other company's ids, answers 404 and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/requests/lifecycle.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { act, snapshot, submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let a: Awaited<ReturnType<typeof makeOrg>>;
let b: Awaited<ReturnType<typeof makeOrg>>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  [a, b] = [await makeOrg(db.prisma), await makeOrg(db.prisma)];
  app = buildApp(db);
  const employee = await signIn(app, a.employee.email);
  const head = await signIn(app, a.head.email);
  const services = await signIn(app, a.servicesHead.email);
  const worker = await signIn(app, a.worker.email);
  ids.pending = await submitThroughForm(employee, a, { title: 'Secreto de la empresa A pendiente' });
  ids.authorized = await submitThroughForm(employee, a, { title: 'Secreto de la empresa A autorizada' });
  await act(head, ids.authorized, 'authorize');
  ids.assigned = await submitThroughForm(employee, a, { title: 'Secreto de la empresa A asignada' });
  await act(head, ids.assigned, 'authorize');
  await act(services, ids.assigned, 'approve', {
    workerId: String(a.worker.id),
    instructions: 'Instrucciones secretas',
  });
  ids.inProgress = await submitThroughForm(employee, a, { title: 'Secreto de la empresa A en ejecución' });
  await act(head, ids.inProgress, 'authorize');
  await act(services, ids.inProgress, 'approve', {
    workerId: String(a.worker.id),
    instructions: 'Instrucciones secretas',
  });
  await act(worker, ids.inProgress, 'start');
});
afterAll(() => db.drop());

const fieldsFor = (workerId: number) => ({
  comment: 'intento',
  reason: 'intento de otra empresa',
  workerId: String(workerId),
  instructions: 'intento de otra empresa',
  resolution: 'intento de otra empresa',
});

describe('another company', () => {
  it('gets 404 for every request page and every action, in every role, and nothing changes', async () => {
    const before = await Promise.all(Object.values(ids).map((id) => snapshot(db.prisma, id)));
    for (const user of [b.employee, b.head, b.servicesHead, b.worker, b.admin]) {
      const agent = await signIn(app, user.email);
      for (const id of Object.values(ids)) {
        const page = await agent.get(`/solicitudes/${id}`);
        expect(page.status, `${user.name} GET ${id}`).toBe(404);
        expect(page.text).toContain('Página no encontrada');
        expect(page.text).not.toContain('Secreto de la empresa A');
        for (const action of ACTIONS) {
          // Even naming a worker of their own company, or of company A.
          for (const workerId of [b.worker.id, a.worker2.id]) {
            const res = await act(agent, id, action, fieldsFor(workerId));
            expect(res.status, `${user.name} ${action} ${id}`).toBe(404);
          }
        }
      }
    }
    const after = await Promise.all(Object.values(ids).map((id) => snapshot(db.prisma, id)));
    expect(after).toEqual(before);
    expect(await db.prisma.ticket.count({ where: { companyId: b.companyId } })).toBe(0);
    expect(await db.prisma.requestEvent.count({ where: { companyId: b.companyId } })).toBe(0);
  }, 180_000);

  it('sees none of it in any inbox, even filtering by the other company’s ids', async () => {
    const paths = [
      '/solicitudes?tab=todas',
      '/autorizaciones?tab=todas',
      `/bandeja?tab=todas&unit=${a.unit.id}&category=${a.category.id}`,
      `/tickets?trabajador=${a.worker.id}`,
      `/tickets?trabajador=${a.worker.id}&tab=en-ejecucion`,
      `/empresa/solicitudes?tab=todas&unit=${a.unit.id}`,
    ];
    const agents = await Promise.all([b.employee, b.head, b.servicesHead, b.admin].map((u) => signIn(app, u.email)));
    for (const agent of agents) {
      for (const path of paths) {
        const res = await agent.get(path);
        expect([200, 403]).toContain(res.status);
        expect(res.text).not.toContain('Secreto de la empresa A');
        expect(res.text).not.toContain('Instrucciones secretas');
      }
    }
  });

  it('cannot submit a request into another company’s service area or category', async () => {
    const agent = await signIn(app, b.employee.email);
    const page = await agent.get('/solicitudes/nueva');
    expect(page.text).not.toContain(a.category.name);
    const res = await agent
      .post('/solicitudes')
      .type('form')
      .send({
        _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1],
        serviceAreaId: String(a.area.id),
        categoryId: String(a.category.id),
        title: 'Intento cruzado',
        description: 'Intento de crear en otra empresa',
        priority: 'LOW',
      });
    expect(res.status).toBe(422);
    expect(await db.prisma.request.count({ where: { title: 'Intento cruzado' } })).toBe(0);
  });

  it("offers in the company's request list only its own units and categories, beside its own counts", async () => {
    const [own, other] = [await signIn(app, a.admin.email), await signIn(app, b.admin.email)];
    const ownPage = await own.get('/empresa/solicitudes').expect(200);
    const otherPage = await other.get('/empresa/solicitudes').expect(200);
    const options = (html: string, select: string) =>
      [
        ...(new RegExp(`id="${select}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '').matchAll(
          />([^<]+)<\/option>/g,
        ),
      ]
        .map((m) => m[1])
        .slice(1);
    expect(options(ownPage.text, 'f-unit')).toEqual([a.unit.name]);
    expect(options(ownPage.text, 'f-category')).toEqual([a.category.name]);
    expect(options(otherPage.text, 'f-unit')).toEqual([b.unit.name]);
    expect(options(otherPage.text, 'f-category')).toEqual([b.category.name]);
    // The tabs' counts come from the same statement: "Todas" counts A's four requests, and B has sent none.
    const all = (html: string) => /Todas <span class="badge[^"]*">(\d+)<\/span>/.exec(html)?.[1];
    expect([all(ownPage.text), all(otherPage.text)]).toEqual(['4', '0']);
    expect(ownPage.text).toContain('Secreto de la empresa A');
    expect(otherPage.text).not.toContain('Secreto de la empresa A');
  });
});
