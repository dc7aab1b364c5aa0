// Forms that can't post twice (src/submissions): the same form posted many times at once, or again after it was
// answered, writes once and every post is sent where the first went; a refused post frees its key; keys are
// per person and per company.
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { png } from '../support/files.js';
import { csrfFrom, postMultipart, signIn } from '../support/http.js';
import { startSmtp } from '../support/smtp.js';

let db: TestDatabase & { drop(): Promise<void> };
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let app: ReturnType<typeof buildApp>;
let a: Awaited<ReturnType<typeof makeOrg>>;
let b: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtp();
  [a, b] = [await makeOrg(db.prisma), await makeOrg(db.prisma)];
  app = buildApp(db, { SMTP_URL: smtp.url });
});
afterAll(async () => {
  await smtp.close();
  await db.drop();
});

/** The CSRF token and the one-time key of the first post form of `path` (as a browser would send them). */
async function formOf(agent: request.Agent, path: string) {
  const page = await agent.get(path).expect(200);
  const once = /name="_once" value="([^"]+)"/.exec(page.text)?.[1];
  if (!once) throw new Error(`no one-time key on ${path}`);
  return { csrf: csrfFrom(page.text), once };
}

const requestFields = (org: typeof a, title: string) => ({
  serviceAreaId: String(org.area.id),
  categoryId: String(org.category.id),
  title,
  description: 'El lavamanos gotea desde ayer y moja el piso.',
  priority: 'HIGH',
});

/** Posts a new request (multipart, with a photo) carrying `once`. */
function submit(agent: request.Agent, csrf: string, once: string, fields: Record<string, string>) {
  const photo = [{ name: 'fuga.png', data: png(8, 6) }];
  return postMultipart(agent, '', '/solicitudes', { ...fields, _once: once }, photo, csrf);
}

function post(agent: request.Agent, path: string, csrf: string, once: string, fields: Record<string, string> = {}) {
  return agent
    .post(path)
    .type('form')
    .send({ ...fields, _csrf: csrf, _once: once });
}

/** Every answer is a redirect to one and the same place; that place. */
function sameRedirect(responses: { status: number; headers: Record<string, string> }[]): string {
  expect(responses.map((r) => r.status).filter((s) => s !== 302 && s !== 303)).toEqual([]);
  const places = new Set(responses.map((r) => r.headers.location));
  expect([...places]).toHaveLength(1);
  return [...places][0]!;
}

const twenty = <T>(send: () => Promise<T>) => Promise.all(Array.from({ length: 20 }, send));

async function submitted(agent: request.Agent, org: typeof a, title: string) {
  const { csrf, once } = await formOf(agent, '/solicitudes/nueva');
  const res = await submit(agent, csrf, once, requestFields(org, title));
  expect(res.status).toBe(302);
  return Number(/\/solicitudes\/(\d+)$/.exec(res.headers.location!)![1]);
}

describe('twenty identical posts of one form at once', () => {
  it('"Enviar solicitud": one request, one photo, all sent to it', async () => {
    const employee = await signIn(app, a.employee.email);
    const { csrf, once } = await formOf(employee, '/solicitudes/nueva');
    const title = `Veinte veces ${randomUUID()}`;
    const responses = await twenty(() => submit(employee, csrf, once, requestFields(a, title)));
    const place = sameRedirect(responses);
    const rows = await db.prisma.request.findMany({ where: { title }, include: { attachments: true } });
    expect(rows).toHaveLength(1);
    expect(place).toBe(`/solicitudes/${rows[0]!.id}`);
    expect(rows[0]!.attachments).toHaveLength(1);
    // The repeats show the first post's message too: with a double click, the browser shows only the last answer.
    const repeat = responses.find((r) => r.status === 303)!;
    expect(String(repeat.headers['set-cookie'])).toContain('flash=');
  });

  it('"Publicar": one comment', async () => {
    const employee = await signIn(app, a.employee.email);
    const id = await submitted(employee, a, 'Comentario repetido');
    const { csrf, once } = await formOf(employee, `/solicitudes/${id}`);
    const body = `Una sola vez ${randomUUID()}`;
    const responses = await twenty(() =>
      postMultipart(employee, '', `/solicitudes/${id}/comentarios`, { body, _once: once }, [], csrf),
    );
    const place = sameRedirect(responses);
    const comments = await db.prisma.requestComment.findMany({ where: { requestId: id, body } });
    expect(comments).toHaveLength(1);
    expect(place).toBe(`/solicitudes/${id}#comentario-${comments[0]!.id}`);
  });

  it('"Autorizar": one transition, one event', async () => {
    const employee = await signIn(app, a.employee.email);
    const head = await signIn(app, a.head.email);
    const id = await submitted(employee, a, 'Autorización repetida');
    const { csrf, once } = await formOf(head, `/solicitudes/${id}`);
    const responses = await twenty(() => post(head, `/solicitudes/${id}/authorize`, csrf, once));
    sameRedirect(responses);
    const events = await db.prisma.requestEvent.findMany({ where: { requestId: id, action: 'AUTHORIZE' } });
    expect(events).toHaveLength(1);
    expect((await db.prisma.request.findUniqueOrThrow({ where: { id } })).status).toBe('AUTHORIZED');
  });
});

