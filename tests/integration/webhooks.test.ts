// Webhooks: registered only for public hosts (SSRF), delivered through the outbox and queue to a receiver on loopback
// (allowed by WEBHOOKS_ALLOW_PRIVATE here), signed as Standard Webhooks says and verified with its reference library,
// retried until the receiver takes it, exactly once marked delivered; re-sent from the log; secrets rotated; an
// endpoint failing for 3 days disabled and the administrators told.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listStoredMail } from '../../src/mail/mailer.js';
import { isInternalAddress } from '../../src/webhooks/index.js';
import { apiClient, makeToken, openApiChecker } from '../support/api.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { postForm, signIn } from '../support/http.js';
import { runJobs } from '../support/notifications.js';

const env = {
  WEBHOOKS_ALLOW_PRIVATE: 'true',
  NOTIFY_RETRY_BASE_SECONDS: '0.05',
  ENCRYPTION_KEY: 'ab'.repeat(32),
};
let db: TestDatabase & { drop(): Promise<void> };
let app: Express;
let org: Awaited<ReturnType<typeof makeOrg>>;
const config = testConfig(env);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}
/** A receiver on loopback answering each POST with the next scripted status (200 when the script is empty). */
async function receiver() {
  const received: Received[] = [];
  const script: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const status = script.shift() ?? 200;
      received.push({ headers: req.headers, body, answered: status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, received, script, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Runs the worker's due jobs until `done` holds (retries are scheduled a little later). */
async function runUntil(done: () => Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    await runJobs(db, config);
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 60));
  }
  throw new Error('jobs never got there');
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = buildApp(db, env);
  org = await makeOrg(db.prisma);
});
afterAll(() => db.drop());

async function register(url: string, events = ['request.submitted', 'comment.created'], appUnderTest = app) {
  const admin = await signIn(appUnderTest, org.admin.email);
  const res = await postForm(admin, '/admin/webhooks', '/admin/webhooks', { url, description: 'ERP' });
  return { res, admin, events };
}

async function registerWith(url: string, events: string[]) {
  const admin = await signIn(app, org.admin.email);
  const page = await admin.get('/admin/webhooks');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const res = await admin
    .post('/admin/webhooks')
    .type('form')
    .send(
      [`_csrf=${encodeURIComponent(csrf)}`, `url=${encodeURIComponent(url)}`, 'description=ERP']
        .concat(events.map((e) => `events=${e}`))
        .join('&'),
    );
  const secret = /<code[^>]*>(whsec_[^<]+)<\/code>/.exec(res.text)?.[1];
  const endpoint = await db.prisma.webhookEndpoint.findFirstOrThrow({
    where: { companyId: org.companyId, url },
    orderBy: { id: 'desc' },
  });
  return { res, admin, secret: secret!, endpoint };
}

async function submit() {
  const check = await openApiChecker(app);
  const client = apiClient(
    app,
    check,
    await makeToken(db.prisma, { companyId: org.companyId, createdById: org.admin.id, userId: org.employee.id }),
  );
  const res = await client.post('/api/v1/requests', {
    serviceAreaId: org.area.id,
    categoryId: org.category.id,
    title: 'Aire acondicionado apagado',
    description: 'El aire de la sala 4 no enciende desde esta mañana.',
    priority: 'HIGH',
  });
  expect(res.status).toBe(201);
  return { id: res.body.id as number, client };
}

