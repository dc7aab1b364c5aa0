// Who gets into the API and how far: another company's ids answer 404 on every route with an id, each scope and role
// boundary holds, revoked, expired and unknown tokens get 401, the rate limit answers 429 with its headers, and
// administrators manage tokens on their page (shown once, audited).
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/api-tokens/index.js';
import { apiClient, makeToken, openApiChecker } from '../support/api.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, makeUser } from '../support/factories.js';
import { png } from '../support/files.js';
import { postForm, signIn } from '../support/http.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: Express;
let org: Awaited<ReturnType<typeof makeOrg>>;
let other: Awaited<ReturnType<typeof makeOrg>>;
let check: Awaited<ReturnType<typeof openApiChecker>>;

const body = (o: typeof org) => ({
  serviceAreaId: o.area.id,
  categoryId: o.category.id,
  title: 'Cambio de chapa de la puerta',
  description: 'La chapa de la oficina 3 no cierra bien.',
  priority: 'MEDIUM',
});

beforeAll(async () => {
  db = await createTestDatabase();
  app = buildApp(db);
  [org, other] = [await makeOrg(db.prisma), await makeOrg(db.prisma)];
  check = await openApiChecker(app);
});
afterAll(() => db.drop());

const token = (o: typeof org, data: Partial<Parameters<typeof makeToken>[1]> = {}) =>
  makeToken(db.prisma, { companyId: o.companyId, createdById: o.admin.id, ...data });