describe('a post of a form already answered', () => {
  it('whose client went away (a double click cancels the first post): the repeat is not kept waiting', async () => {
    const employee = await signIn(app, a.employee.email);
    const head = await signIn(app, a.head.email);
    const id = await submitted(employee, a, 'Primer envío cancelado');
    const { csrf, once } = await formOf(head, `/solicitudes/${id}`);
    // The client gives up after 30 ms; on a fast machine the first post may already be answered by then, and the
    // repeat must behave the same either way.
    await post(head, `/solicitudes/${id}/authorize`, csrf, once)
      .timeout(30)
      .catch((err: Error) => expect(err.message).toMatch(/Timeout/));
    const started = Date.now();
    const again = await post(head, `/solicitudes/${id}/authorize`, csrf, once);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(again.status === 302 || again.status === 303).toBe(true);
    expect(again.headers.location).toBe(`/solicitudes/${id}`);
    expect(await db.prisma.requestEvent.count({ where: { requestId: id, action: 'AUTHORIZE' } })).toBe(1);
  });

  it('is sent where the first went and writes nothing', async () => {
    const employee = await signIn(app, a.employee.email);
    const { csrf, once } = await formOf(employee, '/solicitudes/nueva');
    const title = `Atrás y reenviar ${randomUUID()}`;
    const first = await submit(employee, csrf, once, requestFields(a, title));
    expect(first.status).toBe(302);
    const again = await submit(employee, csrf, once, requestFields(a, title));
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    // Even with other values: it is the same form, already sent.
    const edited = await submit(employee, csrf, once, requestFields(a, `${title} (editado)`));
    expect(edited.headers.location).toBe(first.headers.location);
    expect(await db.prisma.request.count({ where: { title: { startsWith: title } } })).toBe(1);
  });

  it('refused (422) frees its key: the corrected form with the same key is saved, once', async () => {
    const employee = await signIn(app, a.employee.email);
    const { csrf, once } = await formOf(employee, '/solicitudes/nueva');
    const title = `Corregida ${randomUUID()}`;
    const refused = await submit(employee, csrf, once, { ...requestFields(a, title), description: '' });
    expect(refused.status).toBe(422);
    const corrected = await twenty(() => submit(employee, csrf, once, requestFields(a, title)));
    sameRedirect(corrected);
    expect(await db.prisma.request.count({ where: { title } })).toBe(1);
  });

  it('answered by an error page frees its key too (nothing was written)', async () => {
    const head = await signIn(app, a.head.email);
    const { csrf, once } = await formOf(head, '/autorizaciones');
    // A post to a request that is not there is refused (404) and writes nothing…
    expect((await post(head, '/solicitudes/999999/authorize', csrf, once)).status).toBe(404);
    // …and its key is not stuck: the same post is checked again and refused again, at once.
    expect((await post(head, '/solicitudes/999999/authorize', csrf, once)).status).toBe(404);
    expect(await db.prisma.formSubmission.count({ where: { key: once } })).toBe(0);
  });

  it('someone acted first: the refusal is a redirect with its explanation, and a repeat gets the same', async () => {
    const employee = await signIn(app, a.employee.email);
    const head = await signIn(app, a.head.email);
    const id = await submitted(employee, a, 'Cancelada antes');
    const { csrf, once } = await formOf(head, `/solicitudes/${id}`);
    // The requester cancels before the head authorizes: the head's post is refused and writes nothing…
    const mine = await formOf(employee, `/solicitudes/${id}`);
    const cancelled = await post(employee, `/solicitudes/${id}/cancel`, mine.csrf, mine.once, {
      reason: 'Ya no hace falta',
    });
    expect(cancelled.status).toBe(302);
    const refused = [
      await post(head, `/solicitudes/${id}/authorize`, csrf, once),
      await post(head, `/solicitudes/${id}/authorize`, csrf, once),
    ];
    expect(refused.map((r) => r.status)).toEqual([303, 303]);
    expect(sameRedirect(refused)).toBe(`/solicitudes/${id}`);
    const page = await head.get(`/solicitudes/${id}`).expect(200);
    expect(page.text).toContain('Alguien actuó primero');
    expect(await db.prisma.request.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'CANCELLED' });
  });
});

