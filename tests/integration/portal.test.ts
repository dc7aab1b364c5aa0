// The public portal (issue 19): a guest's request from the form through its emailed confirmation into the flow,
// the clean-up of unconfirmed ones, status by number + email, replies from the status page, abuse limits, the
// honeypot, tenancy of every portal route; and the fields per category on both forms.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropUnconfirmed } from '../../src/portal/index.js';
import { Attachments, LocalDiskStorage } from '../../src/conversation/index.js';
import { createLogger } from '../../src/logger.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, makeUnit, makeUser, openPortal } from '../support/factories.js';
import { csrfFrom, postMultipart, signIn } from '../support/http.js';
import { linkIn, startSmtp } from '../support/smtp.js';
import { png, html } from '../support/files.js';
import { submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
  await db.drop();
});

/** An organisation with its portal switched on at a slug of its own (the unit's head as intake approver). */
async function portalOrg() {
  const org = await makeOrg(db.prisma);
  const slug = await openPortal(db.prisma, org.companyId, org.head.id, 'empresa');
  await db.prisma.category.update({
    where: { id: org.category.id },
    data: { description: 'Fugas, goteras y desagües tapados' },
  });
  return { ...org, slug };
}

const app = (overrides: Record<string, string> = {}, clock?: () => Date) =>
  buildApp(db, { SMTP_URL: smtp.url, ...overrides }, clock);

function guestFields(org: Awaited<ReturnType<typeof portalOrg>>, over: Record<string, string> = {}) {
  return {
    name: 'Ana Visitante',
    email: `ana${++seq}@correo.test`,
    phone: '+57 300 123 4567',
    unitId: String(org.unit.id),
    serviceAreaId: String(org.area.id),
    categoryId: String(org.category.id),
    title: 'Gotera en la sala de espera',
    description: 'Cae agua del techo junto a la ventana.',
    location: 'Sala de espera',
    website: '',
    ...over,
  };
}

/** Posts the guest form (its page first: an anonymous agent gets its session and CSRF token there). */
async function submitGuest(agent: request.Agent, slug: string, fields: Record<string, string>, files = [] as never[]) {
  const page = await agent.get(`/p/${slug}/solicitud`).expect(200);
  return postMultipart(agent, '', `/p/${slug}/solicitud`, fields, files, csrfFrom(page.text));
}

/**
 * Follows a confirmation link as a person does: its page (which confirms nothing: mail clients' link scanners open
 * links) and its button, which posts the confirmation.
 */
async function confirmLink(agent: request.Agent, link: string) {
  const page = await agent.get(link).expect(200);
  expect(page.text).toContain('data-portal-confirm');
  return agent
    .post(link)
    .type('form')
    .send({ _csrf: csrfFrom(page.text) });
}

/** Submits and follows the confirmation link; returns the new request. */
async function confirmedGuestRequest(org: Awaited<ReturnType<typeof portalOrg>>, over: Record<string, string> = {}) {
  const agent = request.agent(app());
  const fields = guestFields(org, over);
  const res = await submitGuest(agent, org.slug, fields);
  expect(res.status, res.text.slice(0, 800)).toBe(302);
  const link = linkIn(await smtp.lastTo(fields.email), `/p/${org.slug}/confirmar/`);
  const confirmed = await confirmLink(agent, link);
  expect(confirmed.status).toBe(200);
  expect(confirmed.text).toContain('data-portal-notice="confirmed"');
  const number = Number(/SOL-0*(\d+)/.exec(confirmed.text)![1]);
  const req = await db.prisma.request.findFirstOrThrow({ where: { companyId: org.companyId, number } });
  return { agent, fields, req, link };
}