describe('webhooks', () => {
  it('refuses hosts that are or resolve to private, loopback or link-local addresses', async () => {
    const strict = buildApp(db, { ENCRYPTION_KEY: env.ENCRYPTION_KEY });
    for (const url of [
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://localhost/x',
      'http://example.com/x',
    ]) {
      const { res } = await register(url, undefined, strict);
      expect(res.status, url).toBe(422);
    }
    expect(await db.prisma.webhookEndpoint.count()).toBe(0);
    for (const ip of ['192.168.1.1', '172.16.0.1', '100.64.0.1', 'fe80::1', 'fd00::1', '0.0.0.0'])
      expect(isInternalAddress(ip), ip).toBe(true);
    for (const ip of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('delivers a signed event via the queue, retried until the receiver takes it, once marked delivered', async () => {
    const rx = await receiver();
    try {
      const { secret, endpoint } = await registerWith(rx.url, ['request.submitted']);
      expect(secret).toMatch(/^whsec_/);
      rx.script.push(500, 503);
      const { id } = await submit();
      await runUntil(
        async () =>
          (await db.prisma.webhookDelivery.count({ where: { endpointId: endpoint.id, status: 'delivered' } })) === 1,
      );
      const deliveries = await db.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({
        status: 'delivered',
        attempts: 3,
        lastStatus: 200,
        eventType: 'request.submitted',
      });
      expect(rx.received.map((r) => r.answered)).toEqual([500, 503, 200]);
      // The same message each time (one webhook-id), each signature valid for the endpoint's secret.
      expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
      const wh = new Webhook(secret);
      for (const r of rx.received) {
        const payload = wh.verify(r.body, r.headers as Record<string, string>) as {
          type: string;
          data: { request: { id: number } };
        };
        expect(payload.type).toBe('request.submitted');
        expect(payload.data.request.id).toBe(id);
      }
      expect(() =>
        new Webhook(`whsec_${Buffer.from('another secret!!').toString('base64')}`).verify(
          rx.received[2]!.body,
          rx.received[2]!.headers as Record<string, string>,
        ),
      ).toThrow();
      // Nothing more to do: running the jobs again sends nothing.
      await runJobs(db, config);
      expect(rx.received).toHaveLength(3);

      // The log shows it; re-sent from there, the receiver gets the same message again.
      const admin = await signIn(app, org.admin.email);
      const log = await admin.get(`/admin/webhooks/${endpoint.id}`);
      expect(log.text).toContain(`msg_${deliveries[0]!.id}`);
      const resent = await postForm(
        admin,
        `/admin/webhooks/${endpoint.id}`,
        `/admin/webhooks/${endpoint.id}/mensajes/${deliveries[0]!.id}/reenviar`,
        {},
      );
      expect(resent.status).toBe(303);
      await runUntil(async () => rx.received.length === 4);
      expect(rx.received[3]!.headers['webhook-id']).toBe(rx.received[0]!.headers['webhook-id']);
    } finally {
      await rx.close();
    }
  });

  it('signs with the new secret once rotated, and sends comments to endpoints that chose them', async () => {
    const rx = await receiver();
    try {
      const { secret: old, endpoint, admin } = await registerWith(rx.url, ['comment.created']);
      const rotated = await postForm(admin, '/admin/webhooks', `/admin/webhooks/${endpoint.id}/secreto`, {});
      const secret = /<code[^>]*>(whsec_[^<]+)<\/code>/.exec(rotated.text)![1]!;
      expect(secret).not.toBe(old);
      const { id, client } = await submit();
      await client.post(`/api/v1/requests/${id}/comments`, { body: 'Gracias por la atención' });
      await runUntil(async () => rx.received.length === 1);
      const r = rx.received[0]!;
      expect((new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string }).type).toBe(
        'comment.created',
      );
      expect(() => new Webhook(old).verify(r.body, r.headers as Record<string, string>)).toThrow();
    } finally {
      await rx.close();
    }
  });

  it('checks the address again at delivery: a host now internal gets nothing', async () => {
    const rx = await receiver();
    try {
      const { endpoint } = await registerWith(rx.url, ['request.submitted']);
      await submit();
      // The same jobs run by a worker that allows no private address.
      const strict = testConfig({ ...env, WEBHOOKS_ALLOW_PRIVATE: 'false' });
      await runJobs(db, strict);
      expect(rx.received).toHaveLength(0);
      const d = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      expect(d).toMatchObject({ status: 'pending', lastStatus: null });
      expect(d.attempts).toBeGreaterThanOrEqual(1);
      // It stops being retried here.
      await db.prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
      expect(d.response).toMatch(/https|private/);
    } finally {
      await rx.close();
    }
  });

  it('disables an endpoint failing for 3 days and tells the administrators', async () => {
    const rx = await receiver();
    try {
      const { endpoint } = await registerWith(rx.url, ['request.submitted']);
      await db.prisma.webhookEndpoint.update({
        where: { id: endpoint.id },
        data: { failingSince: new Date(Date.now() - 3 * 24 * 3600_000 - 60_000) },
      });
      rx.script.push(500);
      await submit();
      await runUntil(
        async () => !(await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).active,
      );
      const d = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      expect(d.status).toBe('failed');
      const mail = await listStoredMail(config);
      expect(mail.some((m) => m.to === org.admin.email && m.text.includes(rx.url))).toBe(true);
    } finally {
      await rx.close();
    }
  });
});
