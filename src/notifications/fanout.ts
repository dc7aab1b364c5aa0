// The worker's first step for an event: who hears of it, over which channels (company
// switches × personal preferences × an address to send to), one notification row each,
// and one delivery job per row, all in one transaction. Running it twice creates nothing
// twice (unique event × recipient × channel). New comments and internal notes fan out the same way.
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { formatNumber } from '../web/view-helpers.js';
import {
  commentRecipients,
  isNotified,
  KIND_OF_ACTION,
  recipientsFor,
  type NotificationKind,
  type Recipient,
} from './events.js';
import type { MessageParams } from './messages.js';
import { enqueueDeliveries, type CommentPayload, type FanoutPayload } from './queue.js';
import { CHANNELS, companyChannels, preferencesOf, wants } from './settings.js';
import { activeAdminIds, substitutesAt, substitutesOn, withAdmins, withSubstitutes } from './expected-authorizers.js';

export interface FanoutDeps {
  db: Db;
  config: Config;
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);

export async function fanOut({ db, config }: FanoutDeps, { companyId, eventIds }: FanoutPayload): Promise<number> {
  const events = await db.requestEvent.findMany({
    where: { companyId, id: { in: eventIds.map((id) => BigInt(id)) } },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      action: true,
      fromStatus: true,
      actorId: true,
      comment: true,
      data: true,
      actor: { select: { name: true } },
      request: {
        select: {
          id: true,
          number: true,
          title: true,
          requesterId: true,
          requester: { select: { name: true } },
          authorizerUnit: { select: { headId: true } },
          awaitingAdmins: true,
          serviceArea: { select: { headId: true } },
          ticket: { select: { number: true, workerId: true } },
          reopenCount: true,
        },
      },
    },
  });
  const notified = events.flatMap((e) => (isNotified(e.action) ? [{ ...e, action: e.action }] : []));
  const away = await substitutesAt(
    db,
    companyId,
    notified.map((e) => e.id),
  );
  // A request that waits on the administrators asks them to authorize, as a unit head would be asked.
  const asksAdmins = (e: (typeof notified)[number]) =>
    e.request.awaitingAdmins &&
    (['SUBMIT', 'REROUTE', 'ESCALATE'].includes(e.action) ||
      (e.action === 'REMIND' && (e.data as { step?: string } | null)?.step === 'AUTHORIZATION'));
  const adminIds = notified.some(asksAdmins) ? await activeAdminIds(db, companyId) : [];
  const followers = await followersOf(db, companyId, [...new Set(notified.map((e) => e.request.id))]);
  const leftAreas = notified.flatMap((e) => {
    const from = e.action === 'TRANSFER' ? num((e.data as Record<string, unknown> | null)?.fromServiceAreaId) : null;
    return from === null ? [] : [from];
  });
  const leftHeads = await areaHeads(db, companyId, leftAreas);
  const plans = notified.map((e) => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    const r = e.request;
    const workerId = num(data.workerId) ?? r.ticket?.workerId ?? null;
    const facts = {
      action: e.action,
      fromStatus: e.fromStatus,
      actorId: e.actorId,
      step: typeof data.step === 'string' ? data.step : null,
      requesterId: r.requesterId,
      // The head expected to authorize (the stored authorizer unit's), not necessarily the requester's unit's.
      unitHeadId: r.authorizerUnit?.headId ?? null,
      servicesHeadId: r.serviceArea.headId,
      workerId,
      previousWorkerId: num(data.previousWorkerId),
      previousServicesHeadId: leftHeads.get(num(data.fromServiceAreaId) ?? 0) ?? null,
      followerIds: followers.get(r.id) ?? [],
    };
    const recipients = withAdmins(recipientsFor(facts), asksAdmins(e) ? adminIds : [], e.actorId);
    return { event: e, workerId, recipients: withSubstitutes(recipients, away.get(String(e.id)), e.actorId) };
  });
  const userIds = [
    ...new Set(plans.flatMap((p) => [...p.recipients.map((r) => r.userId), ...(p.workerId ? [p.workerId] : [])])),
  ];
  const ctx = await loadContext(db, companyId, userIds);
  const rows = plans.flatMap(({ event: e, workerId, recipients }) => {
    const r = e.request;
    return rowsFor(ctx, companyId, {
      source: { eventId: e.id },
      keyPart: String(e.id),
      kind: KIND_OF_ACTION[e.action],
      requestId: r.id,
      recipients,
      params: {
        number: formatNumber('SOL', r.number),
        title: r.title,
        actor: e.actor?.name ?? '',
        requester: r.requester.name,
        comment: e.comment ?? '',
        ticket: r.ticket ? formatNumber('TKT', r.ticket.number) : '',
        worker: workerId ? (ctx.users.get(workerId)?.name ?? '') : '',
        url: `${config.appUrl}/solicitudes/${r.id}`,
        // A finish asks its requester "¿Quedó resuelto?" with the survey of this round (reopen count).
        ...(e.action === 'FINISH'
          ? {
              survey: {
                requestId: r.id,
                round: num((e.data as { round?: unknown } | null)?.round) ?? r.reopenCount,
                days: ctx.reopenDays,
              },
            }
          : {}),
      },
    });
  });
  return insertAndEnqueue(db, companyId, rows);
}

