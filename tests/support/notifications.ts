// Notification helpers: the worker bound to a test database, and a loopback HTTP server
// that answers as Twilio's Messages API and Meta's WhatsApp Cloud API do.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { createMailer } from '../../src/mail/mailer.js';
import { runDueNotificationJobs, startNotificationWorker, type WorkerDeps } from '../../src/notifications/worker.js';
import { webhookExtension } from '../../src/webhooks/index.js';
import { testConfig } from './app.js';
import { createTestDatabase } from './database.js';
import { makeOrg } from './factories.js';
import { startSmtp } from './smtp.js';

export function workerDeps(db: Database, config: Config): WorkerDeps {
  const logger = createLogger(config);
  const mailer = createMailer(config, logger);
  const webhooks = webhookExtension({ db: db.prisma, config, logger, mailer });
  return { db: db.prisma, pool: db.pool, config, logger, mailer, extensions: [webhooks] };
}

/**
 * A test file's notification bench: its own database with an organisation whose requester
 * reads English (everyone else the company's Spanish), a real SMTP server on loopback, and
 * the configuration that sends to it with links to http://solicitudes.test.
 */
export async function notificationBench() {
  const db = await createTestDatabase();
  const smtp = await startSmtp();
  const org = await makeOrg(db.prisma);
  await db.prisma.user.update({ where: { id: org.employee.id }, data: { locale: 'en' } });
  const env = { SMTP_URL: smtp.url, APP_URL: 'http://solicitudes.test' };
  return {
    db,
    smtp,
    org,
    env,
    config: testConfig(env),
    async close() {
      await smtp.close();
      await db.drop();
    },
  };
}

/** Runs every job due now (fan-outs and the deliveries they enqueue). */
export const runJobs = (db: Database, config: Config) => runDueNotificationJobs(workerDeps(db, config));

export const startWorker = (db: Database, config: Config) =>
  startNotificationWorker(workerDeps(db, config), { pollInterval: 50, concurrency: 2 });

/** Polls `check` until it returns true (or fails after `ms`). */
export async function waitFor(check: () => Promise<boolean>, ms = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ProviderRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Form fields (Twilio) or the JSON body (Meta). */
  body: Record<string, unknown>;
}

/**
 * A provider on loopback. Each request takes the next scripted answer (status and body);
 * when the script is empty it answers success the way the real API does.
 */
export async function startFakeProvider() {
  const requests: ProviderRequest[] = [];
  const script: { status: number; body: unknown }[] = [];
  let seq = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const isJson = (req.headers['content-type'] ?? '').includes('json');
      const body = isJson ? (JSON.parse(raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const next = script.shift();
      seq += 1;
      const meta = (req.url ?? '').endsWith('/messages');
      const ok = meta
        ? {
            status: 200,
            body: {
              messaging_product: 'whatsapp',
              contacts: [{ input: body.to, wa_id: body.to }],
              messages: [{ id: `wamid.${seq}` }],
            },
          }
        : {
            status: 201,
            body: {
              sid: `SM${String(seq).padStart(32, '0')}`,
              status: 'queued',
              to: body.To,
              from: body.From,
              body: body.Body,
            },
          };
      const answer = next ?? ok;
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Queues answers for the next requests. */
    answer: (...answers: { status: number; body: unknown }[]) => script.push(...answers),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
