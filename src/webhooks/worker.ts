// The webhooks' part of the notification worker: after a lifecycle event or a comment fans out to people, it fans
// out to the company's endpoints (one delivery row and queue job per endpoint and event, never twice), and each job
// sends its message, signed (Standard Webhooks), to the checked address. A failure is logged and retried later, with
// a delay that doubles up to NOTIFY_RETRY_MAX_SECONDS; an endpoint failing for 3 days is disabled and the company's
// administrators are mailed.
import type { TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { EventAction } from '../generated/prisma/enums.js';
import { renderMail, type Mailer } from '../mail/index.js';
import { decryptSecret, type CommentPayload, type FanoutPayload } from '../notifications/index.js';
import { isLanguage, translator } from '../web/i18n.js';
import { formatNumber } from '../web/view-helpers.js';
import {
  activeAdmins,
  activeEndpoints,
  commentFor,
  disableEndpoint,
  eventsFor,
  failDelivery,
  insertDeliveries,
  queueDelivery,
  readDelivery,
  recordDelivered,
  recordFailure,
  TASK_WEBHOOK,
  type NewDelivery,
} from './queries.js';
import type { EventType } from './schemas.js';
import { send, signedHeaders } from './send.js';
import { resolveTarget, UnsafeUrl } from './ssrf.js';

export interface WebhookWorkerDeps {
  db: Db;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  clock?: () => Date;
}

const FAILING_LIMIT_MS = 3 * 24 * 3600_000;

const TYPE_OF: Record<EventAction, EventType> = {
  SUBMIT: 'request.submitted',
  AUTHORIZE: 'request.authorized',
  REJECT: 'request.rejected',
  APPROVE: 'request.approved',
  START: 'request.started',
  FINISH: 'request.finished',
  REASSIGN: 'request.reassigned',
  CANCEL: 'request.cancelled',
  HOLD: 'request.on_hold',
  RESUME: 'request.resumed',
  REROUTE: 'request.rerouted',
  TRANSFER: 'request.transferred',
  CORRECT: 'request.corrected',
  EDIT: 'request.edited',
  CONFIRM: 'request.confirmed',
  REOPEN: 'request.reopened',
  AUTO_CLOSE: 'request.closed',
  REMIND: 'request.reminder',
  ESCALATE: 'request.escalated',
  OVERDUE: 'request.overdue',
};

/** One delivery per endpoint subscribed to the message's type. */
function toEndpoints(
  endpoints: { id: number; events: string[] }[],
  messages: { key: string; type: EventType; payload: unknown }[],
): NewDelivery[] {
  return messages.flatMap((m) =>
    endpoints
      .filter((e) => e.events.includes(m.type))
      .map((e) => ({ endpointId: e.id, eventKey: m.key, eventType: m.type, payload: m.payload })),
  );
}

export async function webhookFanOut({ db }: WebhookWorkerDeps, { companyId, eventIds }: FanoutPayload) {
  const endpoints = await activeEndpoints(db, companyId);
  if (endpoints.length === 0) return 0;
  const events = await eventsFor(db, companyId, eventIds);
  const messages = events.map((e) => ({
    key: `event:${e.id}`,
    type: TYPE_OF[e.action],
    payload: {
      type: TYPE_OF[e.action],
      timestamp: e.createdAt.toISOString(),
      data: {
        eventId: String(e.id),
        request: { ...e.request, reference: formatNumber('SOL', e.request.number) },
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        comment: e.comment,
        actor: e.actor,
      },
    },
  }));
  return insertDeliveries(db, companyId, toEndpoints(endpoints, messages));
}

export async function webhookFanOutComment({ db }: WebhookWorkerDeps, { companyId, commentId }: CommentPayload) {
  const endpoints = await activeEndpoints(db, companyId);
  if (endpoints.length === 0) return 0;
  const c = await commentFor(db, companyId, commentId);
  if (!c) return 0;
  const type: EventType = c.internal ? 'note.created' : 'comment.created';
  const payload = {
    type,
    timestamp: c.createdAt.toISOString(),
    data: {
      comment: { id: c.id, internal: c.internal, body: c.body, author: c.author },
      request: { ...c.request, reference: formatNumber('SOL', c.request.number) },
    },
  };
  return insertDeliveries(db, companyId, toEndpoints(endpoints, [{ key: `comment:${c.id}`, type, payload }]));
}

const backoffMs = (config: Config, attempt: number) =>
  Math.min(config.NOTIFY_RETRY_BASE_SECONDS * 2 ** (attempt - 1), config.NOTIFY_RETRY_MAX_SECONDS) * 1000;

/** Sends one message; a failure is recorded and retried (or, after 3 days of failures, the endpoint disabled). */
export async function deliverWebhook(deps: WebhookWorkerDeps, { companyId, id }: { companyId: number; id: string }) {
  const { db, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const d = await readDelivery(db, companyId, BigInt(id));
  if (!d || d.status !== 'pending') return;
  if (!d.endpoint.active) return failDelivery(db, companyId, d.id, clock());
  const body = JSON.stringify(d.payload);
  let result: { status: number | null; durationMs: number; excerpt: string };
  try {
    const target = await resolveTarget(d.endpoint.url, config.WEBHOOKS_ALLOW_PRIVATE);
    const secret = decryptSecret(config.ENCRYPTION_KEY!, d.endpoint.secretEnc);
    const headers = signedHeaders(secret, `msg_${d.id}`, clock(), body);
    result = await send(target, headers, body, config.PROVIDER_TIMEOUT_MS);
  } catch (err) {
    if (!(err instanceof UnsafeUrl)) throw err;
    // The host now resolves to an internal address: nothing is sent.
    result = { status: null, durationMs: 0, excerpt: translator('en')(err.reason) };
  }
  const now = clock();
  const outcome = { status: result.status, durationMs: result.durationMs, response: result.excerpt, now };
  if (result.status !== null && result.status >= 200 && result.status < 300) {
    await recordDelivered(db, companyId, d.id, d.endpoint.id, outcome);
    return;
  }
  const failingSince = await recordFailure(db, companyId, d.id, d.endpoint.id, outcome);
  if (now.getTime() - failingSince.getTime() >= FAILING_LIMIT_MS) {
    if (await disableEndpoint(db, companyId, d.endpoint.id, now)) await tellAdmins(deps, companyId, d.endpoint.url);
    return;
  }
  await queueDelivery(db, companyId, d.id, new Date(now.getTime() + backoffMs(config, d.attempts + 1)));
}

/** "Your webhook endpoint was disabled": to every active administrator, in their language. */
async function tellAdmins(deps: WebhookWorkerDeps, companyId: number, url: string) {
  for (const admin of await activeAdmins(deps.db, companyId)) {
    const lang = isLanguage(admin.locale) ? admin.locale : 'es';
    const t = translator(lang);
    const message = await renderMail({
      to: admin.email,
      subject: t('webhooks.mail.subject'),
      greeting: t('mail.greeting', { name: admin.name }),
      paragraphs: [t('webhooks.mail.body', { url })],
      action: t('webhooks.mail.action'),
      url: `${deps.config.appUrl}/admin/webhooks`,
      footer: t('mail.footer'),
      lang,
    });
    await deps.mailer.send(message).catch((err: unknown) => deps.logger.error({ err }, 'webhook: admin not told'));
  }
}

/** What the notification worker runs for webhooks: its task, and the fan-outs after its own. */
export function webhookExtension(deps: WebhookWorkerDeps) {
  const tasks: TaskList = {
    [TASK_WEBHOOK]: async (payload) => {
      await deliverWebhook(deps, payload as { companyId: number; id: string });
    },
  };
  return {
    tasks,
    onEvents: (p: FanoutPayload) => webhookFanOut(deps, p).then(() => undefined),
    onComment: (p: CommentPayload) => webhookFanOutComment(deps, p).then(() => undefined),
  };
}
