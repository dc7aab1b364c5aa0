// Issue 16: who authorizes (stored at submit, up the chain, administrators at the top, categories that need no
// authorization), why a person cannot submit, and substitutes during a head's absence, through HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanOut, fanOutComment } from '../../src/notifications/fanout.js';
import { updateUnit } from '../../src/org/units/service.js';
import { loadActor } from '../../src/auth/index.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeCompany, makeOrg, makeUnit, makeUser } from '../support/factories.js';
import { postForm, signIn } from '../support/http.js';
import { act, snapshot, submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
/** The clock every app of this file reads: moved by the tests (a substitute's window is a matter of dates). */
let now = new Date('2026-12-01T15:00:00Z');
let app: ReturnType<typeof buildApp>;
type Agent = Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  db = await createTestDatabase();
  app = buildApp(db, {}, () => now);
});
afterAll(() => db.drop());

/** A company in Santiago: Dirección (head) ⊃ Operaciones (head) ⊃ Bodega (no head), a service area, an admin. */
async function santiago() {
  const p = db.prisma;
  const company = await makeCompany(p, { timezone: 'America/Santiago' });
  const c = company.id;
  const top = await makeUnit(p, c, { name: 'Dirección' });
  const ops = await makeUnit(p, c, { name: 'Operaciones', parentId: top.id });
  const store = await makeUnit(p, c, { name: 'Bodega', parentId: ops.id });
  const area = await makeUnit(p, c, { name: 'Mantención', kind: 'SERVICE_AREA' });
  const director = await makeUser(p, c, { unitId: top.id, name: 'Directora General' });
  const opsHead = await makeUser(p, c, { unitId: ops.id, name: 'Jefe Operaciones' });
  const opsStaff = await makeUser(p, c, { unitId: ops.id, name: 'Analista Operaciones' });
  const clerk = await makeUser(p, c, { unitId: store.id, name: 'Bodeguero' });
  const servicesHead = await makeUser(p, c, { unitId: area.id, name: 'Jefa Mantención' });
  const admin = await makeUser(p, c, { unitId: top.id, isCompanyAdmin: true, name: 'Admin Santiago' });
  const unitless = await makeUser(p, c, { name: 'Sin Unidad' });
  await p.unit.update({ where: { id: top.id }, data: { headId: director.id } });
  await p.unit.update({ where: { id: ops.id }, data: { headId: opsHead.id } });
  await p.unit.update({ where: { id: area.id }, data: { headId: servicesHead.id } });
  const category = await p.category.create({ data: { companyId: c, serviceAreaId: area.id, name: 'Goteras' } });
  const noAuth = await p.category.create({
    data: { companyId: c, serviceAreaId: area.id, name: 'Clave', needsAuthorization: false },
  });
  return {
    company,
    top,
    ops,
    store,
    area,
    director,
    opsHead,
    opsStaff,
    clerk,
    servicesHead,
    admin,
    unitless,
    category,
    noAuth,
  };
}

let s: Awaited<ReturnType<typeof santiago>>;
const as: Record<string, Agent> = {};
const agent = async (who: { email: string }) => (as[who.email] ??= await signIn(app, who.email));

beforeAll(async () => {
  s = await santiago();
});

