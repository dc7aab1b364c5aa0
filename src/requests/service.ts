// Applying the lifecycle: every change is one transaction holding a conditional
// update (WHERE id AND company AND expected state), its event row and, on approval,
// the ticket. When two people act at once exactly one update matches; the other
// gets a ConflictError naming who decided and when.
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { enqueueEventNotifications } from '../notifications/queue.js';
import type { Actor } from '../org/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../web/errors.js';
import { authorizedOnSubmit, canView, holdsRole, mayEverTake, transitionFor, type Action, type RequestState } from './lifecycle.js';
import type { NewRequestInput } from './schemas.js';

type Tx = Prisma.TransactionClient;
export interface Deps {
  db: Db;
  clock: () => Date;
}

const stateSelect = {
  id: true,
  companyId: true,
  status: true,
  requesterId: true,
  requesterUnitId: true,
  serviceAreaId: true,
  ticket: { select: { id: true, status: true, workerId: true } },
} as const;

/** The request if the actor may see it; a missing or hidden request is the same 404. */
export function visibleOr404<R extends RequestState>(actor: Actor, request: R | null): R {
  if (!request || !canView(actor, request)) throw new NotFoundError();
  return request;
}

/** A request of the actor's company that the actor may see; anything else is a 404. */
export async function loadVisibleState(db: Db | Tx, actor: Actor, requestId: number) {
  return visibleOr404(actor, await db.request.findFirst({ where: { id: requestId, companyId: actor.companyId }, select: stateSelect }));
}

async function nextNumber(tx: Tx, companyId: number, counter: 'request_seq' | 'ticket_seq'): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ n: number }[]>(
    `UPDATE companies SET ${counter} = ${counter} + 1 WHERE id = $1 RETURNING ${counter} AS n`,
    companyId,
  );
  return rows[0]!.n;
}

/**
 * Submits a request; a unit head's own request is authorized in the same act.
 * `alsoInTransaction` records what comes with it (e.g. its attachments) atomically.
 */
export async function submitRequest(
  { db, clock }: Deps,
  actor: Actor,
  input: NewRequestInput,
  alsoInTransaction?: (tx: Tx, request: { id: number; number: number }, now: Date) => Promise<void>,
): Promise<{ id: number; number: number }> {
  if (actor.unitId === null) throw new ForbiddenError('requests.errors.noUnit');
  const category = await db.category.findFirst({
    where: { id: input.categoryId, companyId: actor.companyId, serviceAreaId: input.serviceAreaId, active: true, serviceArea: { active: true, kind: 'SERVICE_AREA' } },
    select: { id: true },
  });
  if (!category) throw new ValidationError({ categoryId: 'requests.errors.categoryNotInArea' });
  const now = clock();
  const unitId = actor.unitId;
  const selfAuthorized = authorizedOnSubmit(actor, unitId);
  return db.$transaction(async (tx) => {
    const number = await nextNumber(tx, actor.companyId, 'request_seq');
    const request = await tx.request.create({
      data: {
        companyId: actor.companyId,
        number,
        requesterId: actor.id,
        requesterUnitId: unitId,
        serviceAreaId: input.serviceAreaId,
        categoryId: input.categoryId,
        title: input.title,
        description: input.description,
        priority: input.priority,
        location: input.location,
        status: selfAuthorized ? 'AUTHORIZED' : 'PENDING',
        authorizedAt: selfAuthorized ? now : null,
        authorizedById: selfAuthorized ? actor.id : null,
        createdAt: now,
        updatedAt: now,
      },
      select: { id: true, number: true },
    });
    const base = { companyId: actor.companyId, requestId: request.id, actorId: actor.id, createdAt: now };
    const events = [await tx.requestEvent.create({ data: { ...base, action: 'SUBMIT', fromStatus: null, toStatus: 'PENDING' }, select: { id: true } })];
    if (selfAuthorized) {
      events.push(
        await tx.requestEvent.create({
          data: { ...base, action: 'AUTHORIZE', fromStatus: 'PENDING', toStatus: 'AUTHORIZED', data: { onSubmit: true } },
          select: { id: true },
        }),
      );
    }
    if (alsoInTransaction) await alsoInTransaction(tx, request, now);
    // The notifications commit with the request or not at all.
    await enqueueEventNotifications(tx, actor.companyId, events.map((e) => e.id));
    return request;
  });
}

export type TransitionInput =
  | { action: 'authorize'; comment: string }
  | { action: 'reject'; reason: string }
  | { action: 'approve'; workerId: number; instructions: string }
  | { action: 'cancel'; reason: string }
  | { action: 'start'; comment: string }
  | { action: 'finish'; resolution: string }
  | { action: 'reassign'; workerId: number; comment: string };

/** An active worker of the service area, in the actor's company; otherwise a field error. */
async function assertAssignable(tx: Tx, companyId: number, serviceAreaId: number, workerId: number) {
  const worker = await tx.user.findFirst({
    where: { id: workerId, companyId, unitId: serviceAreaId, isWorker: true, active: true },
    select: { id: true },
  });
  if (!worker) throw new ValidationError({ workerId: 'requests.errors.workerNotAssignable' });
}