describe('API access', () => {
  it("answers every route with another company's ids with a 404 problem", async () => {
    // The other company's request, ticket and file.
    const theirs = apiClient(app, check, await token(other, { userId: other.employee.id }));
    const created = await theirs.raw('post', '/api/v1/requests', (r) => {
      for (const [k, v] of Object.entries(body(other))) r = r.field(k, String(v));
      return r.attach('archivos', png(), 'foto.png');
    });
    const requestId = created.body.id as number;
    const ticket = await db.prisma.ticket.create({
      data: {
        companyId: other.companyId,
        number: 999,
        requestId,
        serviceAreaId: other.area.id,
        workerId: other.worker.id,
        assignedById: other.servicesHead.id,
        instructions: 'x',
      },
    });
    const file = await db.prisma.attachment.findFirstOrThrow({ where: { requestId } });
    const ids: Record<string, number> = {
      requests: requestId,
      tickets: ticket.id,
      attachments: file.id,
      units: other.unit.id,
      people: other.employee.id,
      categories: other.category.id,
    };
    // An administrator of the first company, with every scope: the most anyone of it could do.
    const mine = apiClient(app, check, await token(org, { userId: org.admin.id }));
    const bodies: Record<string, object> = {
      '/units/{id}': { name: 'Unidad X', kind: 'REGULAR' },
      '/people/{id}': { name: 'Persona X', unitId: org.unit.id },
      '/categories/{id}': { name: 'Categoría X', serviceAreaId: org.area.id },
      '/requests/{id}/comments': { body: 'Hola' },
    };
    const doc = (await request(app).get('/api/v1/openapi.json')).body as { paths: Record<string, object> };
    let tried = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.includes('{id}')) continue;
      const url = `/api/v1${path.replace('{id}', String(ids[path.split('/')[1]!])).replace('{action}', 'authorize')}`;
      for (const method of Object.keys(methods) as ('get' | 'post' | 'put')[]) {
        const res =
          path === '/requests/{id}/attachments'
            ? await mine.raw('post', url, (r) => r.attach('archivos', png(), 'a.png'))
            : method === 'get'
              ? await mine.get(url)
              : await mine[method](url, bodies[path] ?? {});
        expect(res.status, `${method} ${url}`).toBe(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
        tried++;
      }
    }
    expect(tried).toBe(11);
  });

  it('holds every scope and role boundary', async () => {
    const read = apiClient(app, check, await token(org, { scopes: ['read'] }));
    expect((await read.get('/api/v1/requests?view=company')).status).toBe(200);
    const refused = await read.post('/api/v1/requests', body(org));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('write');
    const write = apiClient(app, check, await token(org, { scopes: ['read', 'write'] }));
    expect((await write.post('/api/v1/units', { name: 'Sin permiso', kind: 'REGULAR' })).status).toBe(403);
    const writeOnly = apiClient(app, check, await token(org, { scopes: ['write'] }));
    expect((await writeOnly.get('/api/v1/requests')).status).toBe(403);
    const adminScope = apiClient(app, check, await token(org, { scopes: ['read', 'admin'] }));
    expect((await adminScope.post('/api/v1/units', { name: 'Con permiso', kind: 'REGULAR' })).status).toBe(201);
    // A person's token: the person's roles decide, exactly as in the browser.
    const employee = apiClient(app, check, await token(org, { userId: org.employee.id }));
    expect((await employee.post('/api/v1/units', { name: 'Empleado', kind: 'REGULAR' })).status).toBe(403);
    const people = await employee.get('/api/v1/people');
    expect(people.status, JSON.stringify(people.body).slice(0, 300)).toBe(403);
    expect((await employee.get('/api/v1/requests?view=services')).status).toBe(403);
    expect((await employee.get('/api/v1/tickets?view=area')).status).toBe(403);
    const { body: created } = await employee.post('/api/v1/requests', body(org));
    // The requester can't authorize their own request; a worker of another area can't see it.
    expect((await employee.post(`/api/v1/requests/${created.id}/authorize`, {})).status).toBe(403);
    const worker = apiClient(app, check, await token(org, { userId: org.worker.id }));
    expect((await worker.get(`/api/v1/requests/${created.id}`)).status).toBe(404);
  });

  it('refuses missing, unknown, revoked and expired tokens, and the token of a deactivated person', async () => {
    const revoked = await token(org, { revokedAt: new Date() });
    const expired = await token(org, { expiresAt: new Date(Date.now() - 1000) });
    const gone = await makeUser(db.prisma, org.companyId, { unitId: org.unit.id });
    const ofGone = await token(org, { userId: gone.id });
    await db.prisma.user.update({ where: { id: gone.id }, data: { active: false } });
    for (const auth of [
      undefined,
      'Bearer nope',
      `Bearer sol_${'x'.repeat(43)}`,
      `Bearer ${revoked}`,
      `Bearer ${expired}`,
      `Bearer ${ofGone}`,
    ]) {
      const r = request(app).get('/api/v1/requests');
      const res = await (auth ? r.set('Authorization', auth) : r);
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      check('get', '/api/v1/requests', res);
    }
    // Cookies and CSRF play no part: a signed-in browser session is not an API credential.
    const agent = await signIn(app, org.admin.email);
    expect((await agent.get('/api/v1/requests')).status).toBe(401);
  });

  it('accepts a token of the earlier form sol_<random>, also one that looks like sol_<id>_', async () => {
    for (const old of [`sol_${randomBytes(32).toString('base64url')}`, `sol_${other.companyId}_${'k'.repeat(40)}`]) {
      await db.prisma.apiToken.create({
        data: {
          companyId: org.companyId,
          name: `Antiguo ${old.slice(-6)}`,
          tokenHash: hashToken(old),
          hint: old.slice(-4),
          scopes: ['read'],
          createdById: org.admin.id,
        },
      });
      const res = await request(app).get('/api/v1/requests').set('Authorization', `Bearer ${old}`);
      expect(res.status, old).toBe(200);
    }
  });

  it('limits the calls of each token per minute with the RateLimit headers, and records its last use', async () => {
    const limited = await token(org, { rateLimit: 2 });
    const client = apiClient(app, check, limited);
    const first = await client.get('/api/v1/requests');
    expect(first.headers['ratelimit-policy']).toBe('"token";q=2;w=60');
    expect(first.headers.ratelimit).toMatch(/^"token";r=1;t=\d+$/);
    await client.get('/api/v1/requests');
    const third = await client.get('/api/v1/requests');
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { companyId: org.companyId, rateLimit: 2 } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('lets administrators create a token (shown once), list it and revoke it, in the audit log', async () => {
    const agent = await signIn(app, org.admin.email);
    const created = await postForm(agent, '/admin/api', '/admin/api/tokens', {
      name: 'ERP',
      kind: 'integration',
      scopes: 'read',
      expiresOn: '',
      rateLimit: '600',
    });
    expect(created.status).toBe(201);
    const shown = /<code[^>]*>(sol_[A-Za-z0-9_-]+)<\/code>/.exec(created.text)?.[1];
    expect(shown).toBeDefined();
    const stored = await db.prisma.apiToken.findFirstOrThrow({ where: { companyId: org.companyId, name: 'ERP' } });
    expect(stored.tokenHash).not.toContain(shown!.slice(4));
    expect(stored.scopes).toEqual(['read']);
    const ok = await request(app).get('/api/v1/requests?view=company').set('Authorization', `Bearer ${shown}`);
    expect(ok.status).toBe(200);
    const list = await agent.get('/admin/api');
    expect(list.text).toContain('ERP');
    expect(list.text).not.toContain(shown!);
    const revoked = await postForm(agent, '/admin/api', `/admin/api/tokens/${stored.id}/revocar`, {});
    expect(revoked.status).toBe(303);
    expect((await request(app).get('/api/v1/requests').set('Authorization', `Bearer ${shown}`)).status).toBe(401);
    const audit = await db.prisma.auditEntry.findMany({ where: { companyId: org.companyId, entityType: 'api_token' } });
    expect(audit.map((a) => a.action).sort()).toEqual(['api_token.created', 'api_token.revoked']);
    // Another company's token can't be revoked from here; nobody but administrators sees the page.
    const theirs = await db.prisma.apiToken.create({
      data: {
        companyId: other.companyId,
        name: 'x',
        tokenHash: 'h'.repeat(64),
        hint: 'hhhh',
        scopes: ['read'],
        createdById: other.admin.id,
      },
    });
    expect((await postForm(agent, '/admin/api', `/admin/api/tokens/${theirs.id}/revocar`, {})).status).toBe(404);
    const employee = await signIn(app, org.employee.email);
    expect((await employee.get('/admin/api')).status).toBe(403);
  });
});
