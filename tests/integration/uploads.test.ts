// Uploads go through temporary files with bounded memory; a body that can't be read is a 400 (never a 500, never a
// hang); NUL bytes anywhere in a request are refused at the door; no temporary file outlives its request.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, PASSWORD } from '../support/factories.js';
import { pdf, png, svgWithScript } from '../support/files.js';
import { csrfFrom, postMultipart, signIn, type UploadFile } from '../support/http.js';
import { submitThroughForm } from '../support/requests.js';

const MB = 1024 * 1024;

let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let uploadDir: string;
let org: Awaited<ReturnType<typeof makeOrg>>;
let requestId: number;
let employee: request.Agent;

const incoming = () => path.join(uploadDir, '.incoming');
const leftovers = () => (existsSync(incoming()) ? readdirSync(incoming()) : []);
const storedCount = () => {
  const dir = path.join(uploadDir, String(org.companyId));
  return existsSync(dir) ? readdirSync(dir).length : 0;
};

/** Temporary files go when the response ends: give the removal a moment. */
async function expectNoLeftovers() {
  for (let i = 0; i < 40 && leftovers().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(leftovers()).toEqual([]);
}

const comment = (fields: Record<string, string>, files: UploadFile[] = [], csrf?: string | null) =>
  postMultipart(employee, `/solicitudes/${requestId}`, `/solicitudes/${requestId}/comentarios`, fields, files, csrf);

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  uploadDir = mkdtempSync(path.join(os.tmpdir(), 'solicitudes-uploads-'));
  app = buildApp(db, { UPLOAD_DIR: uploadDir, UPLOAD_MAX_MB: '10', UPLOAD_MAX_FILES: '5' });
  employee = await signIn(app, org.employee.email);
  requestId = await submitThroughForm(employee, org);
});
afterAll(() => db.drop());

describe('a multipart body that cannot be read', () => {
  const bodies: [string, string, string][] = [
    [
      'no boundary',
      'multipart/form-data',
      '--x\r\nContent-Disposition: form-data; name="body"\r\n\r\nHola\r\n--x--\r\n',
    ],
    [
      'a truncated body',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="archivos"; filename="a.pdf"\r\n\r\n%PDF-1.4 cortado',
    ],
    ['garbage', 'multipart/form-data; boundary=x', 'nada que ver con un formulario'],
    ['a broken part header', 'multipart/form-data; boundary=x', '--x\r\nsin dos puntos\r\n\r\nvalor\r\n--x--\r\n'],
  ];

  it.each(bodies)('is a 400 for %s, answered at once', async (_what, type, body) => {
    const started = Date.now();
    const res = await employee
      .post(`/solicitudes/${requestId}/comentarios`)
      .set('Content-Type', type)
      .send(body)
      .timeout(5_000);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Solicitud no válida');
    expect(Date.now() - started).toBeLessThan(5_000);
    await expectNoLeftovers();
  });

  it('is a 400 when the client stops sending half-way', async () => {
    const server = app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const cookie = await cookieOf(port);
      const status = await new Promise<number | string>((resolve) => {
        const req = http.request(
          {
            port,
            method: 'POST',
            path: `/solicitudes/${requestId}/comentarios`,
            headers: { cookie, 'content-type': 'multipart/form-data; boundary=x', 'content-length': '100000' },
          },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on('error', (err) => resolve(`closed: ${err.message}`));
        req.write('--x\r\nContent-Disposition: form-data; name="archivos"; filename="a.pdf"\r\n\r\n%PDF-1.4 ');
        // The connection ends without the rest of the announced body: the server must not wait for it forever.
        setTimeout(() => req.socket?.end(), 100);
      });
      expect(String(status)).toMatch(/^(400|closed)/);
      await expectNoLeftovers();
    } finally {
      server.close();
    }
  });
});

describe('NUL bytes', () => {
  it('are refused with a 400 in a file name, a form field and a query string', async () => {
    const before = storedCount();
    expect((await comment({ body: 'Adjunto' }, [{ name: 'a\u0000.pdf', data: pdf() }])).status).toBe(400);
    expect((await comment({ body: 'Hola\u0000' })).status).toBe(400);
    expect((await employee.get('/solicitudes?q=agua%00')).status).toBe(400);
    expect((await employee.get('/solicitudes/1%00')).status).toBe(400);
    expect(storedCount()).toBe(before);
    await expectNoLeftovers();
  });

  it('are refused with a 400 in the email of the sign-in form', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: `${org.employee.email}\u0000`, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(400);
    expect(res.text).toContain('caracteres de control');
  });
});