describe('who authorizes', () => {
  it('a unit without head: the nearest parent head authorizes, and the detail says so', async () => {
    const id = await submitThroughForm(await agent(s.clerk), s);
    expect(await snapshot(db.prisma, id)).toMatchObject({ status: 'PENDING', authorizerUnitId: s.ops.id });
    const page = await (await agent(s.clerk)).get(`/solicitudes/${id}`);
    expect(page.text).toContain('Esperando a: Jefe Operaciones (jefe de Operaciones)');
    const inbox = await (await agent(s.opsHead)).get('/autorizaciones').expect(200);
    expect(inbox.text).toContain(`data-request="${id}"`);
    expect((await act(await agent(s.opsHead), id, 'authorize')).status).toBe(302);
    const after = await (await agent(s.clerk)).get(`/solicitudes/${id}`);
    expect(after.text).toContain('Esperando a: Jefa Mantención (jefe de servicios de Mantención)');
  });

  it('a head’s own request goes to the parent unit’s head, not authorized on submit', async () => {
    const id = await submitThroughForm(await agent(s.opsHead), s);
    expect(await snapshot(db.prisma, id)).toMatchObject({ status: 'PENDING', authorizerUnitId: s.top.id });
    expect((await act(await agent(s.opsHead), id, 'authorize')).status).toBe(403);
    expect((await act(await agent(s.director), id, 'authorize')).status).toBe(302);
    expect((await snapshot(db.prisma, id)).authorizedById).toBe(s.director.id);
  });

  it('at the top the administrators authorize, from /autorizaciones', async () => {
    const id = await submitThroughForm(await agent(s.director), s);
    expect(await snapshot(db.prisma, id)).toMatchObject({ authorizerUnitId: null, awaitingAdmins: true });
    const inbox = await (await agent(s.admin)).get('/autorizaciones').expect(200);
    expect(inbox.text).toContain(`data-request="${id}"`);
    expect((await act(await agent(s.admin), id, 'authorize')).status).toBe(302);
    expect((await snapshot(db.prisma, id)).status).toBe('AUTHORIZED');
  });

  it('a category without unit authorization is authorized on submit, recorded in its history', async () => {
    const id = await submitThroughForm(await agent(s.opsStaff), { area: s.area, category: s.noAuth });
    const r = await snapshot(db.prisma, id);
    expect(r.status).toBe('AUTHORIZED');
    expect(r.events.map((e) => e.action)).toEqual(['SUBMIT', 'AUTHORIZE']);
    const page = await (await agent(s.opsStaff)).get(`/solicitudes/${id}`);
    expect(page.text).toContain('la categoría no requiere autorización de la unidad');
  });

  it('an admin marks a category as needing no authorization on its form', async () => {
    const res = await postForm(
      await agent(s.admin),
      `/admin/categorias/${s.category.id}`,
      `/admin/categorias/${s.category.id}`,
      {
        name: 'Goteras',
        serviceAreaId: String(s.area.id),
        slaHours: '',
        description: '',
        active: 'on',
        noAuthorization: 'on',
      },
    );
    expect(res.status).toBe(302);
    expect((await db.prisma.category.findUniqueOrThrow({ where: { id: s.category.id } })).needsAuthorization).toBe(
      false,
    );
    await db.prisma.category.update({ where: { id: s.category.id }, data: { needsAuthorization: true } });
  });

  it('a person without unit sees why before typing, and the post is refused; the admin home shows it', async () => {
    const who = await agent(s.unitless);
    const page = await who.get('/solicitudes/nueva').expect(200);
    expect(page.text).toContain('Necesitas pertenecer a una unidad');
    expect(page.text).not.toContain('name="title"');
    const res = await postForm(who, '/solicitudes', '/solicitudes', {
      serviceAreaId: String(s.area.id),
      categoryId: String(s.category.id),
      title: 'Quiero algo',
      description: 'Una descripción suficiente',
      priority: 'LOW',
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Necesitas pertenecer a una unidad');
    const home = await (await agent(s.admin)).get('/').expect(200);
    expect(home.text).toContain('Personas sin unidad: 1');
    expect(home.text).toContain(`href="/admin/unidades/${s.store.id}">Bodega</a>`);
  });

  it('when a unit loses its head, its pending requests move up the chain with an event each', async () => {
    const id = await submitThroughForm(await agent(s.opsStaff), s);
    expect((await snapshot(db.prisma, id)).authorizerUnitId).toBe(s.ops.id);
    const admin = (await loadActor(db.prisma, s.admin.id))!;
    const input = { id: s.ops.id, name: 'Operaciones', kind: 'REGULAR' as const, parentId: s.top.id };
    await updateUnit({ db: db.prisma }, admin, { ...input, headId: null });
    const r = await snapshot(db.prisma, id);
    expect(r).toMatchObject({ status: 'PENDING', authorizerUnitId: s.top.id });
    expect(r.events.at(-1)).toMatchObject({ action: 'REROUTE', actorId: s.admin.id });
    await updateUnit({ db: db.prisma }, admin, { ...input, headId: s.opsHead.id });
  });
});

describe('substitutes', () => {
  // Santiago is UTC−3 in December: local midnight of the 10th is 03:00 UTC.
  const BEFORE = new Date('2026-12-10T02:59:59Z');
  const FIRST = new Date('2026-12-10T03:00:00Z');
  const LAST = new Date('2026-12-13T02:59:59Z');
  const AFTER = new Date('2026-12-13T03:00:00Z');
  const window = { substituteId: '', startsOn: '2026-12-10', endsOn: '2026-12-12' };

  it('refuses self-substitution, a reversed window, another company’s substitute; keeps the input', async () => {
    now = new Date('2026-12-01T15:00:00Z');
    const head = await agent(s.opsHead);
    const self = await postForm(head, '/ausencias', '/ausencias', { ...window, substituteId: String(s.opsHead.id) });
    expect(self.status).toBe(422);
    expect(self.text).toContain('El reemplazo debe ser otra persona.');
    expect(self.text).toContain('value="2026-12-10"');
    const reversed = await postForm(head, '/ausencias', '/ausencias', {
      substituteId: String(s.opsStaff.id),
      startsOn: '2026-12-12',
      endsOn: '2026-12-10',
    });
    expect(reversed.status).toBe(422);
    expect(reversed.text).toContain('La fecha de término no puede ser anterior a la de inicio.');
    const other = await makeOrg(db.prisma);
    const foreign = await postForm(head, '/ausencias', '/ausencias', {
      ...window,
      substituteId: String(other.employee.id),
    });
    expect(foreign.status).toBe(422);
    expect(foreign.text).toContain('Elige como reemplazo a una persona activa de la empresa.');
    expect(await db.prisma.absence.count({ where: { companyId: s.company.id } })).toBe(0);
  });

  it('records an absence; an overlapping one is refused', async () => {
    const head = await agent(s.opsHead);
    const ok = await postForm(head, '/ausencias', '/ausencias', { ...window, substituteId: String(s.opsStaff.id) });
    expect(ok.status).toBe(302);
    const overlap = await postForm(head, '/ausencias', '/ausencias', {
      substituteId: String(s.clerk.id),
      startsOn: '2026-12-12',
      endsOn: '2026-12-20',
    });
    expect(overlap.status).toBe(422);
    expect(overlap.text).toContain('Ya hay una ausencia registrada de esta persona en esas fechas.');
    expect((await head.get('/ausencias')).text).toContain('Analista Operaciones');
  });

  it('the substitute acts only within the window, at its edges in the company’s time zone', async () => {
    const sub = await agent(s.opsStaff);
    const id = await submitThroughForm(await agent(s.clerk), s);
    now = BEFORE;
    expect((await sub.get('/autorizaciones')).status).toBe(403);
    expect((await act(sub, id, 'authorize')).status).toBe(404);
    now = FIRST;
    const inbox = await sub.get('/autorizaciones').expect(200);
    expect(inbox.text).toContain(`data-request="${id}"`);
    expect(inbox.text).toContain('en reemplazo de Jefe Operaciones');
    expect((await act(sub, id, 'authorize')).status).toBe(302);
    const r = await snapshot(db.prisma, id);
    expect(r.events.at(-1)).toMatchObject({ action: 'AUTHORIZE', actorId: s.opsStaff.id, onBehalfOfId: s.opsHead.id });
    const page = await sub.get(`/solicitudes/${id}`);
    expect(page.text).toContain(
      'Analista Operaciones</strong><span data-on-behalf-of>, en reemplazo de Jefe Operaciones,',
    );
    now = LAST;
    const second = await submitThroughForm(await agent(s.clerk), s);
    expect((await sub.get('/autorizaciones')).text).toContain(`data-request="${second}"`);
    now = AFTER;
    expect((await sub.get('/autorizaciones')).status).toBe(403);
    expect((await act(sub, second, 'authorize')).status).toBe(404);
    // The head acted on in their own right: no "en reemplazo".
    expect((await act(await agent(s.opsHead), second, 'authorize')).status).toBe(302);
    expect((await snapshot(db.prisma, second)).events.at(-1)!.onBehalfOfId).toBeNull();
  });

  it('the substitute gets the absent head’s notifications during the window only', async () => {
    now = FIRST;
    const during = await submitThroughForm(await agent(s.clerk), s);
    now = AFTER;
    const after = await submitThroughForm(await agent(s.clerk), s);
    const config = testConfig();
    for (const requestId of [during, after]) {
      const events = await db.prisma.requestEvent.findMany({ where: { requestId }, select: { id: true } });
      await fanOut({ db: db.prisma, config }, { companyId: s.company.id, eventIds: events.map((e) => String(e.id)) });
    }
    const to = (requestId: number) =>
      db.prisma.notification.findMany({ where: { requestId }, select: { recipientId: true, role: true } });
    expect(await to(during)).toEqual(
      expect.arrayContaining([
        { recipientId: s.opsHead.id, role: 'unitHead' },
        { recipientId: s.opsStaff.id, role: 'unitHead' },
      ]),
    );
    expect((await to(after)).map((n) => n.recipientId)).not.toContain(s.opsStaff.id);

    // A comment during the window reaches the substitute too, one after it does not.
    const comment = async (requestId: number, at: Date) => {
      now = at;
      const res = await postForm(
        await agent(s.clerk),
        `/solicitudes/${requestId}`,
        `/solicitudes/${requestId}/comentarios`,
        {
          body: 'Sigue goteando.',
        },
      );
      expect(res.status).toBe(302);
      const c = await db.prisma.requestComment.findFirstOrThrow({ where: { requestId }, orderBy: { id: 'desc' } });
      await fanOutComment({ db: db.prisma, config }, { companyId: s.company.id, commentId: c.id });
      return db.prisma.notification.findMany({ where: { commentId: c.id }, select: { recipientId: true } });
    };
    expect((await comment(during, FIRST)).map((n) => n.recipientId)).toEqual(
      expect.arrayContaining([s.opsHead.id, s.opsStaff.id]),
    );
    expect((await comment(after, AFTER)).map((n) => n.recipientId)).not.toContain(s.opsStaff.id);
  });

  it('an admin records a head’s absence; another company’s absence is a 404; a head deletes their own', async () => {
    now = new Date('2026-12-01T15:00:00Z');
    const admin = await agent(s.admin);
    // The form offers the heads of active units as the absent, every active person as the substitute.
    const gone = await makeUser(db.prisma, s.company.id, { unitId: s.ops.id, name: 'Persona Retirada' });
    await db.prisma.user.update({ where: { id: gone.id }, data: { active: false } });
    const form = (await admin.get('/admin/ausencias').expect(200)).text;
    const options = (name: string) => {
      const select = form.slice(
        form.indexOf(`name="${name}"`),
        form.indexOf('</select>', form.indexOf(`name="${name}"`)),
      );
      return [...select.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
    };
    expect(options('userId')).toEqual(expect.arrayContaining([s.opsHead.id, s.servicesHead.id]));
    expect(options('userId')).not.toContain(s.clerk.id);
    expect(options('substituteId')).toEqual(expect.arrayContaining([s.opsStaff.id, s.clerk.id, s.opsHead.id]));
    expect(options('substituteId')).not.toContain(gone.id);
    const res = await postForm(admin, '/admin/ausencias', '/admin/ausencias', {
      userId: String(s.servicesHead.id),
      substituteId: String(s.opsStaff.id),
      startsOn: '2026-12-20',
      endsOn: '2026-12-24',
    });
    expect(res.status).toBe(302);
    const notAHead = await postForm(admin, '/admin/ausencias', '/admin/ausencias', {
      userId: String(s.clerk.id),
      substituteId: String(s.opsStaff.id),
      startsOn: '2026-12-20',
      endsOn: '2026-12-24',
    });
    expect(notAHead.status).toBe(422);
    const absence = await db.prisma.absence.findFirstOrThrow({ where: { userId: s.servicesHead.id } });
    const other = await makeOrg(db.prisma);
    const otherAdmin = await signIn(app, other.admin.email);
    expect((await postForm(otherAdmin, '/', `/admin/ausencias/${absence.id}/eliminar`, {})).status).toBe(404);
    // A head deletes only their own.
    expect((await postForm(await agent(s.opsHead), '/', `/ausencias/${absence.id}/eliminar`, {})).status).toBe(404);
    expect((await postForm(await agent(s.servicesHead), '/', `/ausencias/${absence.id}/eliminar`, {})).status).toBe(
      302,
    );
    expect(await db.prisma.absence.count({ where: { id: absence.id } })).toBe(0);
  });
});
