// The REST API (/api/v1), walked as a customer's integration would, every answer checked against the OpenAPI document:
// a request's whole life, comments and files, cursor pagination, conflicts, idempotent retries, tokens and scopes.
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, makeToken, openApiChecker } from '../support/api.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { png } from '../support/files.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: Express;
let org: Awaited<ReturnType<typeof makeOrg>>;
let check: Awaited<ReturnType<typeof openApiChecker>>;
let as: Record<'employee' | 'head' | 'servicesHead' | 'worker' | 'admin', ReturnType<typeof apiClient>>;

const newRequest = () => ({
  serviceAreaId: org.area.id,
  categoryId: org.category.id,
  title: 'Fuga de agua en el baño',
  description: 'El lavamanos gotea desde ayer y moja el piso.',
  priority: 'HIGH',
});

beforeAll(async () => {
  db = await createTestDatabase();
  app = buildApp(db);
  org = await makeOrg(db.prisma);
  check = await openApiChecker(app);
  const person = async (who: keyof typeof as) =>
    apiClient(
      app,
      check,
      await makeToken(db.prisma, { companyId: org.companyId, createdById: org.admin.id, userId: org[who].id }),
    );
  as = {
    employee: await person('employee'),
    head: await person('head'),
    servicesHead: await person('servicesHead'),
    worker: await person('worker'),
    admin: await person('admin'),
  };
});
afterAll(() => db.drop());

