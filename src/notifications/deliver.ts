// The worker's second step: send one notification row over its channel, then record the
// outcome. A transient failure schedules the next attempt with exponential backoff (in the
// same transaction as the row's update); a permanent one, or the last attempt, marks the
// row failed ("fallida") for the admin to see and retry.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { isConnectionError, isUniqueViolation } from '../db/errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Mailer } from '../mail/index.js';
import { sendEmail } from './channels/email.js';
import { PermanentDeliveryError, type Delivered } from './channels/errors.js';
import { sendMetaTemplate } from './channels/meta.js';
import { sendTwilio } from './channels/twilio.js';
import type { NotificationKind, RecipientRole } from './events.js';
import { composeEmail, composeShortText, whatsappTemplate, type MessageParams } from './messages.js';
import { enqueueDeliveries, type DeliverPayload } from './queue.js';
import { providersFor } from './settings.js';
import { surveyKey, surveyPath, surveyToken } from '../satisfaction/index.js';

/** The signed survey link of a "finished" message to its requester (null for every other message). */
function surveyUrl(config: Config, n: Pick<Row, 'companyId' | 'kind' | 'role'>, params: MessageParams): string | null {
  if (n.kind !== 'finished' || n.role !== 'requester' || !params.survey) return null;
  const { requestId, round } = params.survey;
  const token = surveyToken(surveyKey(config.SESSION_SECRET), { companyId: n.companyId, requestId, round });
  return `${config.appUrl}${surveyPath(token)}`;
}

export interface DeliverDeps {
  db: Db;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  clock?: () => Date;
}

/** Seconds before attempt n+1 after n failed attempts: base · 2^(n-1), capped. */
export function backoffSeconds(
  config: Pick<Config, 'NOTIFY_RETRY_BASE_SECONDS' | 'NOTIFY_RETRY_MAX_SECONDS'>,
  attempts: number,
): number {
  return Math.min(config.NOTIFY_RETRY_BASE_SECONDS * 2 ** Math.max(0, attempts - 1), config.NOTIFY_RETRY_MAX_SECONDS);
}

type Row = NonNullable<Awaited<ReturnType<typeof loadRow>>>;

function loadRow(db: Db, companyId: number, id: bigint) {
  return db.notification.findFirst({
    where: { companyId, id },
    select: {
      id: true,
      companyId: true,
      channel: true,
      kind: true,
      role: true,
      address: true,
      lang: true,
      params: true,
      status: true,
      attempts: true,
      idempotencyKey: true,
    },
  });
}

