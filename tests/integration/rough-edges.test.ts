// Issue 18's rough edges, as a person meets them over HTTP: the menu after a form error, a conflict answered with
// Post/Redirect/Get, the way back to the list, search by ticket number and category, matches in other tabs, wording.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { csrfFrom, postMultipart, signIn } from '../support/http.js';
import { act, snapshot, submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let org: Awaited<ReturnType<typeof makeOrg>>;
type Agent = Awaited<ReturnType<typeof signIn>>;
let employee: Agent, head: Agent, services: Agent, worker: Agent;

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  app = buildApp(db);
  [employee, head, services, worker] = (await Promise.all(
    [org.employee, org.head, org.servicesHead, org.worker].map((u) => signIn(app, u.email)),
  )) as [Agent, Agent, Agent, Agent];
});
afterAll(() => db.drop());

const tkt = (n: number) => `TKT-${String(n).padStart(6, '0')}`;
const openTab = (html: string) => /aria-current="page" data-tab="([^"]+)"/.exec(html)?.[1];
const rows = (html: string) => (html.match(/data-request="/g) ?? []).length;

/** A request approved to the worker; returns its id and its ticket's number. */
async function approved(fields: Record<string, string> = {}, instructions = 'Revisar el tablero') {
  const id = await submitThroughForm(employee, org, fields);
  await act(head, id, 'authorize');
  await act(services, id, 'approve', { workerId: String(org.worker.id), instructions });
  const { ticket } = await snapshot(db.prisma, id);
  return { id, ticket: ticket!.number };
}

describe('the menu', () => {
  it('is complete on a form re-rendered with errors (422), not only "Inicio"', async () => {
    const id = await submitThroughForm(employee, org);
    await act(head, id, 'authorize');
    const invalid = await act(services, id, 'reject', { reason: 'x' });
    expect(invalid.status).toBe(422);
    for (const href of ['/solicitudes', '/bandeja', '/tickets', '/indicadores']) {
      expect(invalid.text).toContain(`href="${href}"`);
    }
  });
});

describe('someone acted first', () => {
  it('redirects (303) to the request with the explanation, once, without a double period', async () => {
    const id = await submitThroughForm(employee, org);
    await act(employee, id, 'cancel', { reason: 'Ya no hace falta' });
    const late = await act(head, id, 'authorize');
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe(`/solicitudes/${id}`);
    const page = await head.get(late.headers.location!).expect(200);
    expect(page.text).toContain('Alguien actuó primero');
    expect(page.text).toMatch(/ya fue cancelada el [^<]+ por Empleado Uno\. Tu acción no se aplicó\./);
    expect(page.text).not.toMatch(/m\.\.|\.\. /);
    expect(page.text).toContain('href="/autorizaciones"');
    // Reloading shows the page (a GET), and the message is not repeated.
    expect((await head.get(late.headers.location!)).text).not.toContain('Alguien actuó primero');
  });

  it('keeps the way back to the list the person came from', async () => {
    const id = await submitThroughForm(employee, org);
    await act(employee, id, 'cancel', { reason: 'Ya no hace falta' });
    const back = '/autorizaciones?tab=pendientes';
    const page = await head.get(`/solicitudes/${id}`);
    const late = await head
      .post(`/solicitudes/${id}/authorize?volver=${encodeURIComponent(back)}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe(`/solicitudes/${id}?volver=${encodeURIComponent(back)}`);
  });
});

describe('the way back', () => {
  it('an action on the detail page returns to it, and its "Volver" still goes to the list', async () => {
    const id = await submitThroughForm(employee, org);
    const back = '/autorizaciones?tab=pendientes&page=1';
    const detail = await head.get(`/solicitudes/${id}?volver=${encodeURIComponent(back)}`).expect(200);
    // The page's forms carry the list along.
    expect(detail.text).toContain(`/solicitudes/${id}/authorize?volver=${encodeURIComponent(back)}`);
    const res = await head
      .post(`/solicitudes/${id}/authorize?volver=${encodeURIComponent(back)}`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text) });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/solicitudes/${id}?volver=${encodeURIComponent(back)}`);
    const after = await head.get(res.headers.location!).expect(200);
    expect(after.text).toContain(`href="${back.replace(/&/g, '&amp;')}"`);
  });

  it('without a list to return to, leads to the list where the person meets the request', async () => {
    const { id } = await approved();
    const back = (html: string) => /href="([^"]+)"><i class="bi bi-arrow-left"/.exec(html)?.[1];
    expect(back((await employee.get(`/solicitudes/${id}`)).text)).toBe('/solicitudes');
    expect(back((await worker.get(`/solicitudes/${id}`)).text)).toBe('/mis-tickets');
    expect(back((await services.get(`/solicitudes/${id}`)).text)).toBe('/bandeja');
    expect(back((await head.get(`/solicitudes/${id}`)).text)).toBe('/autorizaciones');
  });

  it('follows only same-site paths', async () => {
    const id = await submitThroughForm(employee, org);
    for (const evil of ['https://evil.test/x', '//evil.test', '/\\evil.test', 'javascript:alert(1)']) {
      const page = await head.get(`/solicitudes/${id}?volver=${encodeURIComponent(evil)}`).expect(200);
      expect(page.text).not.toContain('evil.test');
      expect(page.text).not.toContain('javascript:');
    }
  });

  it('"Iniciar trabajo" from the tray lands on the in-progress tab, which then opens by default', async () => {
    const { id } = await approved();
    const tray = await worker.get('/mis-tickets?tab=asignados').expect(200);
    const form = new RegExp(`action="/solicitudes/${id}/start"[\\s\\S]*?name="volver" value="([^"]+)"`).exec(tray.text);
    const volver = form![1]!.replace(/&amp;/g, '&');
    expect(volver).toContain('tab=en-ejecucion');
    const res = await worker
      .post(`/solicitudes/${id}/start`)
      .type('form')
      .send({ _csrf: csrfFrom(tray.text), volver });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(volver);
    const landed = await worker.get(res.headers.location!).expect(200);
    expect(openTab(landed.text)).toBe('en-ejecucion');
    expect(landed.text).toContain(`/solicitudes/${id}?`);
  });

  it('the tray opens on the first tab with work in it', async () => {
    const other = await makeOrg(db.prisma);
    const [emp, hd, sv, wk] = (await Promise.all(
      [other.employee, other.head, other.servicesHead, other.worker].map((u) => signIn(app, u.email)),
    )) as [Agent, Agent, Agent, Agent];
    const id = await submitThroughForm(emp, other);
    await act(hd, id, 'authorize');
    await act(sv, id, 'approve', { workerId: String(other.worker.id), instructions: 'Cambiar el grifo' });
    const assigned = (await wk.get('/mis-tickets')).text;
    expect(openTab(assigned)).toBe('asignados');
    expect(assigned).toContain(`/solicitudes/${id}?`);
    await act(wk, id, 'start');
    // Opened on a tab other than the first, its page is read after the counts (the first is read with them).
    const inProgress = (await wk.get('/mis-tickets')).text;
    expect(openTab(inProgress)).toBe('en-ejecucion');
    expect(inProgress).toContain(`/solicitudes/${id}?`);
    expect(inProgress.match(/data-ticket="/g)).toHaveLength(1);
  });
});

describe('search', () => {
  it('finds a ticket number in the tickets trays and the inboxes', async () => {
    const { id, ticket } = await approved({ title: 'Buscar por ticket' });
    const mine = await worker.get(`/mis-tickets?q=${tkt(ticket)}`).expect(200);
    expect(mine.text).toContain('Buscar por ticket');
    expect(mine.text.match(/data-ticket="/g)).toHaveLength(1);
    const area = await services.get(`/tickets?q=tkt-${ticket}`).expect(200);
    expect(area.text.match(/data-ticket="/g)).toHaveLength(1);
    const inbox = await services.get(`/bandeja?tab=todas&q=${tkt(ticket)}`).expect(200);
    expect(rows(inbox.text)).toBe(1);
    expect(inbox.text).toContain(`data-request="${id}"`);
    const own = await employee.get(`/solicitudes?q=${tkt(ticket)}`).expect(200);
    expect(own.text).toContain(`data-request="${id}"`);
  });

  it('finds the words of the instructions, of the resolution note and of the category name', async () => {
    const category = await db.prisma.category.create({
      data: { companyId: org.companyId, serviceAreaId: org.area.id, name: 'Cerrajería' },
    });
    const locked = await submitThroughForm(employee, org, { categoryId: String(category.id), title: 'Puerta' });
    const byCategory = await employee.get('/solicitudes?q=cerrajeria').expect(200);
    expect(byCategory.text).toContain(`data-request="${locked}"`);
    expect(rows(byCategory.text)).toBe(1);

    const { id } = await approved({ title: 'Tablero' }, 'Llevar el multímetro amarillo');
    const byInstructions = await services.get('/bandeja?tab=todas&q=multimetro').expect(200);
    expect(byInstructions.text).toContain(`data-request="${id}"`);
    await act(worker, id, 'start');
    await act(worker, id, 'finish', { resolution: 'Se reemplazó el disyuntor quemado' });
    const byResolution = await employee.get('/solicitudes?q=disyuntor').expect(200);
    expect(byResolution.text).toContain(`data-request="${id}"`);
  });

  it('a search that matches only in other tabs says where, with counts', async () => {
    const id = await submitThroughForm(employee, org, { title: 'Ventilador zumbón del archivo' });
    await act(head, id, 'authorize');
    const res = await head.get('/autorizaciones?tab=pendientes&q=zumbon').expect(200);
    expect(rows(res.text)).toBe(0);
    expect(res.text).toContain('data-matches-elsewhere');
    expect(res.text).toContain('Nada coincide con la búsqueda en «Pendientes de autorizar»');
    expect(res.text).toMatch(/data-tab-match="autorizadas">Autorizadas: 1</);
    expect(res.text).toMatch(/data-tab-match="todas">Todas: 1</);
    // The tickets tray too.
    const { ticket } = await approved({ title: 'Otra búsqueda' });
    const tray = await worker.get(`/mis-tickets?tab=finalizados&q=${tkt(ticket)}`).expect(200);
    expect(tray.text).toMatch(/data-tab-match="asignados">Asignados: 1</);
  });
});

describe('the filter dates', () => {
  it('say an impossible date beside its field, keep what was typed, and show the list without it', async () => {
    const id = await submitThroughForm(employee, org, { title: 'Fecha imposible' });
    await act(head, id, 'authorize');
    for (const [query, field, message] of [
      ['desde=2026-02-30', 'desde', 'La fecha «Desde» (2026-02-30) no es una fecha válida'],
      ['hasta=31%2F12%2F2026', 'hasta', 'La fecha «Hasta» (31/12/2026) no es una fecha válida'],
    ] as const) {
      const res = await services.get(`/bandeja?tab=todas&${query}`).expect(200);
      expect(res.text, query).toContain(`data-request="${id}"`);
      expect(res.text, query).toMatch(
        new RegExp(`name="${field}" value="[^"]+" aria-invalid="true" aria-describedby="f-${field}-error"`),
      );
      expect(res.text, query).toContain(`id="f-${field}-error" role="alert">${message}`);
    }
    // What was typed is shown as text, never as markup.
    const hostile = await services.get('/bandeja?tab=todas&desde=%3Cb%3Ex').expect(200);
    expect(hostile.text).toContain('(&lt;b&gt;x)');
    expect(hostile.text).not.toContain('<b>x');
  });

  it('say a period that ends before it starts, and accept a valid one silently', async () => {
    const id = await submitThroughForm(employee, org, { title: 'Periodo al revés' });
    await act(head, id, 'authorize');
    const backwards = await services.get('/bandeja?tab=todas&desde=2026-05-10&hasta=2026-05-01').expect(200);
    expect(rows(backwards.text)).toBe(0);
    expect(backwards.text).toContain('La fecha «Hasta» es anterior a «Desde»');
    const valid = await services.get('/bandeja?tab=todas&desde=2020-01-01&hasta=2099-12-31').expect(200);
    expect(valid.text).toContain(`data-request="${id}"`);
    expect(valid.text).not.toContain('aria-invalid');
  });
});

describe('wording', () => {
  it('says "1 abierto" for one open ticket and "2 abiertos" for two', async () => {
    const other = await makeOrg(db.prisma);
    const [emp, hd, sv] = (await Promise.all(
      [other.employee, other.head, other.servicesHead].map((u) => signIn(app, u.email)),
    )) as [Agent, Agent, Agent];
    const approveOne = async () => {
      const id = await submitThroughForm(emp, other);
      await act(hd, id, 'authorize');
      return id;
    };
    const first = await approveOne();
    await act(sv, first, 'approve', { workerId: String(other.worker.id), instructions: 'Primero' });
    const second = await approveOne();
    let page = await sv.get(`/solicitudes/${second}`).expect(200);
    expect(page.text).toContain('1 abierto (asignados: 1, en ejecución: 0)');
    expect(page.text).not.toContain('1 abiertos');
    await act(sv, second, 'approve', { workerId: String(other.worker.id), instructions: 'Segundo' });
    const third = await approveOne();
    page = await sv.get(`/solicitudes/${third}`).expect(200);
    expect(page.text).toContain('2 abiertos (asignados: 2, en ejecución: 0)');
  });

  it('refuses a program renamed .pdf saying its content does not match the extension', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(400)]);
    const res = await postMultipart(
      employee,
      '/solicitudes/nueva',
      '/solicitudes',
      {
        serviceAreaId: String(org.area.id),
        categoryId: String(org.category.id),
        title: 'Con adjunto falso',
        description: 'Adjunto una factura en PDF.',
        priority: 'LOW',
      },
      [{ name: 'factura.pdf', data: exe }],
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('El contenido de «factura.pdf» no corresponde a su extensión: no es un archivo PDF.');
    expect(res.text).not.toContain('solo imágenes');
  });

  it('explains the 403 of a list as a list, not as "esta solicitud"', async () => {
    const res = await employee.get('/autorizaciones').expect(403);
    expect(res.text).toContain('Esta lista es para quienes autorizan solicitudes');
    expect(res.text).not.toContain('esta solicitud');
    expect((await employee.get('/mis-tickets').expect(403)).text).toContain('trabajadores de un área de servicio');
  });

  it('says a rejected or cancelled request will have no ticket, and who finished one', async () => {
    const rejected = await submitThroughForm(employee, org);
    await act(head, rejected, 'reject', { reason: 'No corresponde' });
    const page = await employee.get(`/solicitudes/${rejected}`).expect(200);
    expect(page.text).toContain('La solicitud fue rechazada: no tendrá ticket.');
    expect(page.text).not.toContain('Aún no hay ticket');

    const { id } = await approved();
    await act(worker, id, 'start');
    await act(worker, id, 'finish', { resolution: 'Listo' });
    const done = await employee.get(`/solicitudes/${id}`).expect(200);
    expect(done.text).toMatch(/data-finished>[^<]+, por Trabajador Uno</);
  });

  it('names the menu entry and the page the same, and puts "Todas" first in every tab strip', async () => {
    const unit = await head.get('/autorizaciones').expect(200);
    expect(unit.text).toContain('<h1 class="h3 mb-0">Autorizaciones</h1>');
    for (const [agent, path] of [
      [employee, '/solicitudes'],
      [head, '/autorizaciones'],
      [services, '/bandeja'],
    ] as const) {
      expect(/data-tab="([^"]+)"/.exec((await agent.get(path)).text)?.[1], path).toBe('todas');
    }
  });

  it('"Mis solicitudes" has no requester column', async () => {
    const mine = await employee.get('/solicitudes').expect(200);
    expect(mine.text).not.toContain('>Solicitante</th>');
    const unit = await head.get('/autorizaciones?tab=todas').expect(200);
    expect(unit.text).toContain('>Solicitante</th>');
  });

  it('the indicators say when they swapped the dates or cut the period', async () => {
    const admin = await signIn(app, org.admin.email);
    const swapped = await admin.get('/indicadores?desde=2026-03-05&hasta=2026-03-01').expect(200);
    expect(swapped.text).toContain('data-adjusted="swapped"');
    expect(swapped.text).toContain('se intercambiaron');
    const long = await admin.get('/indicadores?desde=2000-01-01&hasta=2026-03-10').expect(200);
    expect(long.text).toContain('data-adjusted="clamped"');
    expect(long.text).toContain('más de 1.100 días');
    const plain = await admin.get('/indicadores?desde=2026-03-01&hasta=2026-03-05').expect(200);
    expect(plain.text).not.toContain('data-adjusted');
  });
});

describe('Portuguese', () => {
  it('is offered by the switcher and shows pages, dates and plurals in pt-BR', async () => {
    const agent = await signIn(app, org.employee.email);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('<option value="pt-BR" lang="pt-BR">Português (Brasil)</option>');
    await agent
      .post('/idioma')
      .type('form')
      .send({ lang: 'pt-BR', next: '/solicitudes', _csrf: csrfFrom(home.text) })
      .expect(302);
    const list = await agent.get('/solicitudes').expect(200);
    expect(list.text).toContain('<html lang="pt-BR">');
    expect(list.text).toContain('Minhas solicitações');
    // Dates as in Brazil: "5 de mar. de 2026, 10:00" style, day before month.
    expect(list.text).toMatch(/\d{1,2} de [a-zç]{3,4}\.? de \d{4}/);
  });

  it('is a language a person may choose in the profile', async () => {
    const agent = await signIn(app, org.worker.email);
    const page = await agent.get('/cuenta').expect(200);
    expect(page.text).toContain('value="pt-BR"');
  });
});

describe('the sign-in form', () => {
  it('is empty for a stranger (the prefilled address follows a link: signup.test.ts, admin.test.ts)', async () => {
    const anon = request.agent(app);
    const page = await anon.get('/login').expect(200);
    expect(page.text).toContain('name="email" value=""');
  });
});
