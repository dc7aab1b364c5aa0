// The detail page's use case: the request, what the person may do on it, and the workers to pick.
import { dueBadge } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { personNames, readDetail, workerLoads } from './detail-queries.js';
import { allowedActions } from './lifecycle.js';
import { visibleOr404 } from './service.js';

/** Everything the detail page shows, for someone allowed to see the request (404 otherwise). */
export async function loadDetail({ db, clock }: { db: Db; clock: () => Date }, actor: Actor, requestId: number) {
  // The detail carries the state the policies need: one query, then the same 404 as everywhere.
  const request = visibleOr404(actor, await readDetail(db, actor.companyId, requestId));
  const actions = allowedActions(actor, request);
  const needsWorkers = actions.includes('approve') || actions.includes('reassign');
  const workers = needsWorkers ? await workerLoads(db, actor.companyId, [request.serviceAreaId]) : [];
  // Names of the workers mentioned in reassignment events.
  const ids = new Set<number>();
  for (const e of request.events) {
    const d = e.data as { workerId?: number; previousWorkerId?: number } | null;
    if (d?.workerId) ids.add(d.workerId);
    if (d?.previousWorkerId) ids.add(d.previousWorkerId);
  }
  const names = await personNames(db, actor.companyId, [...ids]);
  const due = dueBadge(request, clock(), actor.timezone);
  return { request, actions, workers, names, due };
}