/**
 * The fan-out of a new comment or internal note: the other participants of the request
 * (an internal note: only its service-area participants), one row per channel they want.
 * Running it twice creates nothing twice (unique comment × recipient × channel).
 */
export async function fanOutComment(
  { db, config }: FanoutDeps,
  { companyId, commentId }: CommentPayload,
): Promise<number> {
  const c = await db.requestComment.findFirst({
    where: { companyId, id: commentId },
    select: {
      id: true,
      internal: true,
      createdAt: true,
      body: true,
      authorId: true,
      author: { select: { name: true } },
      request: {
        select: {
          id: true,
          number: true,
          title: true,
          status: true,
          requesterId: true,
          requester: { select: { name: true } },
          authorizerUnit: { select: { headId: true } },
          serviceArea: { select: { headId: true } },
          serviceAreaId: true,
          ticket: {
            select: {
              number: true,
              workerId: true,
              worker: { select: { name: true, unitId: true, isCompanyAdmin: true } },
            },
          },
        },
      },
    },
  });
  if (!c) return 0;
  const r = c.request;
  // A note reaches the assigned worker only while they may read notes (staff of the area, or an admin).
  const worker =
    r.ticket && (!c.internal || r.ticket.worker.unitId === r.serviceAreaId || r.ticket.worker.isCompanyAdmin)
      ? r.ticket.workerId
      : null;
  // An absent head's substitute hears what the head would hear (an internal note too: they act for the area).
  const heads = commentRecipients({
    internal: c.internal,
    authorId: c.authorId,
    requesterId: r.requesterId,
    pending: r.status === 'PENDING',
    unitHeadId: r.authorizerUnit?.headId ?? null,
    servicesHeadId: r.serviceArea.headId,
    workerId: worker,
    followerIds: c.internal ? [] : ((await followersOf(db, companyId, [r.id])).get(r.id) ?? []),
  });
  const recipients = withSubstitutes(heads, await substitutesOn(db, companyId, c.createdAt), c.authorId);
  const ctx = await loadContext(
    db,
    companyId,
    recipients.map((x) => x.userId),
  );
  const rows = rowsFor(ctx, companyId, {
    source: { commentId: c.id },
    keyPart: `c${c.id}`,
    kind: c.internal ? 'note' : 'comment',
    requestId: r.id,
    recipients,
    params: {
      number: formatNumber('SOL', r.number),
      title: r.title,
      actor: c.author.name,
      requester: r.requester.name,
      comment: c.body,
      ticket: r.ticket ? formatNumber('TKT', r.ticket.number) : '',
      worker: r.ticket?.worker.name ?? '',
      url: `${config.appUrl}/solicitudes/${r.id}#comentario-${c.id}`,
    },
  });
  return insertAndEnqueue(db, companyId, rows);
}