describe('the company portal', () => {
  it('shows the intro and the catalogue with descriptions; switched off or unknown is a 404', async () => {
    const org = await portalOrg();
    // An area whose only category is retired, and a retired category of a shown area, are not offered.
    const emptyArea = await makeUnit(db.prisma, org.companyId, { name: 'Área sin oferta', kind: 'SERVICE_AREA' });
    await db.prisma.category.createMany({
      data: [
        { companyId: org.companyId, serviceAreaId: emptyArea.id, name: 'Categoría retirada A', active: false },
        { companyId: org.companyId, serviceAreaId: org.area.id, name: 'Categoría retirada B', active: false },
      ],
    });
    const page = await request(app()).get(`/p/${org.slug}`).expect(200);
    expect(page.text).toContain('Bienvenidos');
    expect(page.text).toContain('Fugas, goteras y desagües tapados');
    expect(page.text).toContain(org.category.name);
    expect(page.text).not.toContain('Área sin oferta');
    expect(page.text).not.toContain('Categoría retirada');
    expect(page.text).toContain(`/p/${org.slug}/solicitud`);
    expect(page.text).toContain(`/p/${org.slug}/estado`);
    await request(app()).get('/p/no-existe-esta').expect(404);
    await db.prisma.company.update({ where: { id: org.companyId }, data: { portalEnabled: false } });
    await request(app()).get(`/p/${org.slug}`).expect(404);
    await request(app()).get(`/p/${org.slug}/solicitud`).expect(404);
  });

  it('lets the admin switch it on with a valid, unique, unreserved slug', async () => {
    const org = await makeOrg(db.prisma);
    const other = await portalOrg();
    const admin = await signIn(app(), org.admin.email);
    const post = async (fields: Record<string, string>) => {
      const page = await admin.get('/admin/empresa').expect(200);
      const form = page.text.slice(page.text.indexOf('id="portal"'));
      return admin
        .post('/admin/empresa/portal')
        .type('form')
        .send({ ...fields, _csrf: csrfFrom(form), _once: /name="_once" value="([^"]+)"/.exec(form)?.[1] ?? '' });
    };
    expect((await post({ portalEnabled: 'on', portalSlug: 'admin' })).status).toBe(422);
    expect((await post({ portalEnabled: 'on', portalSlug: '-mal-' })).status).toBe(422);
    expect((await post({ portalEnabled: 'on', portalSlug: other.slug })).status).toBe(422);
    expect((await post({ portalEnabled: 'on', portalSlug: '' })).status).toBe(422);
    const ok = await post({ portalEnabled: 'on', portalSlug: `mi-empresa-${seq}`, portalIntro: 'Hola' });
    expect(ok.status, ok.text.slice(0, 500)).toBe(302);
    await request(app()).get(`/p/mi-empresa-${seq}`).expect(200);
  });
});

