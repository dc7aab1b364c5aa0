// API test helpers: tokens made directly in the database, and a client whose every answer is checked against the
// app's own OpenAPI document (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses): its status must be documented for the
// operation and its body must match the documented schema.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import { hashToken, newApiToken } from '../../src/api-tokens/index.js';
import type { Db } from '../../src/db/client.js';

export async function makeToken(
  db: Db,
  data: {
    companyId: number;
    createdById: number;
    userId?: number | null;
    scopes?: string[];
    expiresAt?: Date | null;
    revokedAt?: Date | null;
    rateLimit?: number;
  },
): Promise<string> {
  const token = newApiToken(data.companyId);
  await db.apiToken.create({
    data: {
      companyId: data.companyId,
      name: `Token ${token.slice(-6)}`,
      tokenHash: hashToken(token),
      hint: token.slice(-4),
      userId: data.userId ?? null,
      scopes: data.scopes ?? ['read', 'write', 'admin'],
      rateLimit: data.rateLimit ?? 10_000,
      expiresAt: data.expiresAt ?? null,
      revokedAt: data.revokedAt ?? null,
      createdById: data.createdById,
    },
  });
  return token;
}

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

/** Checks answers against the document served at /api/v1/openapi.json. */
export async function openApiChecker(app: Express) {
  const doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi');
  const templates = Object.keys(doc.paths).map((p) => ({
    path: p,
    re: new RegExp(`^/api/v1${p.replace(/\{\w+\}/g, '[^/]+')}$`),
    // Fixed segments win over parameters (/requests/{id}/comments over /requests/{id}/{action}).
    params: (p.match(/\{/g) ?? []).length,
  }));
  const pointer = (...parts: string[]) => parts.map((x) => x.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  return (method: string, url: string, res: request.Response) => {
    const path = url.split('?')[0]!;
    const matches = templates.filter((t) => t.re.test(path)).sort((a, b) => a.params - b.params);
    const found = matches.find((t) => doc.paths[t.path]![method]);
    expect(found, `${method.toUpperCase()} ${path} is not in the document`).toBeDefined();
    const op = doc.paths[found!.path]![method]!;
    const answer = op.responses[String(res.status)];
    expect(answer, `${method.toUpperCase()} ${path} answered ${res.status}, not documented`).toBeDefined();
    const type = String(res.headers['content-type'] ?? '').split(';')[0]!;
    if (!answer!.content || type === 'application/octet-stream' || !type.includes('json')) return;
    expect(Object.keys(answer!.content)).toContain(type);
    const where = pointer('paths', found!.path, method, 'responses', String(res.status), 'content', type, 'schema');
    const ref = `openapi#/${where}`;
    const validate = ajv.getSchema(ref)!;
    const ok = validate(res.body);
    expect(ok, `${method.toUpperCase()} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  };
}

/** A client for one token whose every answer is checked against the document. */
export function apiClient(app: Express, check: Awaited<ReturnType<typeof openApiChecker>>, token: string) {
  const call = (method: 'get' | 'post' | 'put', url: string, prepare?: (r: request.Test) => request.Test) => {
    let r = request(app)[method](url).set('Authorization', `Bearer ${token}`);
    if (prepare) r = prepare(r);
    return r.then((res) => {
      check(method, url, res);
      return res;
    });
  };
  return {
    get: (url: string) => call('get', url),
    post: (url: string, body: object = {}, headers: Record<string, string> = {}) =>
      call('post', url, (r) => r.set(headers).send(body)),
    put: (url: string, body: object = {}, headers: Record<string, string> = {}) =>
      call('put', url, (r) => r.set(headers).send(body)),
    /** Any other call (multipart…), still checked. */
    raw: (method: 'get' | 'post' | 'put', url: string, prepare: (r: request.Test) => request.Test) =>
      call(method, url, prepare),
  };
}