describe('keys are per person and per company', () => {
  it('two people posting the same key each get their own result', async () => {
    const employee = await signIn(app, a.employee.email);
    const head = await signIn(app, a.head.email);
    const id = await submitted(employee, a, 'Dos personas, una clave');
    const { once } = await formOf(employee, `/solicitudes/${id}`);
    const send = async (agent: request.Agent, body: string) => {
      const { csrf } = await formOf(agent, `/solicitudes/${id}`);
      return postMultipart(agent, '', `/solicitudes/${id}/comentarios`, { body, _once: once }, [], csrf);
    };
    const [mine, theirs] = await Promise.all([send(employee, 'De la empleada'), send(head, 'De la jefa')]);
    expect(mine.headers.location).not.toBe(theirs.headers.location);
    const bodies = (await db.prisma.requestComment.findMany({ where: { requestId: id } })).map((c) => c.body);
    expect(bodies.sort()).toEqual(['De la empleada', 'De la jefa']);
  });

  it('the same key in two companies: each company gets its own request, and its own key row', async () => {
    const inA = await signIn(app, a.employee.email);
    const inB = await signIn(app, b.employee.email);
    const once = randomUUID();
    const title = `Misma clave ${once}`;
    const [resA, resB] = await Promise.all(
      [
        [inA, a],
        [inB, b],
      ].map(async ([agent, org]) => {
        const { csrf } = await formOf(agent as request.Agent, '/solicitudes/nueva');
        return submit(agent as request.Agent, csrf, once, requestFields(org as typeof a, title));
      }),
    );
    expect([resA!.status, resB!.status]).toEqual([302, 302]);
    const rows = await db.prisma.request.findMany({ where: { title }, orderBy: { companyId: 'asc' } });
    expect(rows.map((r) => r.companyId)).toEqual([a.companyId, b.companyId].sort((x, y) => x - y));
    const keys = await db.prisma.formSubmission.findMany({ where: { key: once } });
    expect(keys.map((k) => [k.companyId, k.userId, k.location]).sort()).toEqual(
      [
        [a.companyId, a.employee.id, resA!.headers.location],
        [b.companyId, b.employee.id, resB!.headers.location],
      ].sort(),
    );
  });
});

describe('administration forms', () => {
  it('an invitation posted twice at once: one person, one mail', async () => {
    const admin = await signIn(app, a.admin.email);
    const { csrf, once } = await formOf(admin, '/admin/personas/invitar');
    const email = `doble-${randomUUID()}@prueba.test`;
    const fields = { name: 'Invitada Doble', email, unitId: String(a.unit.id) };
    const responses = await Promise.all(
      [1, 2, 3].map(() => post(admin, '/admin/personas/invitar', csrf, once, fields)),
    );
    sameRedirect(responses);
    expect(await db.prisma.user.count({ where: { email } })).toBe(1);
    await smtp.lastTo(email);
    expect(smtp.count(email)).toBe(1);
  });

  it('an import confirmed twice at once: each person once', async () => {
    const admin = await signIn(app, a.admin.email);
    const stamp = randomUUID().slice(0, 8);
    const csv = [
      'nombre,correo,unidad,rol,telefono',
      `Pía Once,pia-${stamp}@prueba.test,${a.unit.name},empleado,`,
    ].join('\n');
    const { csrf } = await formOf(admin, '/admin/personas/invitar');
    const preview = await post(admin, '/admin/personas/importar', csrf, randomUUID(), { csv, action: 'preview' });
    expect(preview.status).toBe(200);
    // The confirmation form drawn by the preview carries its own key.
    const confirm = preview.text.split('<form').find((form) => form.includes('value="import"'));
    const once = /name="_once" value="([^"]+)"/.exec(confirm ?? '')?.[1];
    expect(once).toBeTruthy();
    const responses = await Promise.all(
      [1, 2].map(() => post(admin, '/admin/personas/importar', csrf, once!, { csv, action: 'import' })),
    );
    sameRedirect(responses);
    expect(await db.prisma.user.count({ where: { email: `pia-${stamp}@prueba.test` } })).toBe(1);
  });
});
