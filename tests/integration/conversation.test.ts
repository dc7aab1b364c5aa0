// The conversation on a request: comments for everyone who sees the request, internal
// notes only for service-area staff and company admins — on the page, the print view,
// search results and attachment downloads — and hostile inputs kept inert or refused.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeToken } from '../support/api.js';
import { makeOrg, makeUser } from '../support/factories.js';
import { html, pdf, png, svgWithScript } from '../support/files.js';
import { csrfFrom, postMultipart, signIn, type UploadFile } from '../support/http.js';
import { act, submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let uploadDir: string;
let a: Awaited<ReturnType<typeof makeOrg>>;
let b: Awaited<ReturnType<typeof makeOrg>>;
let requestId: number;
const fileIds: Record<'photo' | 'notePdf' | 'commentPng', number> = { photo: 0, notePdf: 0, commentPng: 0 };

const PUBLIC_WORD = 'zanahoria';
const NOTE_TEXT = 'Nota secreta: el murciélago del presupuesto';
const NOTE_FILE = 'cotizacion-interna.pdf';

function comment(agent: request.Agent, id: number, fields: Record<string, string>, files: UploadFile[] = []) {
  return postMultipart(agent, `/solicitudes/${id}`, `/solicitudes/${id}/comentarios`, fields, files);
}

beforeAll(async () => {
  db = await createTestDatabase();
  [a, b] = [await makeOrg(db.prisma), await makeOrg(db.prisma)];
  uploadDir = mkdtempSync(path.join(os.tmpdir(), 'solicitudes-uploads-'));
  app = buildApp(db, { UPLOAD_DIR: uploadDir, UPLOAD_MAX_MB: '0.05', UPLOAD_MAX_FILES: '3' });
  const employee = await signIn(app, a.employee.email);
  const head = await signIn(app, a.head.email);
  const services = await signIn(app, a.servicesHead.email);
  const worker = await signIn(app, a.worker.email);
  requestId = await submitThroughForm(
    employee,
    a,
    { title: 'Reparación eléctrica del tablero', description: 'Las luces parpadean en toda la oficina.' },
    [{ name: 'tablero.png', data: png(40, 30) }],
  );
  await act(head, requestId, 'authorize');
  await act(services, requestId, 'approve', {
    workerId: String(a.worker.id),
    instructions: 'Revisar el tablero principal.',
  });
  expect(
    (await comment(employee, requestId, { body: `Les cuento que la ${PUBLIC_WORD} está en el piso 2.` })).status,
  ).toBe(302);
  expect(
    (await comment(services, requestId, { body: NOTE_TEXT, internal: '1' }, [{ name: NOTE_FILE, data: pdf() }])).status,
  ).toBe(302);
  expect(
    (
      await comment(worker, requestId, { body: '¿Pueden dejar la oficina abierta el lunes?' }, [
        { name: 'foto.png', data: png(8, 8) },
      ])
    ).status,
  ).toBe(302);
  const files = await db.prisma.attachment.findMany({ where: { requestId }, orderBy: { id: 'asc' } });
  expect(files.map((f) => [f.fileName, f.internal, f.mimeType])).toEqual([
    ['tablero.png', false, 'image/png'],
    [NOTE_FILE, true, 'application/pdf'],
    ['foto.png', false, 'image/png'],
  ]);
  [fileIds.photo, fileIds.notePdf, fileIds.commentPng] = files.map((f) => f.id) as [number, number, number];
});
afterAll(() => db.drop());

type Who =
  | 'employee'
  | 'head'
  | 'servicesHead'
  | 'worker'
  | 'worker2'
  | 'admin'
  | 'otherCompanyAdmin'
  | 'otherCompanyServicesHead';
const user = (who: Who) =>
  who === 'otherCompanyAdmin'
    ? b.admin
    : who === 'otherCompanyServicesHead'
      ? b.servicesHead
      : a[who as Exclude<Who, 'otherCompanyAdmin' | 'otherCompanyServicesHead'>];

// Who sees the request, who sees the internal notes, and the inbox where they search.
const table: { who: Who; seesRequest: boolean; seesNotes: boolean; inbox: string }[] = [
  { who: 'employee', seesRequest: true, seesNotes: false, inbox: '/solicitudes?tab=todas' },
  { who: 'head', seesRequest: true, seesNotes: false, inbox: '/autorizaciones?tab=todas' },
  { who: 'servicesHead', seesRequest: true, seesNotes: true, inbox: '/bandeja?tab=todas' },
  { who: 'worker', seesRequest: true, seesNotes: true, inbox: '/mis-tickets?tab=asignados' },
  { who: 'worker2', seesRequest: false, seesNotes: false, inbox: '/mis-tickets?tab=asignados' },
  { who: 'admin', seesRequest: true, seesNotes: true, inbox: '/empresa/solicitudes?tab=todas' },
  { who: 'otherCompanyAdmin', seesRequest: false, seesNotes: false, inbox: '/empresa/solicitudes?tab=todas' },
  { who: 'otherCompanyServicesHead', seesRequest: false, seesNotes: false, inbox: '/bandeja?tab=todas' },
];

describe.each(table)('$who', ({ who, seesRequest, seesNotes, inbox }) => {
  let agent: request.Agent;
  beforeAll(async () => {
    agent = await signIn(app, user(who).email);
  });

  const sees = `${seesRequest ? 'sees' : 'does not see'} the request and its comments`;
  it(`${sees}, ${seesNotes ? 'with' : 'without'} the internal notes`, async () => {
    for (const page of [`/solicitudes/${requestId}`, `/solicitudes/${requestId}/imprimir`]) {
      const res = await agent.get(page);
      expect(res.status, page).toBe(seesRequest ? 200 : 404);
      expect(res.text.includes(PUBLIC_WORD), page).toBe(seesRequest);
      expect(res.text.includes('murciélago'), page).toBe(seesNotes);
      expect(res.text.includes(NOTE_FILE), page).toBe(seesNotes);
      expect(res.text.includes('data-internal'), page).toBe(seesNotes);
      expect(res.text.includes(`/adjuntos/${fileIds.notePdf}`), page).toBe(seesNotes);
    }
  });

  const downloads = (yes: boolean) => (yes ? 'downloads' : 'gets 404 for');
  it(`${downloads(seesRequest)} the request's files and ${downloads(seesNotes)} the note's file`, async () => {
    for (const [id, allowed] of [
      [fileIds.photo, seesRequest],
      [fileIds.commentPng, seesRequest],
      [fileIds.notePdf, seesNotes],
    ] as const) {
      const res = await agent.get(`/adjuntos/${id}`);
      expect(res.status, `file ${id}`).toBe(allowed ? 200 : 404);
      if (allowed) expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await agent.get(`/adjuntos/${fileIds.photo}/miniatura`)).status).toBe(seesRequest ? 200 : 404);
  });

  const byNote = seesNotes ? ' and by the internal note' : ', never by the internal note';
  it(`finds the request by a comment${byNote}`, async () => {
    const link = `href="/solicitudes/${requestId}?`;
    const sep = inbox.includes('?') ? '&' : '?';
    const byComment = await agent.get(`${inbox}${sep}q=${PUBLIC_WORD}`);
    expect(byComment.status).toBe(200);
    expect(byComment.text.includes(link)).toBe(seesRequest);
    // Accent-insensitive and by stem: "murcielagos" finds "murciélago".
    const byNote = await agent.get(`${inbox}${sep}q=murcielagos`);
    expect(byNote.text.includes(link)).toBe(seesNotes);
    const byNoteFile = await agent.get(`${inbox}${sep}q=presupuesto`);
    expect(byNoteFile.text.includes(link)).toBe(seesNotes);
  });

  const comments = seesRequest ? 'may comment' : 'cannot comment';
  it(`${comments} and ${seesNotes ? 'may' : 'may not'} write an internal note`, async () => {
    const before = await db.prisma.requestComment.count();
    const page = await agent.get(`/solicitudes/${requestId}`);
    const token = seesRequest ? csrfFrom(page.text) : csrfFrom((await agent.get('/solicitudes/nueva')).text);
    const note = await postMultipart(
      agent,
      '',
      `/solicitudes/${requestId}/comentarios`,
      { body: `Nota de ${who}`, internal: '1' },
      [],
      token,
    );
    expect(note.status).toBe(seesNotes ? 302 : seesRequest ? 403 : 404);
    if (seesRequest) expect(page.text.includes('name="internal"')).toBe(seesNotes);
    expect(await db.prisma.requestComment.count()).toBe(before + (seesNotes ? 1 : 0));
    if (!seesRequest) {
      const plain = await postMultipart(
        agent,
        '',
        `/solicitudes/${requestId}/comentarios`,
        { body: 'Intento' },
        [{ name: 'a.png', data: png() }],
        token,
      );
      expect(plain.status).toBe(404);
      expect(await db.prisma.requestComment.count()).toBe(before);
    }
  });
});

