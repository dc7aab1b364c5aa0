// Statements of the webhooks. Prisma where it reads well, raw SQL where measured faster: the fan-out's insert of
// deliveries and their queue jobs is one raw statement (ON CONFLICT makes a repeated fan-out create nothing twice).
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

export const TASK_WEBHOOK = 'webhook_deliver';
export const MAX_ENDPOINTS = 50;

export interface EndpointRow {
  id: number;
  url: string;
  description: string;
  events: string[];
  active: boolean;
  failingSince: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}
const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  active: true,
  failingSince: true,
  disabledAt: true,
  createdAt: true,
} as const;

export function companyEndpoints(db: Db, companyId: number): Promise<EndpointRow[]> {
  return db.webhookEndpoint.findMany({
    where: { companyId },
    select: endpointSelect,
    orderBy: { id: 'asc' },
    take: MAX_ENDPOINTS,
  });
}

export function findEndpoint(db: Db, companyId: number, id: number): Promise<EndpointRow | null> {
  return db.webhookEndpoint.findFirst({ where: { companyId, id }, select: endpointSelect });
}

export function countEndpoints(db: Db, companyId: number): Promise<number> {
  return db.webhookEndpoint.count({ where: { companyId } });
}

export function insertEndpoint(
  tx: Tx,
  data: { companyId: number; url: string; description: string; events: string[]; secretEnc: string },
): Promise<{ id: number }> {
  return tx.webhookEndpoint.create({ data, select: { id: true } });
}

export async function setSecret(tx: Tx, companyId: number, id: number, secretEnc: string): Promise<boolean> {
  return (await tx.webhookEndpoint.updateMany({ where: { companyId, id }, data: { secretEnc } })).count === 1;
}

export async function deleteEndpointRow(tx: Tx, companyId: number, id: number): Promise<boolean> {
  return (await tx.webhookEndpoint.deleteMany({ where: { companyId, id } })).count === 1;
}

/** Turns an endpoint on again (after it was disabled), its failing streak forgotten. */
export async function enableEndpointRow(tx: Tx, companyId: number, id: number): Promise<boolean> {
  const res = await tx.webhookEndpoint.updateMany({
    where: { companyId, id },
    data: { active: true, disabledAt: null, failingSince: null },
  });
  return res.count === 1;
}

export interface DeliveryRow {
  id: bigint;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  durationMs: number | null;
  response: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function countDeliveries(db: Db, companyId: number, endpointId: number): Promise<number> {
  return db.webhookDelivery.count({ where: { companyId, endpointId } });
}

export function deliveriesPage(
  db: Db,
  companyId: number,
  endpointId: number,
  window: { skip: number; take: number },
): Promise<DeliveryRow[]> {
  return db.webhookDelivery.findMany({
    where: { companyId, endpointId },
    orderBy: { id: 'desc' },
    select: {
      id: true,
      eventType: true,
      status: true,
      attempts: true,
      lastStatus: true,
      durationMs: true,
      response: true,
      createdAt: true,
      updatedAt: true,
    },
    ...window,
  });
}

/** The company's active endpoints and their events (the fan-out's first, and usually only, statement). */
export function activeEndpoints(db: Db, companyId: number): Promise<{ id: number; events: string[] }[]> {
  return db.webhookEndpoint.findMany({
    where: { companyId, active: true },
    select: { id: true, events: true },
    take: MAX_ENDPOINTS,
  });
}

/** Lifecycle events with what their message says about the request. */
export function eventsFor(db: Db, companyId: number, eventIds: string[]) {
  return db.requestEvent.findMany({
    where: { companyId, id: { in: eventIds.map((id) => BigInt(id)) } },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      action: true,
      fromStatus: true,
      toStatus: true,
      comment: true,
      createdAt: true,
      actor: { select: { id: true, name: true } },
      request: { select: { id: true, number: true, title: true, priority: true, status: true } },
    },
  });
}

export function commentFor(db: Db, companyId: number, commentId: number) {
  return db.requestComment.findFirst({
    where: { companyId, id: commentId },
    select: {
      id: true,
      internal: true,
      body: true,
      createdAt: true,
      author: { select: { id: true, name: true } },
      request: { select: { id: true, number: true, title: true, status: true } },
    },
  });
}

export interface NewDelivery {
  endpointId: number;
  eventKey: string;
  eventType: string;
  payload: unknown;
}

