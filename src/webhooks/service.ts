// The webhooks' administration: endpoints (registered only when their host is public), their secret (shown on
// creation and on rotation), the log of their messages and sending one again. Company administrators only.
import { randomBytes } from 'node:crypto';
import { auditActor, recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { encryptSecret } from '../notifications/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../web/errors.js';
import { paginated } from '../web/pagination.js';
import { canManageWebhooks } from './policy.js';
import {
  countDeliveries,
  companyEndpoints,
  countEndpoints,
  deleteEndpointRow,
  deliveriesPage,
  enableEndpointRow,
  findEndpoint,
  insertEndpoint,
  MAX_ENDPOINTS,
  queueDelivery,
  reopenDelivery,
  setSecret,
} from './queries.js';
import type { EndpointInput } from './schemas.js';
import { resolveTarget, UnsafeUrl } from './ssrf.js';

export interface WebhookAdminDeps {
  db: Db;
  config: Config;
  clock: () => Date;
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

function guard(actor: Actor) {
  if (!canManageWebhooks(actor)) throw new ForbiddenError();
}

function sealed(config: Config, secret: string): string {
  if (!config.ENCRYPTION_KEY) throw new ValidationError({ url: 'webhooks.errors.noKey' });
  return encryptSecret(config.ENCRYPTION_KEY, secret);
}

export async function listEndpoints(deps: WebhookAdminDeps, actor: Actor) {
  guard(actor);
  return companyEndpoints(deps.db, actor.companyId);
}

/** Registers an endpoint; the returned secret is shown once (it signs every message). */
export async function createEndpoint(deps: WebhookAdminDeps, actor: Actor, input: EndpointInput) {
  guard(actor);
  try {
    await resolveTarget(input.url, deps.config.WEBHOOKS_ALLOW_PRIVATE);
  } catch (err) {
    if (err instanceof UnsafeUrl) throw new ValidationError({ url: err.reason });
    throw err;
  }
  if ((await countEndpoints(deps.db, actor.companyId)) >= MAX_ENDPOINTS)
    throw new ValidationError({ url: 'webhooks.errors.tooMany' });
  const secret = newSecret();
  const { id } = await deps.db.$transaction(async (tx) => {
    const row = await insertEndpoint(tx, {
      companyId: actor.companyId,
      url: input.url,
      description: input.description,
      events: [...new Set(input.events)],
      secretEnc: sealed(deps.config, secret),
    });
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'webhook.created',
      entityType: 'webhook',
      entityId: row.id,
      summary: input.url,
      changes: { events: [null, input.events] },
    });
    return row;
  });
  return { id, secret };
}

async function endpointOr404(deps: WebhookAdminDeps, actor: Actor, id: number) {
  const endpoint = await findEndpoint(deps.db, actor.companyId, id);
  if (!endpoint) throw new NotFoundError();
  return endpoint;
}

/** A new secret for the endpoint (shown once); messages are signed with it from now on. */
export async function rotateSecret(deps: WebhookAdminDeps, actor: Actor, input: { id: number }) {
  guard(actor);
  const endpoint = await endpointOr404(deps, actor, input.id);
  const secret = newSecret();
  await deps.db.$transaction(async (tx) => {
    await setSecret(tx, actor.companyId, endpoint.id, sealed(deps.config, secret));
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'webhook.secretRotated',
      entityType: 'webhook',
      entityId: endpoint.id,
      summary: endpoint.url,
    });
  });
  return { secret };
}

export async function deleteEndpoint(deps: WebhookAdminDeps, actor: Actor, input: { id: number }) {
  guard(actor);
  const endpoint = await endpointOr404(deps, actor, input.id);
  await deps.db.$transaction(async (tx) => {
    await deleteEndpointRow(tx, actor.companyId, endpoint.id);
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'webhook.deleted',
      entityType: 'webhook',
      entityId: endpoint.id,
      summary: endpoint.url,
    });
  });
}

/** Turns a disabled endpoint on again. */
export async function enableEndpoint(deps: WebhookAdminDeps, actor: Actor, input: { id: number }) {
  guard(actor);
  const endpoint = await endpointOr404(deps, actor, input.id);
  await deps.db.$transaction(async (tx) => {
    await enableEndpointRow(tx, actor.companyId, endpoint.id);
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'webhook.updated',
      entityType: 'webhook',
      entityId: endpoint.id,
      summary: endpoint.url,
      changes: { active: [endpoint.active, true] },
    });
  });
}

/** An endpoint with one page of its messages, newest first. */
export async function endpointLog(deps: WebhookAdminDeps, actor: Actor, input: { id: number; page: number }) {
  guard(actor);
  const endpoint = await endpointOr404(deps, actor, input.id);
  const log = await paginated(
    input.page,
    () => countDeliveries(deps.db, actor.companyId, endpoint.id),
    (window) => deliveriesPage(deps.db, actor.companyId, endpoint.id, window),
  );
  return { endpoint, ...log };
}

/** Sends a message of the log again (whatever its outcome was). */
export async function resendDelivery(
  deps: WebhookAdminDeps,
  actor: Actor,
  input: { endpointId: number; deliveryId: bigint },
) {
  guard(actor);
  await deps.db.$transaction(async (tx) => {
    if (!(await reopenDelivery(tx, actor.companyId, input.endpointId, input.deliveryId, deps.clock())))
      throw new NotFoundError();
    await queueDelivery(tx, actor.companyId, input.deliveryId, null);
  });
}