describe('a worker of the area who only follows the request', () => {
  // Their role reads notes of the area, but they see this request only as a follower: comments yes, notes no.
  it('sees its comments, never its internal notes, on the page, the print view and the API', async () => {
    const follower = await makeUser(db.prisma, a.companyId, { unitId: a.area.id, isWorker: true });
    await db.prisma.requestFollower.create({
      data: { companyId: a.companyId, requestId, userId: follower.id, addedById: a.employee.id },
    });
    const agent = await signIn(app, follower.email);
    for (const page of [`/solicitudes/${requestId}`, `/solicitudes/${requestId}/imprimir`]) {
      const res = await agent.get(page);
      expect(res.status, page).toBe(200);
      expect(res.text, page).toContain(PUBLIC_WORD);
      expect(res.text.includes('murciélago'), page).toBe(false);
      expect(res.text.includes(NOTE_FILE), page).toBe(false);
      expect(res.text.includes('data-internal'), page).toBe(false);
    }
    const token = await makeToken(db.prisma, { companyId: a.companyId, createdById: a.admin.id, userId: follower.id });
    const api = await request(app).get(`/api/v1/requests/${requestId}`).set('Authorization', `Bearer ${token}`);
    expect(api.status).toBe(200);
    expect(JSON.stringify(api.body)).toContain(PUBLIC_WORD);
    expect(JSON.stringify(api.body)).not.toContain('murciélago');
    expect(JSON.stringify(api.body)).not.toContain(NOTE_FILE);
  });
});