describe('temporary files', () => {
  it('are moved into the storage when the upload is kept', async () => {
    const before = storedCount();
    const res = await comment({ body: 'Con foto' }, [
      { name: 'foto.png', data: png(30, 20) },
      { name: 'cotizacion.pdf', data: pdf() },
    ]);
    expect(res.status).toBe(302);
    expect(storedCount()).toBe(before + 3); // the photo, its thumbnail and the PDF
    await expectNoLeftovers();
  });

  it('are removed when a file is refused, and when the CSRF check fails', async () => {
    const before = storedCount();
    const refused = await comment({ body: 'Con SVG' }, [
      { name: 'bien.pdf', data: pdf() },
      { name: 'mal.svg', data: svgWithScript },
    ]);
    expect(refused.status).toBe(422);
    await expectNoLeftovers();
    const forged = await comment({ body: 'Sin token' }, [{ name: 'bien.pdf', data: pdf() }], 'token-falso');
    expect(forged.status).toBe(403);
    await expectNoLeftovers();
    expect(storedCount()).toBe(before);
  });

  it('checks plain text as a stream: markup split between two chunks is still found', async () => {
    const split = Buffer.concat([Buffer.alloc(64 * 1024 - 2, 'a'), Buffer.from('<  \n  svg onload=alert(1)>')]);
    const refused = await comment({ body: 'Texto' }, [{ name: 'notas.txt', data: split }]);
    expect(refused.status).toBe(422);
    const plain = Buffer.from('línea de texto sin marcas, con tildes y <3\n'.repeat(5_000));
    expect((await comment({ body: 'Texto' }, [{ name: 'notas.txt', data: plain }])).status).toBe(302);
    await expectNoLeftovers();
  });
});

/** Signs the employee in over a real socket; the session cookie. */
async function cookieOf(port: number): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/login`);
  let cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const signedIn = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: org.employee.email, password: PASSWORD, _csrf: csrfFrom(await login.text()) }),
  });
  cookie =
    signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ') || cookie;
  return cookie;
}

/** A comment with `files` files of `size` bytes, generated while it is sent: the client holds none of it. */
function streamedUpload(port: number, cookie: string, csrf: string, files: number, size: number): Promise<number> {
  const boundary = 'limite-de-prueba-1234';
  async function* body() {
    const part = (name: string, extra = '') =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n`);
    yield Buffer.concat([part('_csrf'), Buffer.from(`${csrf}\r\n`), part('body'), Buffer.from('Planos\r\n')]);
    const head = pdf();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    for (let i = 0; i < files; i++) {
      yield Buffer.concat([part('archivos', `; filename="plano-${i}.pdf"`), head]);
      for (let sent = head.length; sent < size; sent += chunk.length) {
        yield chunk.subarray(0, Math.min(chunk.length, size - sent));
      }
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        method: 'POST',
        path: `/solicitudes/${requestId}/comentarios`,
        headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    Readable.from(body()).pipe(req);
  });
}

describe('memory', () => {
  it('stays bounded during four concurrent uploads of 5 × 10 MB', async () => {
    const server = app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const cookie = await cookieOf(port);
      const page = await fetch(`http://127.0.0.1:${port}/solicitudes/${requestId}`, { headers: { cookie } });
      const csrf = csrfFrom(await page.text());
      const size = 10 * MB - 1024;
      // A first upload loads what uploads need (parsers, file-type) before measuring.
      expect(await streamedUpload(port, cookie, csrf, 1, MB)).toBe(302);
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const statuses = await Promise.all([1, 2, 3, 4].map(() => streamedUpload(port, cookie, csrf, 5, size)));
      clearInterval(sampler);
      const after = process.memoryUsage().rss;
      expect(statuses).toEqual([302, 302, 302, 302]);
      const mb = (n: number) => Math.round(n / MB);
      console.info(`RSS before ${mb(before)} MB, peak ${mb(peak)} MB, after ${mb(after)} MB (4 × 5 × 10 MB uploaded)`);
      expect(after - before).toBeLessThan(60 * MB);
      expect(peak - before).toBeLessThan(60 * MB);
      await expectNoLeftovers();
    } finally {
      server.close();
    }
  }, 120_000);
});
