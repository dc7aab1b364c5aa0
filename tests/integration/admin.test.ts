import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, makeUser, PASSWORD } from '../support/factories.js';
import { csrfFrom, postForm, signIn } from '../support/http.js';
import { linkIn, startSmtp } from '../support/smtp.js';

let db: TestDatabase & { drop(): Promise<void> };
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let org: Awaited<ReturnType<typeof makeOrg>>;
let other: Awaited<ReturnType<typeof makeOrg>>;
const STRONG = 'tres-tigres-tristes-2031';

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtp();
  org = await makeOrg(db.prisma);
  other = await makeOrg(db.prisma);
});
afterAll(async () => {
  await smtp.close();
  await db.drop();
});

const app = () => buildApp(db, { SMTP_URL: smtp.url });

describe('invitations', () => {
  it('invite → set password → sign-in with the right roles; the link is single-use', async () => {
    const a = app();
    const admin = await signIn(a, org.admin.email);
    const email = `nuevo-${Date.now()}@prueba.test`;
    const res = await postForm(admin, '/admin/personas/invitar', '/admin/personas/invitar', {
      name: 'Nuevo Trabajador',
      email,
      unitId: String(org.area.id),
      phone: '3001234567',
      isWorker: 'on',
      headOf: String(org.unit.id),
    });
    expect(res.status, res.text).toBe(302);
    const link = linkIn(await smtp.lastTo(email), '/clave/');
    const anon = request.agent(a);
    const page = await anon.get(link).expect(200);
    expect(page.text).toContain('Activa tu cuenta');
    const weak = await anon
      .post(link)
      .type('form')
      .send({ password: 'password123', confirm: 'password123', _csrf: csrfFrom(page.text) });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('muy común');
    await anon
      .post(link)
      .type('form')
      .send({ password: STRONG, confirm: STRONG, _csrf: csrfFrom(page.text) })
      .expect(302);
    // The sign-in form comes filled with the address whose password was just set (issue 18).
    expect((await anon.get('/login').expect(200)).text).toContain(`name="email" value="${email}"`);
    await anon.get(link).expect(410);
    const person = await signIn(a, email, STRONG);
    const home = await person.get('/').expect(200);
    expect(home.text).toContain('Trabajador');
    expect(home.text).toContain('Jefe de unidad');
    const user = await db.prisma.user.findFirstOrThrow({ where: { email } });
    expect(user.phone).toBe('+573001234567');
    expect(user.emailVerifiedAt).not.toBeNull();
    expect((await db.prisma.unit.findUniqueOrThrow({ where: { id: org.unit.id } })).headId).toBe(user.id);
    // Restore the unit's head for the other tests.
    await db.prisma.unit.update({ where: { id: org.unit.id }, data: { headId: org.head.id } });
  });

  it('refuses a worker outside a service area and keeps the input', async () => {
    const admin = await signIn(app(), org.admin.email);
    const res = await postForm(admin, '/admin/personas/invitar', '/admin/personas/invitar', {
      name: 'Mala Persona',
      email: 'mala@prueba.test',
      unitId: String(org.unit.id),
      isWorker: 'on',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Un trabajador debe pertenecer a un área de servicio');
    expect(res.text).toContain('value="mala@prueba.test"');
  });
});

describe('deactivation', () => {
  it('deactivates: sign-in refused, sessions ended, open tickets flagged; reactivates', async () => {
    const a = app();
    const org2 = await makeOrg(db.prisma);
    const request_ = await db.prisma.request.create({
      data: {
        companyId: org2.companyId,
        number: 1,
        requesterId: org2.employee.id,
        requesterUnitId: org2.unit.id,
        serviceAreaId: org2.area.id,
        categoryId: org2.category.id,
        title: 'Fuga',
        description: 'Fuga en el baño',
        status: 'APPROVED',
      },
    });
    const ticket = await db.prisma.ticket.create({
      data: {
        companyId: org2.companyId,
        number: 1,
        requestId: request_.id,
        serviceAreaId: org2.area.id,
        workerId: org2.worker.id,
        assignedById: org2.servicesHead.id,
        instructions: 'Revisar',
      },
    });
    const workerSession = await signIn(a, org2.worker.email);
    const admin = await signIn(a, org2.admin.email);
    const res = await postForm(
      admin,
      `/admin/personas/${org2.worker.id}`,
      `/admin/personas/${org2.worker.id}/desactivar`,
      {},
    );
    expect(res.status).toBe(302);
    expect((await db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).needsReassignment).toBe(true);
    await workerSession.get('/cuenta').expect(302);
    const login = await request.agent(a).get('/login');
    await expect(signIn(a, org2.worker.email)).rejects.toThrow(/401/);
    expect(login.status).toBe(200);
    await postForm(admin, `/admin/personas/${org2.worker.id}`, `/admin/personas/${org2.worker.id}/reactivar`, {}).then(
      (r) => expect(r.status).toBe(302),
    );
    await signIn(a, org2.worker.email);
    const log = await admin.get('/admin/auditoria').expect(200);
    expect(log.text).toContain(`Desactivó a ${org2.worker.name}`);
    expect(log.text).toContain(`Reactivó a ${org2.worker.name}`);
  });
});

describe('people list', () => {
  it('pages by 20 with the shared pager, keeping the search in its links', async () => {
    const o = await makeOrg(db.prisma);
    const people = await db.prisma.user.createManyAndReturn({
      data: Array.from({ length: 21 }, (_, i) => ({
        companyId: o.companyId,
        name: `Paginada ${String(i).padStart(2, '0')}`,
        email: `paginada-${o.companyId}-${i}@prueba.test`,
      })),
    });
    await db.prisma.loginEmail.createMany({
      data: people.map((p) => ({ email: p.email, companyId: p.companyId, userId: p.id })),
    });
    const admin = await signIn(app(), o.admin.email);
    const first = await admin.get('/admin/personas?q=paginada').expect(200);
    expect(first.text).toContain('Paginada 19');
    expect(first.text).not.toContain('Paginada 20');
    expect(first.text).toContain('href="/admin/personas?q=paginada&amp;page=2"');
    const second = await admin.get('/admin/personas?q=paginada&page=2').expect(200);
    expect(second.text).toContain('Paginada 20');
    expect(second.text).not.toContain('Paginada 19');
    // A page past the end (the list shrank) shows the last one.
    const stale = await admin.get('/admin/personas?q=paginada&page=7').expect(200);
    expect(stale.text).toContain('Paginada 20');
    expect(stale.text).toContain('Página 2 de 2');
  });

  it("shows each person's unit, the units they head, a pending invitation; a typed % or _ is itself", async () => {
    const o = await makeOrg(db.prisma);
    const other = await makeOrg(db.prisma);
    const invited = await makeUser(db.prisma, o.companyId, { unitId: o.unit.id, name: 'Invitada 100% nueva' });
    await db.pool.query('UPDATE users SET password_hash = NULL WHERE id = $1', [invited.id]);
    const admin = await signIn(app(), o.admin.email);
    const html = (await admin.get('/admin/personas').expect(200)).text;
    const row = (name: string) => html.slice(html.indexOf(name), html.indexOf('</tr>', html.indexOf(name)));
    expect(row('Invitada 100% nueva')).toContain('Invitación pendiente');
    expect(row('Invitada 100% nueva')).toContain(o.unit.name);
    expect(row(o.head.name)).toContain(o.unit.name);
    expect(row(o.head.name)).toMatch(/Jefe de|Jefa de|Jefe\/a de/);
    expect(row(o.employee.name)).not.toContain('Invitación pendiente');
    expect(html).not.toContain(other.employee.email);
    const percent = (await admin.get('/admin/personas?q=%25').expect(200)).text;
    expect(percent).toContain('Invitada 100% nueva');
    expect(percent).not.toContain(o.employee.email);
    expect((await admin.get('/admin/personas?q=_').expect(200)).text).not.toContain(o.employee.email);
  });
});

describe('CSV import', () => {
  it('imports nothing when one row is bad and reports the row; imports all when valid', async () => {
    const a = app();
    const admin = await signIn(a, org.admin.email);
    const stamp = Date.now();
    const bad = [
      'nombre,correo,unidad,rol,telefono',
      `Ana Gómez,ana${stamp}@prueba.test,${org.unit.name},jefe,3001234567`,
      `Luis Pérez,luis${stamp}@prueba.test,Unidad Inexistente,empleado,`,
      `Marta Ríos,marta${stamp}@prueba.test,${org.area.name},trabajador+administrador,`,
    ].join('\n');
    const preview = await postForm(admin, '/admin/personas/importar', '/admin/personas/importar', {
      csv: bad,
      action: 'import',
    });
    expect(preview.status).toBe(422);
    expect(preview.text).toContain('No existe la unidad &quot;Unidad Inexistente&quot;');
    expect(preview.text).toContain('Filas con errores: 1');
    expect(await db.prisma.user.count({ where: { email: { contains: String(stamp) } } })).toBe(0);

    const good = bad.replace('Unidad Inexistente', org.unit.name);
    const ok = await postForm(admin, '/admin/personas/importar', '/admin/personas/importar', {
      csv: good,
      action: 'preview',
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Todas las filas son válidas (3)');
    const done = await postForm(admin, '/admin/personas/importar', '/admin/personas/importar', {
      csv: good,
      action: 'import',
    });
    expect(done.status).toBe(302);
    const users = await db.prisma.user.findMany({
      where: { email: { contains: String(stamp) } },
      orderBy: { email: 'asc' },
    });
    expect(users.map((u) => [u.name, u.isWorker, u.isCompanyAdmin, u.companyId])).toEqual([
      ['Ana Gómez', false, false, org.companyId],
      ['Luis Pérez', false, false, org.companyId],
      ['Marta Ríos', true, true, org.companyId],
    ]);
    expect(users[0]!.phone).toBe('+573001234567');
    expect(smtp.count(`marta${stamp}@prueba.test`)).toBe(1);
    await db.prisma.unit.update({ where: { id: org.unit.id }, data: { headId: org.head.id } });
  });
});

describe('accounts', () => {
  it('password reset by email: same answer for unknown addresses, link valid once', async () => {
    const a = app();
    const agent = request.agent(a);
    const page = await agent.get('/clave/olvido');
    const unknown = await agent
      .post('/clave/olvido')
      .type('form')
      .send({ email: 'nadie@ninguna.test', _csrf: csrfFrom(page.text) });
    const known = await agent
      .post('/clave/olvido')
      .type('form')
      .send({ email: org.employee.email, _csrf: csrfFrom(page.text) });
    expect(unknown.status).toBe(302);
    expect(known.status).toBe(302);
    expect(known.headers.location).toBe(unknown.headers.location);
    const link = linkIn(await smtp.lastTo(org.employee.email), '/clave/');
    const form = await agent.get(link).expect(200);
    await agent
      .post(link)
      .type('form')
      .send({ password: STRONG, confirm: STRONG, _csrf: csrfFrom(form.text) })
      .expect(302);
    await signIn(a, org.employee.email, STRONG);
    await expect(signIn(a, org.employee.email, PASSWORD)).rejects.toThrow();
    await agent.get(link).expect(410);
  });

  it('a reset link expires after an hour', async () => {
    let now = new Date();
    const a = buildApp(db, { SMTP_URL: smtp.url }, () => now);
    const admin = await signIn(a, org.admin.email);
    const before = smtp.count(org.servicesHead.email);
    await postForm(
      admin,
      `/admin/personas/${org.servicesHead.id}`,
      `/admin/personas/${org.servicesHead.id}/enlace`,
      {},
    ).then((r) => expect(r.status).toBe(302));
    const link = linkIn(await smtp.lastTo(org.servicesHead.email, before), '/clave/');
    now = new Date(now.getTime() + 61 * 60_000);
    const res = await request(a).get(link).expect(410);
    expect(res.text).toContain('venció');
  });

  it('changing the password ends the other sessions but keeps this one', async () => {
    const a = app();
    const other1 = await signIn(a, org.worker2.email);
    const me = await signIn(a, org.worker2.email);
    const wrong = await postForm(me, '/cuenta', '/cuenta/clave', {
      current: 'equivocada',
      password: STRONG,
      confirm: STRONG,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('La contraseña actual no es correcta');
    const res = await postForm(me, '/cuenta', '/cuenta/clave', {
      current: PASSWORD,
      password: STRONG,
      confirm: STRONG,
    });
    expect(res.status).toBe(302);
    const page = await me.get('/cuenta').expect(200);
    expect(page.text).toContain('Cerramos 1 sesión');
    await other1.get('/cuenta').expect(302);
  });

  it('edits the profile with a validated phone', async () => {
    const me = await signIn(app(), org.head.email);
    const bad = await postForm(me, '/cuenta', '/cuenta', { name: 'Jefa Unidad', phone: '12', locale: '' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('El número de teléfono no es válido');
    await postForm(me, '/cuenta', '/cuenta', { name: 'Jefa Renombrada', phone: '300 765 4321', locale: 'en' }).then(
      (r) => expect(r.status).toBe(302),
    );
    const page = await me.get('/cuenta');
    expect(page.text).toContain('<html lang="en">');
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: org.head.id } })).phone).toBe('+573007654321');
  });
});

describe('administration access', () => {
  const adminGets = (o: typeof org) => [
    `/admin/unidades/${o.unit.id}`,
    `/admin/personas/${o.employee.id}`,
    `/admin/categorias/${o.category.id}`,
  ];
  const adminPosts = (o: typeof org) =>
    [
      [`/admin/unidades/${o.unit.id}`, { name: 'Robada', kind: 'REGULAR', parentId: '', headId: '' }],
      [`/admin/personas/${o.employee.id}`, { name: 'Robado', unitId: '', phone: '' }],
      [`/admin/personas/${o.employee.id}/desactivar`, {}],
      [`/admin/personas/${o.employee.id}/reactivar`, {}],
      [`/admin/personas/${o.employee.id}/enlace`, {}],
      [
        `/admin/categorias/${o.category.id}`,
        { name: 'Robada', serviceAreaId: String(o.area.id), resolutionHours: '', description: '', active: 'on' },
      ],
    ] as const;

  it("answers 404 for another company's records, exactly like a missing one", async () => {
    const admin = await signIn(app(), org.admin.email);
    for (const path of adminGets(other)) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).toContain('Página no encontrada');
    }
    await admin.get('/admin/personas/999999999').expect(404);
    for (const [path, fields] of adminPosts(other)) {
      const res = await postForm(admin, '/admin', path, fields);
      expect(res.status, path).toBe(404);
    }
    const emp = await db.prisma.user.findUniqueOrThrow({ where: { id: other.employee.id } });
    expect(emp.name).toBe(other.employee.name);
    expect(emp.active).toBe(true);
    expect((await db.prisma.unit.findUniqueOrThrow({ where: { id: other.unit.id } })).name).toBe(other.unit.name);
  });

  it('answers 403 to a person who is not a company admin', async () => {
    const employee = await signIn(app(), org.worker.email);
    const paths = [
      '/admin',
      '/admin/unidades',
      '/admin/organigrama',
      '/admin/personas',
      '/admin/personas/importar',
      '/admin/categorias',
      '/admin/empresa',
      '/admin/auditoria',
      ...adminGets(org),
    ];
    for (const path of paths) expect((await employee.get(path)).status, path).toBe(403);
    for (const [path, fields] of adminPosts(org))
      expect((await postForm(employee, '/', path, fields)).status, path).toBe(403);
    expect((await postForm(employee, '/', '/admin/personas/invitar', { name: 'X', email: 'x@x.test' })).status).toBe(
      403,
    );
    expect((await postForm(employee, '/', '/admin/empresa', { name: 'X', timezone: 'UTC', locale: 'es' })).status).toBe(
      403,
    );
  });

  it('refuses a reference to another company in a form (unit head, parent, category area)', async () => {
    const admin = await signIn(app(), org.admin.email);
    const unit = await postForm(admin, '/admin/unidades/nueva', '/admin/unidades', {
      name: 'Nueva',
      kind: 'REGULAR',
      parentId: String(other.unit.id),
      headId: String(other.head.id),
    });
    expect(unit.status).toBe(422);
    const cat = await postForm(admin, '/admin/categorias/nueva', '/admin/categorias', {
      name: 'X',
      serviceAreaId: String(other.area.id),
      resolutionHours: '4',
      description: '',
      active: 'on',
    });
    expect(cat.status).toBe(422);
  });
});

describe('units, chart, categories, settings', () => {
  it('creates and moves units, refuses a cycle, draws the org chart, and records the audit log', async () => {
    const admin = await signIn(app(), org.admin.email);
    const created = await postForm(admin, '/admin/unidades/nueva', '/admin/unidades', {
      name: 'Mantenimiento Planta',
      kind: 'REGULAR',
      parentId: String(org.unit.id),
      headId: String(org.worker.id),
    });
    expect(created.status).toBe(302);
    const child = await db.prisma.unit.findFirstOrThrow({
      where: { companyId: org.companyId, name: 'Mantenimiento Planta' },
    });
    const cycle = await postForm(admin, `/admin/unidades/${org.unit.id}`, `/admin/unidades/${org.unit.id}`, {
      name: org.unit.name,
      kind: 'REGULAR',
      parentId: String(child.id),
      headId: String(org.head.id),
    });
    expect(cycle.status).toBe(422);
    expect(cycle.text).toContain('no puede depender de sí misma');
    const dup = await postForm(admin, '/admin/unidades/nueva', '/admin/unidades', {
      name: 'Mantenimiento Planta',
      kind: 'REGULAR',
      parentId: '',
      headId: '',
    });
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('Ya existe una unidad con ese nombre');
    const chart = await admin.get('/admin/organigrama').expect(200);
    expect(chart.text).toContain('Mantenimiento Planta');
    expect(chart.text).toContain(org.worker.name);
    expect(chart.text).not.toContain(other.unit.name);
    const log = await admin.get('/admin/auditoria').expect(200);
    expect(log.text).toContain('Creó la unidad Mantenimiento Planta');
  });

  it('edits a category SLA and the company settings', async () => {
    const admin = await signIn(app(), org.admin.email);
    const bad = await postForm(admin, `/admin/categorias/${org.category.id}`, `/admin/categorias/${org.category.id}`, {
      name: org.category.name,
      serviceAreaId: String(org.area.id),
      resolutionHours: '-3',
      description: '',
      active: 'on',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('entre 1 y 8760');
    await postForm(admin, `/admin/categorias/${org.category.id}`, `/admin/categorias/${org.category.id}`, {
      name: org.category.name,
      serviceAreaId: String(org.area.id),
      resolutionHours: '12',
      description: 'Urgente',
      active: '',
    }).then((r) => expect(r.status).toBe(302));
    const cat = await db.prisma.category.findUniqueOrThrow({ where: { id: org.category.id } });
    expect([cat.resolutionHours, cat.active]).toEqual([12, false]);
    const badZone = await postForm(admin, '/admin/empresa', '/admin/empresa', {
      name: 'Empresa',
      timezone: 'Marte/Olympus',
      locale: 'es',
    });
    expect(badZone.status).toBe(422);
    await postForm(admin, '/admin/empresa', '/admin/empresa', {
      name: 'Empresa Renombrada',
      timezone: 'America/Lima',
      locale: 'es',
      reopenDays: '10',
    }).then((r) => expect(r.status).toBe(302));
    const saved = await db.prisma.company.findUniqueOrThrow({ where: { id: org.companyId } });
    expect([saved.timezone, saved.reopenDays]).toEqual(['America/Lima', 10]);
    const badDays = await postForm(admin, '/admin/empresa', '/admin/empresa', {
      name: 'Empresa Renombrada',
      timezone: 'America/Lima',
      locale: 'es',
      reopenDays: '0',
    });
    expect(badDays.status).toBe(422);
  });
});

describe('platform operator', () => {
  it('lists companies and suspends one; its people see why; non-operators get 403', async () => {
    const op = await makeOrg(db.prisma);
    const target = await makeOrg(db.prisma);
    const a = buildApp(db, { SMTP_URL: smtp.url, PLATFORM_OPERATOR_EMAILS: op.admin.email.toUpperCase() });
    const operator = await signIn(a, op.admin.email);
    const list = await operator.get('/plataforma').expect(200);
    expect(list.text).toContain(target.company.name);
    const res = await postForm(operator, '/plataforma', `/plataforma/empresas/${target.companyId}/suspender`, {});
    expect(res.status).toBe(302);
    const agent = request.agent(a);
    const page = await agent.get('/login');
    const refused = await agent
      .post('/login')
      .type('form')
      .send({ email: target.employee.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(refused.text).toContain('está suspendido');
    await postForm(operator, '/plataforma', `/plataforma/empresas/${target.companyId}/reactivar`, {}).then((r) =>
      expect(r.status).toBe(302),
    );
    await signIn(a, target.employee.email);
    const notOp = await signIn(a, target.admin.email);
    expect((await notOp.get('/plataforma')).status).toBe(403);
  });
});