describe('a guest request', () => {
  it('is kept unconfirmed until its link is followed, then enters the flow for the unit head', async () => {
    const org = await portalOrg();
    const agent = request.agent(app());
    const fields = guestFields(org);
    const res = await submitGuest(agent, org.slug, fields, [{ name: 'foto.png', data: png() }] as never[]);
    expect(res.status, res.text.slice(0, 800)).toBe(302);
    expect(res.headers.location).toBe(`/p/${org.slug}/solicitud/enviada`);
    expect(await db.prisma.request.count({ where: { companyId: org.companyId } })).toBe(0);
    const submission = await db.prisma.portalSubmission.findFirstOrThrow({ where: { companyId: org.companyId } });
    const link = linkIn(await smtp.lastTo(fields.email), `/p/${org.slug}/confirmar/`);
    // Only the token's hash is stored.
    expect(submission.tokenHash).not.toContain(link.split('/').at(-1)!);

    // Opening the link (a mail client's scanner does) confirms nothing.
    await agent.get(link).expect(200);
    expect(await db.prisma.request.count({ where: { companyId: org.companyId } })).toBe(0);
    const confirmed = await confirmLink(agent, link);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('data-portal-notice="confirmed"');
    const req = await db.prisma.request.findFirstOrThrow({
      where: { companyId: org.companyId },
      include: { requester: true, attachments: true },
    });
    expect(req).toMatchObject({
      status: 'PENDING',
      guestName: 'Ana Visitante',
      guestEmail: fields.email,
      guestPhone: '+57 300 123 4567',
      requesterUnitId: org.unit.id,
      authorizerUnitId: org.unit.id,
      location: 'Sala de espera',
    });
    expect(req.requester.isPortalGuest).toBe(true);
    expect(req.attachments).toHaveLength(1);

    // A second click answers with the same request.
    expect((await confirmLink(agent, link)).text).toContain('data-portal-notice="alreadyConfirmed"');
    expect(await db.prisma.request.count({ where: { companyId: org.companyId } })).toBe(1);

    // It is in the unit head's inbox, who authorizes it like any other; the counts see it.
    const head = await signIn(app(), org.head.email);
    const inbox = await head.get('/autorizaciones').expect(200);
    expect(inbox.text).toContain('Gotera en la sala de espera');
    const detail = await head.get(`/solicitudes/${req.id}`).expect(200);
    expect(detail.text).toContain('Ana Visitante');
    const counts = await db.prisma.requestCount.findMany({ where: { companyId: org.companyId } });
    expect(counts.reduce((n, c) => n + c.n, 0)).toBe(1);
    // The stand-in guest is no person of the admin's list.
    const admin = await signIn(app(), org.admin.email);
    expect((await admin.get('/admin/personas').expect(200)).text).not.toContain('Invitado del portal');
  });

  it('of a known address is filed for that person; "No sé" goes to the intake approver', async () => {
    const org = await portalOrg();
    const { req: known } = await confirmedGuestRequest(org, { email: org.employee.email, unitId: 'no-se' });
    expect(known.requesterId).toBe(org.employee.id);
    expect(known.requesterUnitId).toBe(org.unit.id);

    // The intake approver heads another unit: the guest's "No sé" request waits for them.
    const reception = await db.prisma.unit.create({ data: { companyId: org.companyId, name: `Recepción ${seq}` } });
    const approver = await makeUser(db.prisma, org.companyId, { unitId: reception.id });
    await db.prisma.unit.update({ where: { id: reception.id }, data: { headId: approver.id } });
    await db.prisma.company.update({ where: { id: org.companyId }, data: { portalIntakeApproverId: approver.id } });
    const { req } = await confirmedGuestRequest(org, { unitId: 'no-se' });
    expect(req).toMatchObject({ requesterUnitId: reception.id, authorizerUnitId: reception.id });
    const agent = await signIn(app(), approver.email);
    const page = await agent.get(`/solicitudes/${req.id}`).expect(200);
    const res = await agent
      .post(`/solicitudes/${req.id}/authorize`)
      .type('form')
      .send({
        comment: '',
        _csrf: csrfFrom(page.text),
        _once: /name="_once" value="([^"]+)"/.exec(page.text)?.[1] ?? '',
      });
    expect(res.status, res.text.slice(0, 300)).toBe(302);
    expect((await db.prisma.request.findUniqueOrThrow({ where: { id: req.id } })).status).toBe('AUTHORIZED');
  });

  it('is refused "No sé" without an intake approver, and a unit of another company', async () => {
    const org = await portalOrg();
    const other = await makeOrg(db.prisma);
    await db.prisma.company.update({ where: { id: org.companyId }, data: { portalIntakeApproverId: null } });
    const agent = request.agent(app());
    expect((await submitGuest(agent, org.slug, guestFields(org, { unitId: 'no-se' }))).status).toBe(422);
    expect((await submitGuest(agent, org.slug, guestFields(org, { unitId: String(other.unit.id) }))).status).toBe(422);
    const crossed = guestFields(org, { serviceAreaId: String(other.area.id), categoryId: String(other.category.id) });
    expect((await submitGuest(agent, org.slug, crossed)).status).toBe(422);
  });

  it('checks files like signed-in uploads', async () => {
    const org = await portalOrg();
    const res = await submitGuest(request.agent(app()), org.slug, guestFields(org), [
      { name: 'pagina.html', data: html },
    ] as never[]);
    expect(res.status).toBe(422);
    expect(await db.prisma.portalSubmission.count({ where: { companyId: org.companyId } })).toBe(0);
  });

  it('is dropped with its files when unconfirmed after 24 h (the scheduled job); its link then says so', async () => {
    const org = await portalOrg();
    const t0 = new Date();
    const config = testConfig();
    const uploads = { UPLOAD_DIR: config.UPLOAD_DIR };
    const agent = request.agent(app(uploads, () => t0));
    const fields = guestFields(org);
    expect((await submitGuest(agent, org.slug, fields, [{ name: 'f.png', data: png() }] as never[])).status).toBe(302);
    const link = linkIn(await smtp.lastTo(fields.email), `/p/${org.slug}/confirmar/`);
    const storage = new LocalDiskStorage(config.UPLOAD_DIR);
    const attachments = new Attachments(storage, { maxBytes: 1, maxFiles: 1 });
    const stored = async (key: string) => {
      const opened = await storage.open(key);
      opened?.stream.destroy();
      return opened !== null;
    };
    const submission = await db.prisma.portalSubmission.findFirstOrThrow({ where: { companyId: org.companyId } });
    const [file] = (submission.payload as { files: { storageKey: string }[] }).files;
    expect(await stored(file!.storageKey)).toBe(true);
    const logger = createLogger(config);
    // Not yet expired: kept.
    await dropUnconfirmed({ db: db.prisma, logger, attachments, clock: () => new Date(t0.getTime() + 23 * 3600_000) });
    expect(await db.prisma.portalSubmission.count({ where: { companyId: org.companyId } })).toBe(1);
    // After its link's life, the job drops it with its file; the link is then invalid and nothing enters the flow.
    const later = new Date(t0.getTime() + 24 * 3600_000 + 1000);
    expect((await confirmLink(request.agent(app(uploads, () => later)), link)).status).toBe(410);
    await dropUnconfirmed({ db: db.prisma, logger, attachments, clock: () => later });
    expect(await db.prisma.portalSubmission.count({ where: { companyId: org.companyId } })).toBe(0);
    expect(await stored(file!.storageKey)).toBe(false);
    expect((await confirmLink(request.agent(app(uploads, () => later)), link)).status).toBe(410);
    expect(await db.prisma.request.count({ where: { companyId: org.companyId } })).toBe(0);
  });

  it('is limited per address and per IP, and a filled honeypot stores nothing', async () => {
    const org = await portalOrg();
    // An hour later than the other tests' posts (all from this IP), so only this test's count.
    const later = () => new Date(Date.now() + 2 * 3600_000);
    const limited = app({ PORTAL_PER_HOUR_PER_EMAIL: '2', PORTAL_PER_HOUR_PER_IP: '3' }, later);
    const agent = request.agent(limited);
    const email = `limite${++seq}@correo.test`;
    expect((await submitGuest(agent, org.slug, guestFields(org, { email }))).status).toBe(302);
    expect((await submitGuest(agent, org.slug, guestFields(org, { email }))).status).toBe(302);
    const third = await submitGuest(agent, org.slug, guestFields(org, { email }));
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
    // The IP's limit (3) is reached too, whatever the address.
    expect((await submitGuest(agent, org.slug, guestFields(org))).status).toBe(429);

    const robot = request.agent(app({}, later));
    const before = await db.prisma.portalSubmission.count();
    const res = await submitGuest(robot, org.slug, guestFields(org, { website: 'http://spam.test' }));
    expect(res.status).toBe(302);
    expect(await db.prisma.portalSubmission.count()).toBe(before);
  });

  it('needs the CSRF token of the form', async () => {
    const org = await portalOrg();
    const res = await postMultipart(request.agent(app()), '', `/p/${org.slug}/solicitud`, guestFields(org), [], null);
    expect(res.status).toBe(403);
  });
});