describe('the API', () => {
  it('serves its OpenAPI 3.1 document and a reference page with swagger-ui from the app', async () => {
    const doc = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/requests/{id}/{action}');
    const page = await request(app).get('/api/v1/docs').expect(200);
    expect(page.text).toContain('/static/swagger-ui/swagger-ui-bundle.js');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    await request(app).get('/static/swagger-ui/swagger-ui-bundle.js').expect(200);
    await request(app).get('/static/js/api-docs.js').expect(200);
  });

  it('walks a request from submission to finish, with comments, files and the history', async () => {
    const created = await as.employee.post('/api/v1/requests', newRequest());
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/requests/${created.body.id}`);
    const id = created.body.id as number;
    expect(created.body.status).toBe('PENDING');

    expect((await as.head.post(`/api/v1/requests/${id}/authorize`, { comment: 'Adelante' })).body.status).toBe(
      'AUTHORIZED',
    );
    const approved = await as.servicesHead.post(`/api/v1/requests/${id}/approve`, {
      workerId: org.worker.id,
      instructions: 'Cambiar el empaque del lavamanos.',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.ticket.worker.id).toBe(org.worker.id);
    expect((await as.worker.post(`/api/v1/requests/${id}/start`, {})).body.ticket.status).toBe('IN_PROGRESS');

    const comment = await as.employee.post(`/api/v1/requests/${id}/comments`, { body: '¿Cuándo vienen?' });
    expect(comment.status).toBe(201);
    const note = await as.worker.post(`/api/v1/requests/${id}/comments`, { body: 'Falta el repuesto', internal: true });
    expect(note.status).toBe(201);
    const forbiddenNote = await as.employee.post(`/api/v1/requests/${id}/comments`, { body: 'Nota', internal: true });
    expect(forbiddenNote.status).toBe(403);
    expect(forbiddenNote.headers['content-type']).toContain('application/problem+json');

    const upload = await as.worker.raw('post', `/api/v1/requests/${id}/attachments`, (r) =>
      r.attach('archivos', png(), 'foto.png'),
    );
    expect(upload.status).toBe(201);

    const finished = await as.worker.post(`/api/v1/requests/${id}/finish`, { resolution: 'Empaque cambiado.' });
    expect(finished.body.status).toBe('FINALIZED');

    const seenByEmployee = await as.employee.get(`/api/v1/requests/${id}`);
    expect(seenByEmployee.body.events.map((e: { action: string }) => e.action)).toEqual([
      'SUBMIT',
      'AUTHORIZE',
      'APPROVE',
      'START',
      'FINISH',
    ]);
    // The internal note is left out for the requester, as on the page.
    expect(seenByEmployee.body.comments.map((c: { body: string }) => c.body)).toEqual(['¿Cuándo vienen?', '']);
    const file = seenByEmployee.body.comments[1].attachments[0];
    const download = await as.employee.raw('get', file.url, (r) => r.buffer(true));
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(download.body as Buffer, png())).toBe(0);
    const seenByWorker = await as.worker.get(`/api/v1/requests/${id}`);
    expect(seenByWorker.body.comments.some((c: { internal: boolean }) => c.internal)).toBe(true);

    const tickets = await as.worker.get('/api/v1/tickets?status=DONE');
    const ticket = tickets.body.items.find((t: { request: { id: number } }) => t.request.id === id);
    expect(ticket.status).toBe('DONE');
    expect((await as.worker.get(`/api/v1/tickets/${ticket.id}`)).body.resolution).toBe('Empaque cambiado.');
  });

  it('creates a request with files (multipart)', async () => {
    const res = await as.employee.raw('post', '/api/v1/requests', (r) => {
      for (const [k, v] of Object.entries(newRequest())) r = r.field(k, String(v));
      return r.attach('archivos', png(), 'plano.png');
    });
    expect(res.status).toBe(201);
    const detail = await as.employee.get(`/api/v1/requests/${res.body.id}`);
    expect(detail.body.attachments.map((a: { fileName: string }) => a.fileName)).toEqual(['plano.png']);
  });

  it('answers a step that no longer applies with 409, who acted and when', async () => {
    const { body } = await as.employee.post('/api/v1/requests', newRequest());
    await as.employee
      .post(`/api/v1/requests/${body.id}/cancel`, { reason: 'Ya no hace falta' })
      .then((r) => expect(r.status).toBe(200));
    const late = await as.head.post(`/api/v1/requests/${body.id}/authorize`, {});
    expect(late.status).toBe(409);
    expect(late.body.conflict).toMatchObject({ event: 'CANCEL', actor: org.employee.name, requestId: body.id });
    expect(new Date(late.body.conflict.at).getTime()).toBeGreaterThan(0);
  });

  it('reports field errors of the zod validation as problem details', async () => {
    const res = await as.employee.post('/api/v1/requests', { ...newRequest(), title: 'x', priority: 'NOW' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['#/priority', '#/title']);
  });

  it('pages the list with a cursor, newest first, and filters it', async () => {
    const token = await makeToken(db.prisma, {
      companyId: org.companyId,
      createdById: org.admin.id,
      userId: org.worker2.id,
    });
    const client = apiClient(app, check, token);
    // worker2 has no unit of their own requests yet: make five.
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await client.post('/api/v1/requests', { ...newRequest(), title: `Pedido número ${i}` })).body.id);
    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await client.get(`/api/v1/requests?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((r: { id: number }) => r.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    const one = await client.get('/api/v1/requests?q=' + encodeURIComponent('número 3'));
    expect(one.body.items.map((r: { id: number }) => r.id)).toEqual([ids[3]]);
    expect((await client.get('/api/v1/requests?cursor=nonsense')).status).toBe(422);
    // The date filters: a real day filters, anything else is a field error.
    expect((await client.get('/api/v1/requests?from=2000-01-01&to=2099-12-31')).body.items).toHaveLength(5);
    expect((await client.get('/api/v1/requests?from=2099-01-01')).body.items).toHaveLength(0);
    for (const bad of ['from=2026-02-30', 'to=31%2F12%2F2026', 'from=ayer']) {
      const res = await client.get(`/api/v1/requests?${bad}`);
      expect(res.status, bad).toBe(422);
      expect(
        res.body.errors.map((e: { pointer: string }) => e.pointer),
        bad,
      ).toEqual([`#/${bad.split('=')[0]}`]);
    }
    expect((await client.get('/api/v1/requests?view=company')).status).toBe(403);
  });

  it('replays a write retried with the same Idempotency-Key, and refuses the key with another body', async () => {
    const key = { 'Idempotency-Key': 'alta-0001' };
    const first = await as.employee.post('/api/v1/requests', newRequest(), key);
    const again = await as.employee.post('/api/v1/requests', newRequest(), key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(
      await db.prisma.request.count({
        where: { companyId: org.companyId, title: newRequest().title, requesterId: org.employee.id },
      }),
    ).toBeGreaterThan(0);
    const other = await as.employee.post('/api/v1/requests', { ...newRequest(), title: 'Otra cosa distinta' }, key);
    expect(other.status).toBe(422);
    // Another token's same key is its own.
    const mine = await as.head.post('/api/v1/requests', newRequest(), key);
    expect(mine.status).toBe(201);
    expect(mine.body.id).not.toBe(first.body.id);
    // A step retried is taken once.
    const step = { 'Idempotency-Key': `cancel-${first.body.id}` };
    const c1 = await as.employee.post(`/api/v1/requests/${first.body.id}/cancel`, { reason: 'Duplicado' }, step);
    const c2 = await as.employee.post(`/api/v1/requests/${first.body.id}/cancel`, { reason: 'Duplicado' }, step);
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect(await db.prisma.requestEvent.count({ where: { requestId: first.body.id, action: 'CANCEL' } })).toBe(1);
  });

  it('lets the organisation be read and written by administrators only', async () => {
    expect((await as.admin.get('/api/v1/units')).body.items.length).toBeGreaterThan(1);
    expect((await as.employee.get('/api/v1/units')).status).toBe(403);
    expect((await as.employee.get('/api/v1/people')).status).toBe(403);
    const people = await as.admin.get('/api/v1/people');
    expect(people.body.items.some((p: { id: number }) => p.id === org.worker.id)).toBe(true);
    const unit = await as.admin.post('/api/v1/units', {
      name: 'Bodega central',
      kind: 'REGULAR',
      parentId: null,
      headId: null,
    });
    expect(unit.status).toBe(201);
    const renamed = await as.admin.put(`/api/v1/units/${unit.body.id}`, { name: 'Bodega norte', kind: 'REGULAR' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect((await as.employee.post('/api/v1/units', { name: 'Otra', kind: 'REGULAR' })).status).toBe(403);
    const cat = await as.admin.post('/api/v1/categories', {
      name: 'Electricidad',
      serviceAreaId: org.area.id,
      resolutionHours: 24,
    });
    expect(cat.status).toBe(201);
    const catalogue = await as.employee.get('/api/v1/categories');
    expect(catalogue.body.items[0].categories.map((c: { name: string }) => c.name)).toContain('Electricidad');
    const invited = await as.admin.post('/api/v1/people', {
      name: 'Nueva Persona',
      email: 'nueva@prueba.test',
      unitId: org.unit.id,
    });
    expect(invited.status).toBe(201);
    expect((await as.admin.post(`/api/v1/people/${invited.body.id}/deactivate`)).status).toBe(200);
    expect((await as.admin.post(`/api/v1/people/${invited.body.id}/reactivate`)).status).toBe(200);
    const changed = await as.admin.put(`/api/v1/people/${invited.body.id}`, {
      name: 'Persona Nueva',
      unitId: org.unit.id,
    });
    expect(changed.status).toBe(200);
  });
});