/** Inserts the deliveries not made yet and queues one job each (its key makes a second queueing replace it). */
export async function insertDeliveries(db: Db, companyId: number, list: NewDelivery[]): Promise<number> {
  if (list.length === 0) return 0;
  const [row] = await rows<{ n: number }>(
    db,
    Prisma.sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(list)}::jsonb)
        AS x("endpointId" int, "eventKey" text, "eventType" text, payload jsonb)
    ), added AS (
      INSERT INTO webhook_deliveries (company_id, endpoint_id, event_key, event_type, payload)
      SELECT ${companyId}::int, "endpointId", "eventKey", "eventType", payload FROM input
      ON CONFLICT (company_id, endpoint_id, event_key) DO NOTHING
      RETURNING id
    )
    SELECT count(graphile_worker.add_job(${TASK_WEBHOOK}, json_build_object('companyId', ${companyId}::int,
                                                                           'id', id::text),
                                         job_key := 'webhook:' || id))::int AS n
      FROM added`,
  );
  return row?.n ?? 0;
}

/** Queues (again) the delivery of one message, at `runAt` (now when null). */
export async function queueDelivery(db: Db | Tx, companyId: number, id: bigint, runAt: Date | null): Promise<void> {
  await db.$executeRaw`
    SELECT graphile_worker.add_job(${TASK_WEBHOOK}::text,
                                   json_build_object('companyId', ${companyId}::int, 'id', ${String(id)}::text),
                                   run_at := ${runAt}::timestamptz, job_key := 'webhook:' || ${String(id)}::text)`;
}

export function readDelivery(db: Db, companyId: number, id: bigint) {
  return db.webhookDelivery.findFirst({
    where: { companyId, id },
    select: {
      id: true,
      status: true,
      attempts: true,
      payload: true,
      eventType: true,
      createdAt: true,
      endpoint: { select: { id: true, url: true, secretEnc: true, active: true, failingSince: true } },
    },
  });
}

export interface Outcome {
  status: number | null;
  durationMs: number;
  response: string;
  now: Date;
}

/** A 2xx: the message is delivered and its endpoint is no longer failing. */
export async function recordDelivered(db: Db, companyId: number, id: bigint, endpointId: number, o: Outcome) {
  await db.$transaction([
    db.webhookDelivery.updateMany({
      where: { companyId, id },
      data: {
        status: 'delivered',
        attempts: { increment: 1 },
        lastStatus: o.status,
        durationMs: o.durationMs,
        response: o.response,
        deliveredAt: o.now,
        updatedAt: o.now,
      },
    }),
    db.webhookEndpoint.updateMany({ where: { companyId, id: endpointId }, data: { failingSince: null } }),
  ]);
}

/** A failed attempt; the endpoint's failing streak starts now unless it already had. Returns when it started. */
export async function recordFailure(
  db: Db,
  companyId: number,
  id: bigint,
  endpointId: number,
  o: Outcome,
): Promise<Date> {
  const [, [endpoint]] = await db.$transaction([
    db.webhookDelivery.updateMany({
      where: { companyId, id },
      data: {
        attempts: { increment: 1 },
        lastStatus: o.status,
        durationMs: o.durationMs,
        response: o.response,
        updatedAt: o.now,
      },
    }),
    db.$queryRaw<{ failing_since: Date }[]>`
      UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ${o.now}::timestamptz)
       WHERE company_id = ${companyId} AND id = ${endpointId} RETURNING failing_since`,
  ]);
  return endpoint?.failing_since ?? o.now;
}

/** Gives up on a message (its endpoint is disabled or gone). */
export async function failDelivery(db: Db, companyId: number, id: bigint, now: Date) {
  await db.webhookDelivery.updateMany({ where: { companyId, id }, data: { status: 'failed', updatedAt: now } });
}

/** Disables an endpoint that kept failing and gives up its pending messages; false when it already was. */
export async function disableEndpoint(db: Db, companyId: number, endpointId: number, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const res = await tx.webhookEndpoint.updateMany({
      where: { companyId, id: endpointId, active: true },
      data: { active: false, disabledAt: now },
    });
    await tx.webhookDelivery.updateMany({
      where: { companyId, endpointId, status: 'pending' },
      data: { status: 'failed', updatedAt: now },
    });
    return res.count === 1;
  });
}

/** A message of the log to send again: pending once more. */
export async function reopenDelivery(tx: Tx, companyId: number, endpointId: number, id: bigint, now: Date) {
  const res = await tx.webhookDelivery.updateMany({
    where: { companyId, endpointId, id },
    data: { status: 'pending', updatedAt: now },
  });
  return res.count === 1;
}

export function activeAdmins(db: Db, companyId: number) {
  return db.user.findMany({
    where: { companyId, isCompanyAdmin: true, active: true },
    select: { email: true, locale: true, name: true },
    take: 50,
  });
}