describe('status without signing in', () => {
  it('gives the same answer for right and wrong pairs, and mails a link only for the right one', async () => {
    const org = await portalOrg();
    const { req, fields } = await confirmedGuestRequest(org);
    const agent = request.agent(app());
    const ask = async (number: string, email: string) => {
      const page = await agent.get(`/p/${org.slug}/estado`).expect(200);
      return agent
        .post(`/p/${org.slug}/estado`)
        .type('form')
        .send({ number, email, website: '', _csrf: csrfFrom(page.text) });
    };
    const mailsBefore = smtp.count(fields.email);
    const right = await ask(`SOL-${String(req.number).padStart(6, '0')}`, fields.email.toUpperCase());
    const wrongEmail = await ask(String(req.number), 'otra@correo.test');
    const wrongNumber = await ask(String(req.number + 50), fields.email);
    for (const r of [right, wrongEmail, wrongNumber]) {
      expect(r.status).toBe(302);
      expect(r.headers.location).toBe(`/p/${org.slug}/estado/enviado`);
    }
    const mail = await smtp.lastTo(fields.email, mailsBefore);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.count(fields.email)).toBe(mailsBefore + 1);
    expect(smtp.count('otra@correo.test')).toBe(0);
    const link = linkIn(mail, `/p/${org.slug}/estado/`);
    expect(await db.prisma.portalStatusLink.count({ where: { companyId: org.companyId } })).toBe(1);

    // The page: state and history, public comments only.
    await db.prisma.requestComment.createMany({
      data: [
        {
          companyId: org.companyId,
          requestId: req.id,
          authorId: org.head.id,
          body: 'Vamos a revisar',
          internal: false,
        },
        {
          companyId: org.companyId,
          requestId: req.id,
          authorId: org.servicesHead.id,
          body: 'NOTA-INTERNA',
          internal: true,
        },
      ],
    });
    const page = await agent.get(link).expect(200);
    expect(page.text).toContain('Gotera en la sala de espera');
    expect(page.text).toContain('Vamos a revisar');
    expect(page.text).not.toContain('NOTA-INTERNA');

    // The guest replies: a public comment of the request, notified like any other.
    const reply = await agent
      .post(link)
      .type('form')
      .send({ body: 'Sigue goteando, gracias', _csrf: csrfFrom(page.text) });
    expect(reply.status, reply.text.slice(0, 300)).toBe(302);
    const comment = await db.prisma.requestComment.findFirstOrThrow({
      where: { companyId: org.companyId, requestId: req.id, body: 'Sigue goteando, gracias' },
    });
    expect(comment).toMatchObject({ internal: false, authorId: req.requesterId });
    expect(await db.prisma.jobOutbox.count({ where: { task: { contains: 'comment' } } })).toBeGreaterThan(0);
    expect((await agent.get(link).expect(200)).text).toContain('Sigue goteando, gracias');

    // Expired: the link shows nothing.
    const later = new Date(Date.now() + 25 * 3600_000);
    await request
      .agent(app({}, () => later))
      .get(link)
      .expect(404);
  });
});