/** Thrown inside the transaction when the conditional update matched nothing. */
class LostRace extends Error {}

/** Applies one transition of the table to a request, atomically. */
export async function applyTransition({ db, clock }: Deps, actor: Actor, requestId: number, input: TransitionInput): Promise<void> {
  const state = await loadVisibleState(db, actor, requestId);
  const transition = transitionFor(input.action, state);
  if (!transition) {
    if (!mayEverTake(actor, input.action, state)) throw new ForbiddenError(`requests.forbidden.${input.action}`);
    throw await conflict(db, actor, state.id);
  }
  if (!holdsRole(actor, transition.who, state)) throw new ForbiddenError(`requests.forbidden.${input.action}`);

  const now = clock();
  const companyId = actor.companyId;
  const where = { id: state.id, companyId, status: transition.from };
  let comment: string | null = null;
  let data: Prisma.InputJsonValue | undefined;

  try {
    await db.$transaction(async (tx) => {
      const update = (fields: Prisma.RequestUncheckedUpdateManyInput) =>
        tx.request.updateMany({ where, data: { ...fields, status: transition.to, updatedAt: now } }).then((r) => {
          if (r.count !== 1) throw new LostRace();
        });
      // Ticket steps are conditional on the ticket's state (and worker) as well.
      const updateTicket = (fields: Prisma.TicketUncheckedUpdateManyInput, extra: Prisma.TicketWhereInput = {}) =>
        tx.ticket.updateMany({ where: { companyId, requestId: state.id, status: transition.ticketFrom, ...extra }, data: { ...fields, status: transition.ticketTo, updatedAt: now } }).then((r) => {
          if (r.count !== 1) throw new LostRace();
        });

      switch (input.action) {
        case 'authorize':
          comment = input.comment || null;
          await update({ authorizedAt: now, authorizedById: actor.id });
          break;
        case 'reject':
          comment = input.reason;
          await update({ rejectedAt: now, rejectedById: actor.id, rejectionStage: transition.stage, rejectionReason: input.reason });
          break;
        case 'cancel':
          comment = input.reason;
          await update({ cancelledAt: now, cancelReason: input.reason });
          break;
        case 'approve': {
          comment = input.instructions;
          await assertAssignable(tx, companyId, state.serviceAreaId, input.workerId);
          await update({ approvedAt: now, approvedById: actor.id });
          const number = await nextNumber(tx, companyId, 'ticket_seq');
          // (company_id, request_id) is unique: a second ticket for one request cannot exist.
          await tx.ticket.create({
            data: {
              companyId,
              number,
              requestId: state.id,
              serviceAreaId: state.serviceAreaId,
              workerId: input.workerId,
              assignedById: actor.id,
              instructions: input.instructions,
              assignedAt: now,
              updatedAt: now,
            },
          });
          data = { workerId: input.workerId, ticketNumber: number };
          break;
        }
        case 'start':
          comment = input.comment || null;
          await update({});
          await updateTicket({ startedAt: now }, { workerId: actor.id });
          break;
        case 'finish':
          comment = input.resolution;
          await update({ finalizedAt: now });
          await updateTicket({ finishedAt: now, resolution: input.resolution }, { workerId: actor.id });
          break;
        case 'reassign': {
          comment = input.comment || null;
          const previous = state.ticket!.workerId;
          if (previous === input.workerId) throw new ValidationError({ workerId: 'requests.errors.sameWorker' });
          await assertAssignable(tx, companyId, state.serviceAreaId, input.workerId);
          await update({});
          await updateTicket({ workerId: input.workerId, needsReassignment: false }, { workerId: previous });
          data = { workerId: input.workerId, previousWorkerId: previous };
          break;
        }
      }
      const event = await tx.requestEvent.create({
        data: { companyId, requestId: state.id, actorId: actor.id, action: toEventAction(input.action), fromStatus: transition.from, toStatus: transition.to, comment, data, createdAt: now },
        select: { id: true },
      });
      // The notifications commit with the transition or not at all.
      await enqueueEventNotifications(tx, companyId, [event.id]);
    });
  } catch (err) {
    if (err instanceof LostRace || isUniqueViolation(err)) throw await conflict(db, actor, state.id);
    throw err;
  }
}

function toEventAction(action: Action) {
  return action.toUpperCase() as Uppercase<Action>;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

/** "Already decided by X on <date>": the latest step of the request explains why the action no longer applies. */
async function conflict(db: Db, actor: Actor, requestId: number): Promise<ConflictError> {
  const last = await db.requestEvent.findFirst({
    where: { companyId: actor.companyId, requestId },
    orderBy: { id: 'desc' },
    select: { action: true, createdAt: true, actor: { select: { name: true } } },
  });
  return new ConflictError('requests.conflict', {
    event: last?.action ?? 'SUBMIT',
    who: last?.actor.name ?? '—',
    when: last?.createdAt ?? new Date(),
    requestId,
  });
}

export type { Action, RequestState };
