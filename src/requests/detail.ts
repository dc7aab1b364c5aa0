import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Actor } from '../org/actor.js';
import { workersWithLoad } from '../tickets/queries.js';
import { allowedActions } from './lifecycle.js';
import { visibleOr404 } from './service.js';

const person = { select: { id: true, name: true } } as const;

const detailSelect = {
  id: true,
  number: true,
  title: true,
  description: true,
  priority: true,
  location: true,
  status: true,
  requesterId: true,
  requesterUnitId: true,
  serviceAreaId: true,
  createdAt: true,
  authorizedAt: true,
  approvedAt: true,
  rejectedAt: true,
  rejectionStage: true,
  rejectionReason: true,
  cancelledAt: true,
  cancelReason: true,
  finalizedAt: true,
  requester: person,
  authorizedBy: person,
  approvedBy: person,
  rejectedBy: person,
  requesterUnit: { select: { name: true } },
  serviceArea: { select: { name: true } },
  category: { select: { name: true, slaHours: true } },
  ticket: {
    select: {
      id: true,
      number: true,
      status: true,
      workerId: true,
      instructions: true,
      assignedAt: true,
      startedAt: true,
      finishedAt: true,
      resolution: true,
      needsReassignment: true,
      worker: person,
      assignedBy: person,
    },
  },
  events: {
    select: { id: true, action: true, fromStatus: true, toStatus: true, comment: true, data: true, createdAt: true, actor: person },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    // A request's history is short; bounded anyway.
    take: 500,
  },
} satisfies Prisma.RequestSelect;

export type RequestDetail = Prisma.RequestGetPayload<{ select: typeof detailSelect }>;

/** Everything the detail page shows, for someone allowed to see the request (404 otherwise). */
export async function loadDetail(db: Db, actor: Actor, requestId: number) {
  // The detail carries the state the policies need: one query, then the same 404 as everywhere.
  const request = visibleOr404(actor, await db.request.findFirst({ where: { id: requestId, companyId: actor.companyId }, select: detailSelect }));
  const actions = allowedActions(actor, request);
  const needsWorkers = actions.includes('approve') || actions.includes('reassign');
  const workers = needsWorkers ? await workersWithLoad(db, actor.companyId, request.serviceAreaId) : [];
  // Names of the workers mentioned in reassignment events.
  const ids = new Set<number>();
  for (const e of request.events) {
    const d = e.data as { workerId?: number; previousWorkerId?: number } | null;
    if (d?.workerId) ids.add(d.workerId);
    if (d?.previousWorkerId) ids.add(d.previousWorkerId);
  }
  const named = ids.size ? await db.user.findMany({ where: { companyId: actor.companyId, id: { in: [...ids] } }, select: { id: true, name: true } }) : [];
  const names = new Map(named.map((u) => [u.id, u.name]));
  return { request, actions, workers, names };
}
