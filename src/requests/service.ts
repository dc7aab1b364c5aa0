// Applying the lifecycle: every change is one atomic statement (write-sql.ts) holding a
// conditional update (WHERE id AND company AND expected state), its event row, the job
// of its notifications and, on approval, the ticket. When two people act at once
// exactly one update matches; the other gets a ConflictError naming who decided and when.
import type { StoredFile } from '../conversation/attachments.js';
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma, type RequestStatus, type TicketStatus } from '../generated/prisma/client.js';
import type { Actor } from '../org/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../web/errors.js';
import {
  authorizedOnSubmit,
  canView,
  holdsRole,
  mayEverTake,
  transitionFor,
  type Action,
  type RequestState,
  type Transition,
} from './lifecycle.js';
import type { NewRequestInput } from './schemas.js';
import { insertRequestStatement, transitionStatement } from './write-sql.js';

type Tx = Prisma.TransactionClient;
export interface Deps {
  db: Db;
  clock: () => Date;
}

/** The request if the actor may see it; a missing or hidden request is the same 404. */
export function visibleOr404<R extends RequestState>(actor: Actor, request: R | null): R {
  if (!request || !canView(actor, request)) throw new NotFoundError();
  return request;
}

type StateRow = RequestState & {
  id: number;
  companyId: number;
  ticket: { id: number; status: TicketStatus; workerId: number } | null;
};

/** A request of the actor's company that the actor may see; anything else is a 404. */
export async function loadVisibleState(db: Db | Tx, actor: Actor, requestId: number): Promise<StateRow> {
  const [row] = await rows<StateRow>(
    db,
    Prisma.sql`
      SELECT r.id::int AS id, r.company_id::int AS "companyId", r.status::text AS status, r.requester_id::int AS "requesterId",
             r.requester_unit_id::int AS "requesterUnitId", r.service_area_id::int AS "serviceAreaId",
             CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'status', t.status, 'workerId', t.worker_id) END AS ticket
      FROM requests r
      LEFT JOIN tickets t ON t.company_id = r.company_id AND t.request_id = r.id
      WHERE r.company_id = ${actor.companyId}::int AND r.id = ${requestId}::int`,
  );
  return visibleOr404(actor, row ?? null);
}

/**
 * Submits a request (with its already stored files); a unit head's own request is
 * authorized in the same act. One statement: number, request, events, attachments and
 * the notification job commit together (write-sql.ts).
 */
export async function submitRequest(
  { db, clock }: Deps,
  actor: Actor,
  input: NewRequestInput,
  files: readonly StoredFile[] = [],
): Promise<{ id: number; number: number; status: RequestStatus }> {
  if (actor.unitId === null) throw new ForbiddenError('requests.errors.noUnit');
  const [created] = await rows<{ id: number; number: number; status: RequestStatus }>(
    db,
    insertRequestStatement({
      companyId: actor.companyId,
      requesterId: actor.id,
      requesterUnitId: actor.unitId,
      serviceAreaId: input.serviceAreaId,
      categoryId: input.categoryId,
      title: input.title,
      description: input.description,
      priority: input.priority,
      location: input.location ?? null,
      selfAuthorized: authorizedOnSubmit(actor, actor.unitId),
      files,
      now: clock(),
    }),
  );
  if (!created) throw new ValidationError({ categoryId: 'requests.errors.categoryNotInArea' });
  return created;
}

export type TransitionInput =
  | { action: 'authorize'; comment: string }
  | { action: 'reject'; reason: string }
  | { action: 'approve'; workerId: number; instructions: string }
  | { action: 'cancel'; reason: string }
  | { action: 'start'; comment: string }
  | { action: 'finish'; resolution: string }
  | { action: 'reassign'; workerId: number; comment: string };

/**
 * Applies one transition of the table to a request, atomically (one statement, see
 * write-sql.ts). Returns the request's number for the confirmation message.
 */
