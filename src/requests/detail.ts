// The detail page's use case: the request, what the person may do on it, and the workers to pick.
import { dueBadge } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { conversationOf } from '../conversation/index.js';
import { readDetail, workerLoads, type RequestDetail } from './detail-queries.js';
import { allowedActions, onlyFollows, reopenUntil } from './lifecycle.js';
import { canAddFollowers, canCorrect, canEdit, canReroute, canSeeRequesterContact } from './policy.js';
import { visibleOr404 } from './service.js';
import { readServiceAreas } from './write-queries.js';

/** Everything the detail page shows, for someone allowed to see the request (404 otherwise). */
export async function loadDetail({ db, clock }: { db: Db; clock: () => Date }, actor: Actor, requestId: number) {
  // The detail carries the state the policies need: one statement, then the same 404 as everywhere.
  const {
    conversation: found,
    workerNames,
    workers: areaWorkers,
    areas: areaChoices,
    ...read
  } = visibleOr404(actor, await readDetail(db, actor, requestId));
  const now = clock();
  const until = read.finalizedAt ? reopenUntil(read.finalizedAt, read.reopenDays) : null;
  const request = { ...read, reopenWindowOpen: until !== null && until > now };
  const actions = allowedActions(actor, request);
  const needsWorkers = actions.includes('approve') || actions.includes('reassign');
  // The corrections, the edit and the followers the person may use here (the use cases re-check them).
  const may = {
    reroute: canReroute(actor, request),
    correct: canCorrect(actor, request),
    edit: canEdit(actor, request),
    addFollowers: canAddFollowers(actor, request),
    seeContact: canSeeRequesterContact(actor, request),
  };
  // The statement read the workers and areas for the area's head while the request can be decided; the policies say
  // whether the page offers them (read apart only if a policy ever allows more than that).
  const [workers, areas] = await Promise.all([
    needsWorkers ? (areaWorkers ?? workerLoads(db, actor.companyId, [request.serviceAreaId])) : [],
    may.reroute || may.correct ? (areaChoices ?? readServiceAreas(db, actor.companyId)) : [],
  ]);
  const asFollower = onlyFollows(actor, request);
  return {
    request,
    actions,
    workers,
    names: workerNames,
    due: dueBadge(request, now, actor.timezone),
    waitingFor: waitingFor(request),
    may,
    areas,
    asFollower,
    conversation: conversationOf(actor, { ...request, visible: true, asFollower }, found),
    contact: may.seeContact ? contactOf(request.requester) : null,
    home: homeListOf(actor, request),
    reopenUntil: until,
  };
}

/**
 * The list "Volver" leads to when the page was not opened from one (a link in a notification): the one where this
 * person meets this request — their own requests, their tickets, their inbox, their authorizations, the company's.
 */
export function homeListOf(actor: Actor, r: RequestDetail): string {
  if (r.requesterId === actor.id) return '/solicitudes';
  if (r.ticket?.workerId === actor.id) return '/mis-tickets';
  if (actor.servicesAreaIds.includes(r.serviceAreaId)) return '/bandeja';
  if (r.authorizerUnitId !== null && actor.headedUnitIds.includes(r.authorizerUnitId)) return '/autorizaciones';
  if (actor.isCompanyAdmin) return '/empresa/solicitudes';
  return '/solicitudes';
}

/** "Esperando a: …" (an i18n key and its params): who is expected to act now, while somebody is. */
export function waitingFor(
  r: Pick<RequestDetail, 'status' | 'awaitingAdmins' | 'authorizerUnit' | 'areaHeadName' | 'serviceArea'> & {
    /** Who confirms a finished request (absent: the reader, who needs no "waiting for" line about themselves). */
    requester?: { name: string };
  },
): { key: string; params: Record<string, string> } | null {
  if (r.status === 'PENDING') {
    if (r.awaitingAdmins) return { key: 'requests.waitingFor.admins', params: {} };
    if (r.authorizerUnit?.headName)
      return {
        key: 'requests.waitingFor.head',
        params: { name: r.authorizerUnit.headName, unit: r.authorizerUnit.name },
      };
    if (r.authorizerUnit) return { key: 'requests.waitingFor.noHead', params: { unit: r.authorizerUnit.name } };
  }
  if (r.status === 'FINALIZED') {
    return r.requester ? { key: 'requests.waitingFor.requester', params: { name: r.requester.name } } : null;
  }
  if (r.status === 'AUTHORIZED') {
    if (r.areaHeadName)
      return { key: 'requests.waitingFor.servicesHead', params: { name: r.areaHeadName, area: r.serviceArea.name } };
    return { key: 'requests.waitingFor.noServicesHead', params: { area: r.serviceArea.name } };
  }
  return null;
}

/** The requester's email and phone as links: mailto, tel and WhatsApp (wa.me takes the number's digits). */
export function contactOf(p: { email: string; phone: string | null }) {
  const digits = p.phone?.replace(/\D/g, '') ?? '';
  return {
    email: p.email,
    phone: p.phone,
    tel: digits ? `tel:+${digits}` : null,
    whatsapp: digits ? `https://wa.me/${digits}` : null,
  };
}