describe('comments', () => {
  it('need a message or a file; a file alone is fine; over 4000 characters is refused', async () => {
    const employee = await signIn(app, a.employee.email);
    const empty = await comment(employee, requestId, { body: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Escribe un mensaje o adjunta al menos un archivo.');
    const long = await comment(employee, requestId, { body: 'x'.repeat(4001) });
    expect(long.status).toBe(422);
    expect(long.text).toContain('Máximo 4000 caracteres.');
    expect((await comment(employee, requestId, { body: '' }, [{ name: 'solo-foto.png', data: png() }])).status).toBe(
      302,
    );
    const page = (await employee.get(`/solicitudes/${requestId}`)).text;
    expect(page).toContain('solo-foto.png');
  });

  it('can be added after the request is finalized, and appear in the timeline oldest first', async () => {
    const employee = await signIn(app, a.employee.email);
    const worker = await signIn(app, a.worker.email);
    const id = await submitThroughForm(employee, a, { title: 'Cambio de chapa de la bodega' });
    await act(await signIn(app, a.head.email), id, 'authorize');
    await act(await signIn(app, a.servicesHead.email), id, 'approve', {
      workerId: String(a.worker.id),
      instructions: 'Cambiar la chapa.',
    });
    await act(worker, id, 'start');
    await act(worker, id, 'finish', { resolution: 'Chapa nueva instalada.' });
    expect((await comment(employee, id, { body: 'Gracias, quedó perfecto.' })).status).toBe(302);
    const page = (await employee.get(`/solicitudes/${id}`)).text;
    const order = [...page.matchAll(/data-(event|comment)="([A-Z_]+|\d+)"/g)].map((m) =>
      m[1] === 'event' ? m[2] : 'COMMENT',
    );
    expect(order).toEqual(['SUBMIT', 'AUTHORIZE', 'APPROVE', 'START', 'FINISH', 'COMMENT']);
  });
});

describe('search', () => {
  it('is accent- and case-insensitive Spanish full-text search over title, description and number', async () => {
    const services = await signIn(app, a.servicesHead.email);
    const link = `href="/solicitudes/${requestId}?`;
    for (const q of ['electrica', 'REPARACION', 'tableros', 'parpadean oficina', 'Repar elec']) {
      expect((await services.get(`/bandeja?tab=todas&q=${encodeURIComponent(q)}`)).text.includes(link), q).toBe(true);
    }
    // The category's name is searched too (issue 18): its words would match, so they are not in this list.
    for (const q of ['cerrajería', 'murciélagos azules', '<script>', "' OR 1=1 --", '&|!:*']) {
      const res = await services.get(`/bandeja?tab=todas&q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(res.text.includes(link), q).toBe(false);
    }
    const { number } = await db.prisma.request.findUniqueOrThrow({ where: { id: requestId } });
    expect((await services.get(`/bandeja?tab=todas&q=SOL-${number}`)).text.includes(link)).toBe(true);
  });
});

describe('hostile inputs', () => {
  it('stores script tags, event handlers and javascript: links as inert text; links only http(s)', async () => {
    const employee = await signIn(app, a.employee.email);
    const body =
      '<script>alert(1)</script> <img src=x onerror=alert(2)> <a href="javascript:alert(3)">clic</a> javascript:alert(4)\nVer https://ejemplo.com/a?b=1&c=2.';
    expect((await comment(employee, requestId, { body })).status).toBe(302);
    const page = (await employee.get(`/solicitudes/${requestId}`)).text;
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(page).not.toMatch(/<script>alert|<img src=x|href="javascript:/i);
    expect(page).toContain(
      '<a href="https://ejemplo.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">https://ejemplo.com/a?b=1&amp;c=2</a>.',
    );
    expect((await db.prisma.requestComment.findFirstOrThrow({ where: { body } })).body).toBe(body);
  });

  const refused: [string, UploadFile[], RegExp][] = [
    ['an SVG with script', [{ name: 'dibujo.svg', data: svgWithScript }], /No se admite el archivo «dibujo\.svg»/],
    // A name we accept whose content is something else is told so (issue 18), not "only images, PDF…".
    [
      'an SVG named .png',
      [{ name: 'foto.png', data: svgWithScript }],
      /El contenido de «foto\.png» no corresponde a su extensión: no es un archivo PNG\./,
    ],
    [
      'HTML named .jpg',
      [{ name: 'foto.jpg', data: html }],
      /El contenido de «foto\.jpg» no corresponde a su extensión: no es un archivo JPG\./,
    ],
    [
      'HTML named .txt',
      [{ name: 'notas.txt', data: html }],
      /El contenido de «notas\.txt» no corresponde a su extensión: no es un archivo TXT\./,
    ],
    [
      'a PNG named .pdf',
      [{ name: 'informe.pdf', data: png() }],
      /El contenido de «informe\.pdf» no corresponde a su extensión/,
    ],
    [
      'a broken image',
      [{ name: 'rota.png', data: Buffer.concat([png().subarray(0, 40), Buffer.alloc(200, 7)]) }],
      /La imagen «rota\.png» está dañada/,
    ],
    [
      'an oversized file',
      [{ name: 'grande.txt', data: Buffer.alloc(60 * 1024, 'a') }],
      /El archivo «grande\.txt» supera el máximo de 0\.05 MB/,
    ],
    ['too many files', Array.from({ length: 4 }, (_, i) => ({ name: `f${i}.png`, data: png() })), /hasta 3 archivos/],
    [
      'a good file beside a bad one',
      [
        { name: 'bien.png', data: png() },
        { name: 'mal.svg', data: svgWithScript },
      ],
      /«mal\.svg»/,
    ],
    ['an empty file', [{ name: 'vacio.pdf', data: Buffer.alloc(0) }], /está vacío/],
  ];

  it.each(refused)('refuses %s with a clear message and saves nothing', async (_what, files, message) => {
    const worker = await signIn(app, a.worker.email);
    const [comments, attachments, stored] = [
      await db.prisma.requestComment.count(),
      await db.prisma.attachment.count(),
      countStored(),
    ];
    const res = await comment(worker, requestId, { body: 'Adjunto el archivo' }, files);
    expect(res.status).toBe(422);
    expect(res.text).toMatch(message);
    expect(res.text).toContain('Adjunto el archivo'); // the text is kept
    expect(await db.prisma.requestComment.count()).toBe(comments);
    expect(await db.prisma.attachment.count()).toBe(attachments);
    expect(countStored()).toBe(stored);
    // Submitting a request with it is refused the same way, and no request is created.
    const employee = await signIn(app, a.employee.email);
    const requests = await db.prisma.request.count();
    const submit = await postMultipart(
      employee,
      '/solicitudes/nueva',
      '/solicitudes',
      {
        serviceAreaId: String(a.area.id),
        categoryId: String(a.category.id),
        title: 'Solicitud con archivo raro',
        description: 'Descripción suficientemente larga.',
        priority: 'LOW',
      },
      files,
    );
    expect(submit.status).toBe(422);
    expect(submit.text).toMatch(message);
    expect(submit.text).toContain('Solicitud con archivo raro');
    expect(await db.prisma.request.count()).toBe(requests);
    expect(countStored()).toBe(stored);
  });

  it('keeps only the last part of a path-traversal file name and stores the bytes under a random key', async () => {
    const worker = await signIn(app, a.worker.email);
    const res = await comment(worker, requestId, { body: 'Traversal' }, [
      { name: '../../../etc/passwd.png', data: png(5, 5) },
    ]);
    expect(res.status).toBe(302);
    const file = await db.prisma.attachment.findFirstOrThrow({ where: { comment: { body: 'Traversal' } } });
    expect(file.fileName).toBe('passwd.png');
    expect(file.storageKey).toMatch(new RegExp(`^${a.companyId}/[a-f0-9]{32}$`));
    expect(existsSync(path.join(uploadDir, file.storageKey))).toBe(true);
    const download = await worker.get(`/adjuntos/${file.id}`);
    expect(download.headers['content-disposition']).toBe(`inline; filename="passwd.png"; filename*=UTF-8''passwd.png`);
  });

  it('refuses a multipart post without the CSRF token (403) and saves nothing', async () => {
    const employee = await signIn(app, a.employee.email);
    const [comments, attachments, stored] = [
      await db.prisma.requestComment.count(),
      await db.prisma.attachment.count(),
      countStored(),
    ];
    const res = await postMultipart(
      employee,
      '',
      `/solicitudes/${requestId}/comentarios`,
      { body: 'Sin token' },
      [{ name: 'a.png', data: png() }],
      null,
    );
    expect(res.status).toBe(403);
    const wrong = await postMultipart(
      employee,
      '',
      `/solicitudes/${requestId}/comentarios`,
      { body: 'Token falso' },
      [{ name: 'a.png', data: png() }],
      'falso',
    );
    expect(wrong.status).toBe(403);
    const submit = await postMultipart(
      employee,
      '',
      '/solicitudes',
      { title: 'Sin token', description: 'Sin token de CSRF', priority: 'LOW' },
      [{ name: 'a.png', data: png() }],
      null,
    );
    expect(submit.status).toBe(403);
    expect(await db.prisma.requestComment.count()).toBe(comments);
    expect(await db.prisma.attachment.count()).toBe(attachments);
    expect(countStored()).toBe(stored);
  });
});

describe('downloads', () => {
  it('serve raster images inline and everything else as an attachment, never sniffed', async () => {
    const services = await signIn(app, a.servicesHead.email);
    const photo = await services.get(`/adjuntos/${fileIds.photo}`).buffer(true);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.headers['content-disposition']).toMatch(/^inline; filename="tablero\.png"/);
    expect(Buffer.compare(photo.body as Buffer, png(40, 30))).toBe(0);
    const doc = await services.get(`/adjuntos/${fileIds.notePdf}`).buffer(true);
    expect(doc.headers['content-type']).toBe('application/pdf');
    expect(doc.headers['content-disposition']).toMatch(/^attachment; filename="cotizacion-interna\.pdf"/);
    expect(doc.headers['x-content-type-options']).toBe('nosniff');
    expect(doc.headers['content-security-policy']).toMatch(/sandbox/);
    const thumb = await services.get(`/adjuntos/${fileIds.photo}/miniatura`);
    expect(thumb.headers['content-type']).toBe('image/webp');
  });

  it('answer 404 to another company for every attachment id, and to missing or malformed ids', async () => {
    const other = await signIn(app, b.admin.email);
    for (const id of Object.values(fileIds)) {
      expect((await other.get(`/adjuntos/${id}`)).status).toBe(404);
      expect((await other.get(`/adjuntos/${id}/miniatura`)).status).toBe(404);
    }
    const employee = await signIn(app, a.employee.email);
    for (const id of ['999999', '0', '-1', 'abc', '1e3', '99999999999'])
      expect((await employee.get(`/adjuntos/${id}`)).status, id).toBe(404);
  });

  it('require a signed-in person', async () => {
    const res = await (await import('supertest')).default(app).get(`/adjuntos/${fileIds.photo}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});

function countStored(): number {
  const dir = path.join(uploadDir, String(a.companyId));
  return existsSync(dir) ? readdirSync(dir).length : 0;
}
