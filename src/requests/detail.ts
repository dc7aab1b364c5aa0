// The detail page's use case: the request, what the person may do on it, and the workers to pick.
import { dueBadge } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { personNames, readDetail, workerLoads, type RequestDetail } from './detail-queries.js';
import { allowedActions, reopenUntil } from './lifecycle.js';
import { visibleOr404 } from './service.js';

/** Everything the detail page shows, for someone allowed to see the request (404 otherwise). */
export async function loadDetail({ db, clock }: { db: Db; clock: () => Date }, actor: Actor, requestId: number) {
  // The detail carries the state the policies need: one query, then the same 404 as everywhere.
  const found = visibleOr404(actor, await readDetail(db, actor.companyId, requestId));
  const now = clock();
  const until = found.finalizedAt ? reopenUntil(found.finalizedAt, found.reopenDays) : null;
  const request = { ...found, reopenWindowOpen: until !== null && until > now };
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
  const due = dueBadge(request, now, actor.timezone);
  return { request, actions, workers, names, due, waitingFor: waitingFor(request), reopenUntil: until };
}

/** "Esperando a: …" (an i18n key and its params): who is expected to act now, while somebody is. */
export function waitingFor(r: RequestDetail): { key: string; params: Record<string, string> } | null {
  if (r.status === 'PENDING') {
    if (r.awaitingAdmins) return { key: 'requests.waitingFor.admins', params: {} };
    if (r.authorizerUnit?.headName)
      return {
        key: 'requests.waitingFor.head',
        params: { name: r.authorizerUnit.headName, unit: r.authorizerUnit.name },
      };
    if (r.authorizerUnit) return { key: 'requests.waitingFor.noHead', params: { unit: r.authorizerUnit.name } };
  }
  if (r.status === 'FINALIZED') return { key: 'requests.waitingFor.requester', params: { name: r.requester.name } };
  if (r.status === 'AUTHORIZED') {
    if (r.areaHeadName)
      return { key: 'requests.waitingFor.servicesHead', params: { name: r.areaHeadName, area: r.serviceArea.name } };
    return { key: 'requests.waitingFor.noServicesHead', params: { area: r.serviceArea.name } };
  }
  return null;
}
