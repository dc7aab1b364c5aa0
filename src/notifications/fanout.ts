// The worker's first step for an event: who hears of it, over which channels (company
// switches × personal preferences × an address to send to), one notification row each,
// and one delivery job per row, all in one transaction. Running it twice creates nothing
// twice (unique event × recipient × channel).
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { formatNumber } from '../web/view-helpers.js';
import { KIND_OF_ACTION, recipientsFor } from './events.js';
import type { MessageParams } from './messages.js';
import { enqueueDeliveries, type FanoutPayload } from './queue.js';
import { CHANNELS, companyChannels, preferencesOf, wants } from './settings.js';

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
          requesterUnit: { select: { headId: true } },
          serviceArea: { select: { headId: true } },
          ticket: { select: { number: true, workerId: true } },
        },
      },
    },
  });
  const plans = events.map((e) => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    const r = e.request;
    const workerId = num(data.workerId) ?? r.ticket?.workerId ?? null;
    const facts = {
      action: e.action,
      fromStatus: e.fromStatus,
      actorId: e.actorId,
      requesterId: r.requesterId,
      unitHeadId: r.requesterUnit.headId,
      servicesHeadId: r.serviceArea.headId,
      workerId,
      previousWorkerId: num(data.previousWorkerId),
    };
    return { event: e, workerId, recipients: recipientsFor(facts) };
  });
  const userIds = [...new Set(plans.flatMap((p) => [...p.recipients.map((r) => r.userId), ...(p.workerId ? [p.workerId] : [])]))];
  const [users, prefs, channels, company] = await Promise.all([
    db.user.findMany({ where: { companyId, id: { in: userIds } }, select: { id: true, name: true, email: true, phone: true, locale: true, active: true } }),
    preferencesOf(db, companyId, userIds),
    companyChannels(db, companyId),
    db.company.findUniqueOrThrow({ where: { id: companyId }, select: { locale: true } }),
  ]);
  const byId = new Map(users.map((u) => [u.id, u]));

  const rows: Prisma.NotificationCreateManyInput[] = [];
  for (const { event: e, workerId, recipients } of plans) {
    const kind = KIND_OF_ACTION[e.action];
    const r = e.request;
    for (const { userId, role } of recipients) {
      const user = byId.get(userId);
      if (!user?.active) continue;
      const params: MessageParams = {
        number: formatNumber('SOL', r.number),
        title: r.title,
        actor: e.actor.name,
        requester: r.requester.name,
        recipient: user.name,
        comment: e.comment ?? '',
        ticket: r.ticket ? formatNumber('TKT', r.ticket.number) : '',
        worker: workerId ? (byId.get(workerId)?.name ?? '') : '',
        url: `${config.appUrl}/solicitudes/${r.id}`,
      };
      for (const channel of CHANNELS) {
        if (!channels[channel] || !wants(prefs, userId, kind, channel)) continue;
        const address = channel === 'EMAIL' ? user.email : user.phone;
        if (!address) continue;
        rows.push({
          companyId,
          eventId: e.id,
          requestId: r.id,
          recipientId: userId,
          channel,
          kind,
          role,
          address,
          lang: user.locale ?? company.locale,
          params: params as unknown as Prisma.InputJsonValue,
          idempotencyKey: `n-${companyId}-${e.id}-${userId}-${channel.toLowerCase()}`,
        });
      }
    }
  }
  if (rows.length === 0) return 0;
  return db.$transaction(async (tx) => {
    const created = await tx.notification.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } });
    await enqueueDeliveries(tx, companyId, created.map((c) => c.id));
    return created.length;
  });
}