export async function applyTransition(
  { db, clock }: Deps,
  actor: Actor,
  requestId: number,
  input: TransitionInput,
): Promise<{ number: number }> {
  const state = await loadVisibleState(db, actor, requestId);
  const transition = transitionFor(input.action, state);
  if (!transition) {
    if (!mayEverTake(actor, input.action, state)) throw new ForbiddenError(`requests.forbidden.${input.action}`);
    throw await conflict(db, actor, state.id);
  }
  if (!holdsRole(actor, transition.who, state)) throw new ForbiddenError(`requests.forbidden.${input.action}`);

  const now = clock();
  const step = { transition, companyId: actor.companyId, requestId: state.id, actorId: actor.id, now, data: null };
  const statement = transitionStatement({ ...step, ...stepOf(input, transition, state, actor.id, now) });
  let result: { worker_ok: boolean; number: number | null; jobs: number } | undefined;
  try {
    [result] = await rows<{ worker_ok: boolean; number: number | null; jobs: number }>(db, statement);
  } catch (err) {
    if (isUniqueViolation(err)) throw await conflict(db, actor, state.id);
    throw err;
  }
  if (!result?.worker_ok) throw new ValidationError({ workerId: 'requests.errors.workerNotAssignable' });
  if (result.number === null) throw await conflict(db, actor, state.id);
  return { number: result.number };
}

/** What each action writes besides the state: its columns, ticket step, worker and event facts. */
function stepOf(input: TransitionInput, transition: Transition, state: RequestState, actorId: number, now: Date) {
  const sql = Prisma.sql;
  switch (input.action) {
    case 'authorize':
      return {
        comment: input.comment || null,
        requestFields: [sql`authorized_at = ${now}::timestamptz`, sql`authorized_by_id = ${actorId}::int`],
      };
    case 'reject':
      return {
        comment: input.reason,
        requestFields: [
          sql`rejected_at = ${now}::timestamptz`,
          sql`rejected_by_id = ${actorId}::int`,
          sql`rejection_stage = ${transition.stage!}::text::"RejectionStage"`,
          sql`rejection_reason = ${input.reason}::text`,
        ],
      };
    case 'cancel':
      return {
        comment: input.reason,
        requestFields: [sql`cancelled_at = ${now}::timestamptz`, sql`cancel_reason = ${input.reason}::text`],
      };
    case 'approve':
      return {
        comment: input.instructions,
        requestFields: [sql`approved_at = ${now}::timestamptz`, sql`approved_by_id = ${actorId}::int`],
        worker: { id: input.workerId, serviceAreaId: state.serviceAreaId },
        newTicket: { serviceAreaId: state.serviceAreaId, instructions: input.instructions },
        data: { workerId: input.workerId },
      };
    case 'start':
      return {
        comment: input.comment || null,
        requestFields: [],
        ticket: { fields: [sql`started_at = ${now}::timestamptz`], expectedWorkerId: actorId },
      };
    case 'finish':
      return {
        comment: input.resolution,
        requestFields: [sql`finalized_at = ${now}::timestamptz`],
        ticket: {
          fields: [sql`finished_at = ${now}::timestamptz`, sql`resolution = ${input.resolution}::text`],
          expectedWorkerId: actorId,
        },
      };
    case 'reassign': {
      const previous = state.ticket!.workerId;
      if (previous === input.workerId) throw new ValidationError({ workerId: 'requests.errors.sameWorker' });
      return {
        comment: input.comment || null,
        requestFields: [],
        ticket: {
          fields: [sql`worker_id = ${input.workerId}::int`, sql`needs_reassignment = false`],
          expectedWorkerId: previous,
        },
        worker: { id: input.workerId, serviceAreaId: state.serviceAreaId },
        data: { workerId: input.workerId, previousWorkerId: previous },
      };
    }
  }
}

/** A unique index refused the write (PostgreSQL's 23505, as pg reports it). */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
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