async function send(deps: DeliverDeps, n: Row): Promise<Delivered> {
  const key = { kind: n.kind as NotificationKind, role: n.role as RecipientRole, lang: n.lang };
  const params = n.params as unknown as MessageParams;
  const { config } = deps;
  if (n.channel === 'EMAIL') {
    const host = new URL(config.appUrl).hostname || 'localhost';
    const mail = await composeEmail(
      key,
      params,
      n.address,
      `<${n.idempotencyKey}@${host}>`,
      `${config.appUrl}/cuenta/notificaciones`,
      surveyUrl(config, n, params),
    );
    return sendEmail(deps.mailer, mail);
  }
  const providers = await providersFor(deps.db, config, n.companyId);
  if (n.channel === 'SMS') {
    const twilio = providers.twilio;
    if (!twilio?.smsFrom)
      throw new PermanentDeliveryError('No SMS provider configured (Twilio account and sender number)');
    return sendTwilio(
      twilio,
      { to: n.address, from: twilio.smsFrom, body: composeShortText(key, params), idempotencyKey: n.idempotencyKey },
      config.PROVIDER_TIMEOUT_MS,
    );
  }
  if (providers.whatsappProvider === 'meta') {
    if (!providers.meta) throw new PermanentDeliveryError('No WhatsApp Cloud API credentials configured');
    return sendMetaTemplate(
      providers.meta,
      { to: n.address, ...whatsappTemplate(key, params) },
      config.PROVIDER_TIMEOUT_MS,
    );
  }
  const twilio = providers.twilio;
  if (!twilio?.whatsappFrom)
    throw new PermanentDeliveryError('No WhatsApp provider configured (Twilio account and WhatsApp sender)');
  return sendTwilio(
    twilio,
    {
      to: `whatsapp:${n.address}`,
      from: `whatsapp:${twilio.whatsappFrom.replace(/^whatsapp:/, '')}`,
      body: composeShortText(key, params),
      idempotencyKey: n.idempotencyKey,
    },
    config.PROVIDER_TIMEOUT_MS,
  );
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'skipped' | 'unknown';

const UNKNOWN_OUTCOME =
  'Unknown outcome: the process stopped while the provider was being called; not sent again (docs/notifications.md)';

/**
 * Records "attempt started" before the provider is called and returns its number (one more than the notification's
 * last, counting attempts before an admin's manual retry); null when another worker started that same attempt.
 */
async function startAttempt(db: Db, n: Row): Promise<number | null> {
  const where = { companyId: n.companyId, notificationId: n.id };
  const last = await db.notificationAttempt.aggregate({ where, _max: { attempt: true } });
  const attempt = (last._max.attempt ?? 0) + 1;
  try {
    await db.notificationAttempt.create({ data: { ...where, attempt, deliveryKey: `${n.idempotencyKey}:${attempt}` } });
    return attempt;
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/**
 * The row's update and the attempt's outcome, in one transaction (plus the next attempt's job when retrying). While
 * the database is away (restarting) it is tried again for up to a minute: this process knows the outcome, and an
 * attempt left unfinished would be taken for an interrupted one.
 */
async function finish(
  db: Db,
  n: Row,
  attempt: number,
  outcome: Exclude<DeliveryOutcome, 'skipped'>,
  data: Prisma.NotificationUpdateManyMutationInput,
  retryAt: Date | null = null,
) {
  const until = Date.now() + 60_000;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      return await record(db, n, attempt, outcome, data, retryAt);
    } catch (err) {
      if (!isConnectionError(err) || Date.now() > until) throw err;
      await sleep(wait);
    }
  }
}

async function record(
  db: Db,
  n: Row,
  attempt: number,
  outcome: Exclude<DeliveryOutcome, 'skipped'>,
  data: Prisma.NotificationUpdateManyMutationInput,
  retryAt: Date | null = null,
) {
  await db.$transaction(async (tx) => {
    await tx.notification.updateMany({ where: { companyId: n.companyId, id: n.id, status: 'PENDING' }, data });
    await tx.notificationAttempt.updateMany({
      where: { companyId: n.companyId, notificationId: n.id, attempt },
      data: { finishedAt: new Date(), outcome },
    });
    if (retryAt) await enqueueDeliveries(tx, n.companyId, [n.id], retryAt);
  });
}

export async function deliver(deps: DeliverDeps, { companyId, id }: DeliverPayload): Promise<DeliveryOutcome> {
  const { db, config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const n = await loadRow(db, companyId, BigInt(id));
  // Already sent or given up on (a replaced or duplicated job): nothing to do, never a second send.
  if (!n || n.status !== 'PENDING') return 'skipped';
  // An attempt that started and never finished: its process died between calling the provider and recording the
  // answer. None of the providers takes an idempotency key for sending, so the message may or may not have left:
  // it is not sent again (at most once); the admin sees it failed with this reason and may retry it by hand.
  const interrupted = await db.notificationAttempt.findFirst({
    where: { companyId, notificationId: n.id, finishedAt: null },
    select: { attempt: true },
  });
  if (interrupted) {
    await finish(db, n, interrupted.attempt, 'unknown', {
      status: 'FAILED',
      attempts: n.attempts + 1,
      lastError: UNKNOWN_OUTCOME,
      nextAttemptAt: null,
    });
    logger.warn({ notification: String(n.id), channel: n.channel }, 'notification outcome unknown; not resent');
    return 'unknown';
  }
  const attempts = n.attempts + 1;
  const attempt = await startAttempt(db, n);
  if (attempt === null) return 'skipped';
  let delivered: Delivered;
  try {
    delivered = await send(deps, n);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    // Anything but a known permanent failure (network, throttling, 5xx, an unexpected error) is retried.
    const transient = !(err instanceof PermanentDeliveryError);
    if (!transient || attempts >= config.NOTIFY_MAX_ATTEMPTS) {
      await finish(db, n, attempt, 'failed', { status: 'FAILED', attempts, lastError: message, nextAttemptAt: null });
      logger.warn({ notification: String(n.id), channel: n.channel, attempts, err: message }, 'notification failed');
      return 'failed';
    }
    // Real time, not the injected clock: the queue compares run_at with PostgreSQL's now().
    const next = new Date(Date.now() + backoffSeconds(config, attempts) * 1000);
    await finish(db, n, attempt, 'retry', { attempts, lastError: message, nextAttemptAt: next }, next);
    logger.info(
      { notification: String(n.id), channel: n.channel, attempts, next, err: message },
      'notification will be retried',
    );
    return 'retry';
  }
  // Sent: if even this cannot be recorded, the job fails and its next run finds the attempt unfinished (never resent).
  await finish(db, n, attempt, 'sent', {
    status: 'SENT',
    attempts,
    sentAt: clock(),
    providerMessageId: delivered.providerMessageId,
    lastError: null,
    nextAttemptAt: null,
  });
  return 'sent';
}