describe('tenancy of the portal routes', () => {
  it("answers 404 to another company's slug with a company's tokens, numbers, units and categories", async () => {
    const a = await portalOrg();
    const b = await portalOrg();
    const { req, fields } = await confirmedGuestRequest(a);
    // A confirmation link of A followed under B's slug.
    const agent = request.agent(app());
    const f2 = guestFields(a);
    expect((await submitGuest(agent, a.slug, f2)).status).toBe(302);
    const confirm = linkIn(await smtp.lastTo(f2.email), `/p/${a.slug}/confirmar/`);
    expect((await confirmLink(agent, confirm.replace(`/p/${a.slug}/`, `/p/${b.slug}/`))).status).toBe(410);
    expect(await db.prisma.request.count({ where: { companyId: b.companyId } })).toBe(0);
    // A status link of A under B's slug.
    const page = await agent.get(`/p/${a.slug}/estado`);
    const mailsBefore = smtp.count(fields.email);
    await agent
      .post(`/p/${a.slug}/estado`)
      .type('form')
      .send({ number: String(req.number), email: fields.email, website: '', _csrf: csrfFrom(page.text) });
    const status = linkIn(await smtp.lastTo(fields.email, mailsBefore), `/p/${a.slug}/estado/`);
    await agent.get(status.replace(`/p/${a.slug}/`, `/p/${b.slug}/`)).expect(404);
    const bPage = await agent.get(`/p/${b.slug}/estado`);
    expect(
      (
        await agent
          .post(status.replace(`/p/${a.slug}/`, `/p/${b.slug}/`))
          .type('form')
          .send({ body: 'Respuesta cruzada', _csrf: csrfFrom(bPage.text) })
      ).status,
    ).toBe(404);
    // A's number with its email asked on B's portal: nothing is mailed.
    const before = smtp.count(fields.email);
    await agent
      .post(`/p/${b.slug}/estado`)
      .type('form')
      .send({ number: String(req.number), email: fields.email, website: '', _csrf: csrfFrom(bPage.text) })
      .expect(302);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.count(fields.email)).toBe(before);
    // A's unit and category on B's form are refused.
    expect((await submitGuest(agent, b.slug, guestFields(b, { unitId: String(a.unit.id) }))).status).toBe(422);
    const crossed = guestFields(b, { serviceAreaId: String(a.area.id), categoryId: String(a.category.id) });
    expect((await submitGuest(agent, b.slug, crossed)).status).toBe(422);
    expect(await db.prisma.portalSubmission.count({ where: { companyId: b.companyId } })).toBe(0);
  });
});