/** The followers of each request (by request id). */
async function followersOf(db: Db, companyId: number, requestIds: number[]): Promise<Map<number, number[]>> {
  const byRequest = new Map<number, number[]>();
  if (requestIds.length === 0) return byRequest;
  const found = await db.requestFollower.findMany({
    where: { companyId, requestId: { in: requestIds } },
    select: { requestId: true, userId: true },
  });
  for (const f of found) byRequest.set(f.requestId, [...(byRequest.get(f.requestId) ?? []), f.userId]);
  return byRequest;
}

/** The heads of the given units (a request sent to another area: the head of the one it left). */
async function areaHeads(db: Db, companyId: number, unitIds: number[]): Promise<Map<number, number | null>> {
  if (unitIds.length === 0) return new Map();
  const found = await db.unit.findMany({
    where: { companyId, id: { in: unitIds } },
    select: { id: true, headId: true },
  });
  return new Map(found.map((u) => [u.id, u.headId]));
}

/** The people, their preferences and the company's channels and language, read once per fan-out. */
async function loadContext(db: Db, companyId: number, userIds: number[]) {
  const [users, prefs, channels, company] = await Promise.all([
    db.user.findMany({
      where: { companyId, id: { in: userIds } },
      select: { id: true, name: true, email: true, phone: true, phoneVerifiedAt: true, locale: true, active: true },
    }),
    preferencesOf(db, companyId, userIds),
    companyChannels(db, companyId),
    db.company.findUniqueOrThrow({ where: { id: companyId }, select: { locale: true, reopenDays: true } }),
  ]);
  return {
    users: new Map(users.map((u) => [u.id, u])),
    prefs,
    channels,
    companyLocale: company.locale,
    reopenDays: company.reopenDays,
  };
}
type Context = Awaited<ReturnType<typeof loadContext>>;

interface Plan {
  source: { eventId: bigint } | { commentId: number };
  /** The source's part of the idempotency key ("123" for an event, "c45" for a comment). */
  keyPart: string;
  kind: NotificationKind;
  requestId: number;
  recipients: Recipient[];
  params: Omit<MessageParams, 'recipient'>;
}

/** One row per recipient × channel the company allows, the person wants and an address exists for. */
function rowsFor(
  { users, prefs, channels, companyLocale }: Context,
  companyId: number,
  plan: Plan,
): Prisma.NotificationCreateManyInput[] {
  const rows: Prisma.NotificationCreateManyInput[] = [];
  for (const { userId, role } of plan.recipients) {
    const user = users.get(userId);
    if (!user?.active) continue;
    const params: MessageParams = { ...plan.params, recipient: user.name };
    for (const channel of CHANNELS) {
      if (!channels[channel] || !wants(prefs, userId, plan.kind, channel)) continue;
      // SMS and WhatsApp only to a verified phone.
      const address = channel === 'EMAIL' ? user.email : user.phoneVerifiedAt ? user.phone : null;
      if (!address) continue;
      rows.push({
        companyId,
        ...plan.source,
        requestId: plan.requestId,
        recipientId: userId,
        channel,
        kind: plan.kind,
        role,
        address,
        lang: user.locale ?? companyLocale,
        params: params as unknown as Prisma.InputJsonValue,
        idempotencyKey: `n-${companyId}-${plan.keyPart}-${userId}-${channel.toLowerCase()}`,
      });
    }
  }
  return rows;
}

async function insertAndEnqueue(
  db: Db,
  companyId: number,
  rows: Prisma.NotificationCreateManyInput[],
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$transaction(async (tx) => {
    const created = await tx.notification.createManyAndReturn({
      data: rows,
      skipDuplicates: true,
      select: { id: true },
    });
    await enqueueDeliveries(
      tx,
      companyId,
      created.map((c) => c.id),
    );
    return created.length;
  });
}