describe('fields per category', () => {
  async function defineFields(org: Awaited<ReturnType<typeof portalOrg>>) {
    const admin = await signIn(app(), org.admin.email);
    const add = async (fields: Record<string, string>) => {
      const page = await admin.get(`/admin/categorias/${org.category.id}`).expect(200);
      const form = page.text.slice(page.text.lastIndexOf(`action="/admin/categorias/${org.category.id}/campos"`));
      return admin
        .post(`/admin/categorias/${org.category.id}/campos`)
        .type('form')
        .send({
          required: 'on',
          helpText: '',
          options: '',
          position: '',
          ...fields,
          _csrf: csrfFrom(form),
          _once: /name="_once" value="([^"]+)"/.exec(form)?.[1] ?? '',
        });
    };
    expect((await add({ label: 'Lista sin opciones', type: 'LIST' })).status).toBe(422);
    for (const [label, type, options] of [
      ['Código del equipo', 'TEXT', ''],
      ['Detalle', 'LONG_TEXT', ''],
      ['Cantidad', 'NUMBER', ''],
      ['Fecha del daño', 'DATE', ''],
      ['Piso', 'LIST', '1\n2\n3'],
      ['¿Hay riesgo?', 'YES_NO', ''],
    ] as const) {
      const res = await add({ label, type, options });
      expect(res.status, res.text.slice(0, 300)).toBe(302);
    }
    const defs = await db.prisma.categoryField.findMany({
      where: { companyId: org.companyId },
      orderBy: { id: 'asc' },
    });
    expect(defs).toHaveLength(6);
    return { admin, defs };
  }
  const answers = (defs: { id: number }[]) =>
    Object.fromEntries(
      ['EQ-4471', 'Se rompió al abrir', '3', '2026-11-30', '2', 'yes'].map((v, i) => [`campo_${defs[i]!.id}`, v]),
    );

  it('are required by type on the signed-in form, stored with a snapshot, shown, searchable and exported', async () => {
    const org = await portalOrg();
    const { admin, defs } = await defineFields(org);
    const employee = await signIn(app(), org.employee.email);
    const form = await employee.get('/solicitudes/nueva').expect(200);
    expect(form.text).toContain('Código del equipo');
    expect(form.text).toContain('Fugas, goteras y desagües tapados');
    // Every required field of every type is refused when missing.
    const missing = await postMultipart(employee, '/solicitudes/nueva', '/solicitudes', {
      serviceAreaId: String(org.area.id),
      categoryId: String(org.category.id),
      title: 'Fuga de agua en el baño',
      description: 'El lavamanos gotea desde ayer y moja el piso.',
      priority: 'HIGH',
    });
    expect(missing.status).toBe(422);
    for (const d of defs) expect(missing.text).toContain(`campo-${d.id}-error`);
    // Wrong values of each checked type.
    const wrong = await postMultipart(employee, '/solicitudes/nueva', '/solicitudes', {
      serviceAreaId: String(org.area.id),
      categoryId: String(org.category.id),
      title: 'Fuga de agua en el baño',
      description: 'El lavamanos gotea desde ayer y moja el piso.',
      priority: 'HIGH',
      ...answers(defs),
      [`campo_${defs[2]!.id}`]: 'tres',
      [`campo_${defs[3]!.id}`]: '2026-02-30',
      [`campo_${defs[4]!.id}`]: '9',
      [`campo_${defs[5]!.id}`]: 'quizá',
    });
    expect(wrong.status).toBe(422);
    for (const d of defs.slice(2)) expect(wrong.text).toContain(`campo-${d.id}-error`);

    const id = await submitThroughForm(employee, org, answers(defs));
    const stored = await db.prisma.request.findUniqueOrThrow({ where: { id } });
    expect(stored.fieldValues).toEqual([
      { fieldId: defs[0]!.id, label: 'Código del equipo', type: 'TEXT', value: 'EQ-4471' },
      { fieldId: defs[1]!.id, label: 'Detalle', type: 'LONG_TEXT', value: 'Se rompió al abrir' },
      { fieldId: defs[2]!.id, label: 'Cantidad', type: 'NUMBER', value: 3 },
      { fieldId: defs[3]!.id, label: 'Fecha del daño', type: 'DATE', value: '2026-11-30' },
      { fieldId: defs[4]!.id, label: 'Piso', type: 'LIST', value: '2' },
      { fieldId: defs[5]!.id, label: '¿Hay riesgo?', type: 'YES_NO', value: true },
    ]);
    const detail = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(detail.text).toContain('EQ-4471');
    expect((await employee.get(`/solicitudes/${id}/imprimir`)).text).toContain('EQ-4471');
    // Searchable from the inboxes.
    expect(stored.fieldsText).toContain('EQ-4471');
    // (Only the answer to "Detalle" has the word.)
    const found = await admin.get('/empresa/solicitudes?q=rompio').expect(200);
    expect(found.text).toContain(`/solicitudes/${id}`);
    expect((await admin.get('/empresa/solicitudes?q=zanahoria').expect(200)).text).not.toContain(`/solicitudes/${id}`);
    // The CSV export of the period's requests carries the answers.
    const csv = await admin.get('/indicadores/exportar/solicitudes').expect(200);
    expect(csv.text).toContain('Código del equipo: EQ-4471');

    // Changing and removing definitions keeps the old request's answers as they were.
    await db.prisma.categoryField.update({ where: { id: defs[0]!.id }, data: { label: 'Serie', type: 'NUMBER' } });
    await db.prisma.categoryField.update({ where: { id: defs[1]!.id }, data: { active: false } });
    const after = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(after.text).toContain('Código del equipo');
    expect(after.text).toContain('Se rompió al abrir');
  });

  it('appear on the guest form and are checked there too', async () => {
    const org = await portalOrg();
    const { defs } = await defineFields(org);
    const agent = request.agent(app());
    const form = await agent.get(`/p/${org.slug}/solicitud?categoria=${org.category.id}&lugar=Bloque%20B`).expect(200);
    expect(form.text).toContain('¿Hay riesgo?');
    expect(form.text).toContain('value="Bloque B"');
    expect((await submitGuest(agent, org.slug, guestFields(org))).status).toBe(422);
    const { req } = await confirmedGuestRequest(org, answers(defs));
    expect((req.fieldValues as { value: unknown }[]).map((v) => v.value)).toEqual([
      'EQ-4471',
      'Se rompió al abrir',
      3,
      '2026-11-30',
      '2',
      true,
    ]);
  });
});

describe('QR posters', () => {
  it('print a page with the location and an inline SVG code of the prefilled form', async () => {
    const org = await portalOrg();
    const admin = await signIn(app(), org.admin.email);
    await admin.get('/admin/portal/cartel').expect(200);
    const poster = await admin
      .get('/admin/portal/cartel/imprimir?location=Bloque%20B%20piso%202&instructions=')
      .expect(200);
    expect(poster.text).toContain('Bloque B piso 2');
    expect(poster.text).toMatch(/<svg[^>]*>/);
    expect(poster.text).toContain(`/p/${org.slug}/solicitud?lugar=Bloque%20B%20piso%202`);
    await admin.get('/admin/portal/cartel/imprimir?location=').expect(422);
    const employee = await signIn(app(), org.employee.email);
    await employee.get('/admin/portal/cartel').expect(403);
  });
});
