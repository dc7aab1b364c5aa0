// The lifecycle's use cases. applyTransition is the ONE function applying a transition:
// a conditional update (WHERE id AND company AND expected state), its event row, the job
// of its notifications and, on approval, the ticket, in one statement (write-queries.ts).
// When two people act at once exactly one update matches; the other gets a ConflictError
// naming who decided and when.
import {
  addWorkingMinutes,
  calendarOfJson,
  dueAfter,
  workingCalendar,
  workingMinutesBetween,
} from '../calendar/index.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import type { RequestStatus } from '../generated/prisma/client.js';
import type { Actor } from '../auth/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../web/errors.js';
import { surveyToken, surveyTokenHash } from '../satisfaction/index.js';
import { authorizerOf, type Authorizer } from './authorizer.js';
import { readAuthorizerFacts } from './authorizer-queries.js';
import {
  canView,
  holdsRole,
  mayEverTake,
  onBehalfOf,
  onlyFollows,
  reopenUntil,
  transitionFor,
  type HoldReason,
  type RequestState,
  type Transition,
} from './lifecycle.js';
import type { NewRequestInput } from './schemas.js';
import { fieldsByCategory, parseFieldValues, type FieldValue } from '../org/index.js';
import {
  applyStep,
  categoryResponseHours,
  insertRequest,
  lastEvent,
  readRequestState,
  readServiceAreas,
  type NewFile,
  type NewRequestRow,
  type RequestColumns,
  type StateRow,
  type TransitionRow,
} from './write-queries.js';

export interface Deps {
  db: Db;
  clock: () => Date;
}

/** A transition's dependencies: a finish signs its satisfaction survey's link (src/satisfaction/token.ts). */
export interface TransitionDeps extends Deps {
  surveyKey: string;
}

/** The request if the actor may see it; a missing or hidden request is the same 404. */
export function visibleOr404<R extends RequestState>(actor: Actor, request: R | null): R {
  if (!request || !canView(actor, request)) throw new NotFoundError();
  return request;
}

/**
 * A request of the actor's company that the actor may see; anything else is a 404. `calendarFromYear`: with the
 * company's working calendar from that year (readRequestState).
 */
export async function loadVisibleState(
  db: Db,
  actor: Actor,
  requestId: number,
  calendarFromYear: number | null = null,
): Promise<StateRow> {
  return visibleOr404(actor, await readRequestState(db, actor.companyId, requestId, actor.id, calendarFromYear));
}

/** The steps that set a due date from now (dueDatesOf): their state is read with the calendar, one statement less. */
const DUE_FROM_NOW: ReadonlySet<TransitionInput['action']> = new Set(['authorize', 'approve', 'reopen']);

/**
 * The conversation's view of a request (its VisibleRequest): visible to the actor, else a 404, and whether the actor
 * sees it only as a follower (comments yes, internal notes never). The pages and replies by email use it.
 */
export async function conversationAccess(db: Db, actor: Actor, requestId: number) {
  const state = await loadVisibleState(db, actor, requestId);
  return { ...state, asFollower: onlyFollows(actor, state) };
}

/** Why a person cannot submit (an i18n key), or who authorizes a request of a category with that flag. */
async function authorizerFor(
  db: Db,
  actor: Requester,
  categoryId: number | null,
): Promise<{ blocked: string } | { authorizer: Authorizer; needsAuthorization: boolean | null }> {
  if (actor.unitId === null) return { blocked: 'requests.errors.noUnit' };
  const facts = await readAuthorizerFacts(db, actor.companyId, actor.unitId, categoryId);
  const authorizer = authorizerOf({
    requesterId: actor.id,
    chain: facts.chain,
    categoryNeedsAuthorization: facts.needsAuthorization ?? true,
    adminIds: facts.adminIds,
  });
  if (authorizer.kind === 'nobody') return { blocked: 'requests.errors.nobodyAuthorizes' };
  return { authorizer, needsAuthorization: facts.needsAuthorization };
}

/**
 * Service areas of the company with their active categories, for the "Nueva solicitud" form, or why the person
 * cannot submit (no unit; nobody to authorize and no category that needs no authorization).
 */
export async function loadRequestForm({ db }: { db: Db }, actor: Actor) {
  const who = await authorizerFor(db, actor, null);
  if ('blocked' in who && actor.unitId === null) return { areas: [], blocked: who.blocked };
  const areas = (await readServiceAreas(db, actor.companyId))
    .map((a) => ({
      ...a,
      categories: 'blocked' in who ? a.categories.filter((c) => !c.needsAuthorization) : a.categories,
    }))
    .filter((a) => a.categories.length > 0);
  const blocked = 'blocked' in who && areas.length === 0 ? who.blocked : null;
  const fields = await fieldsByCategory(
    db,
    actor.companyId,
    areas.flatMap((a) => a.categories.map((c) => c.id)),
  );
  const withFields = areas.map((a) => ({
    ...a,
    categories: a.categories.map((c) => ({ ...c, fields: fields.get(c.id) ?? [] })),
  }));
  return { areas: withFields, blocked };
}

/** Who a request is filed for: a signed-in person, or (portal) a guest's requester and the unit they chose. */
export interface Requester {
  companyId: number;
  id: number;
  unitId: number | null;
}

/** A guest's request from the portal: who asked, as typed. */
export type GuestDetails = NonNullable<NewRequestRow['guest']>;

/**
 * Submits a request (with its already stored files) to its expected authorizer (authorizer.ts), stored on the
 * request; a category that needs no authorization is authorized in the same act. The answers to the category's
 * fields (`fieldInput`, the posted form) are checked against its definitions (ValidationError keyed by field). One
 * statement: number, request, events, attachments and the notification job commit together.
 */
export async function submitRequest(
  deps: Deps,
  actor: Actor,
  input: NewRequestInput,
  files: readonly NewFile[] = [],
  fieldInput: unknown = {},
): Promise<{ id: number; number: number; status: RequestStatus }> {
  const fieldValues = await checkFieldAnswers(deps.db, actor.companyId, input.categoryId, fieldInput);
  return fileRequest(deps, actor, input, files, { fieldValues, guest: null });
}

/** The answers to a category's active fields, as stored (ValidationError keyed by field input name). */
export async function checkFieldAnswers(
  db: Db,
  companyId: number,
  categoryId: number,
  fieldInput: unknown,
): Promise<FieldValue[]> {
  const definitions = (await fieldsByCategory(db, companyId, [categoryId])).get(categoryId) ?? [];
  return parseFieldValues(definitions, fieldInput);
}

/**
 * Files a request of the portal (src/portal) once its guest confirmed it: for `requester` (the known person of the
 * guest's address, or the company's stand-in guest) in the unit chosen (or the intake approver's unit), with the
 * answers already checked at submit. The same rule of who authorizes as any request.
 */
export function fileGuestRequest(
  deps: Deps,
  requester: Requester,
  input: NewRequestInput,
  files: readonly NewFile[],
  extras: { fieldValues: readonly FieldValue[]; guest: GuestDetails },
): Promise<{ id: number; number: number; status: RequestStatus }> {
  return fileRequest(deps, requester, input, files, extras);
}

async function fileRequest(
  { db, clock }: Deps,
  actor: Requester,
  input: NewRequestInput,
  files: readonly NewFile[],
  extras: { fieldValues: readonly FieldValue[]; guest: GuestDetails | null },
): Promise<{ id: number; number: number; status: RequestStatus }> {
  const who = await authorizerFor(db, actor, input.categoryId);
  if ('blocked' in who) throw new ForbiddenError(who.blocked);
  if (who.needsAuthorization === null) throw new ValidationError({ categoryId: 'requests.errors.categoryNotInArea' });
  const { authorizer } = who;
  const now = clock();
  // Authorized on submit when the category needs no authorization, or when the requester is an administrator whom
  // nobody else could authorize: its response clock starts now.
  const authorizedOnSubmit = authorizer.kind === 'none-needed' || authorizer.kind === 'self';
  let responseDueAt: Date | null = null;
  if (authorizedOnSubmit) {
    const hours = await categoryResponseHours(db, actor.companyId, input.categoryId);
    if (hours !== null) responseDueAt = dueAfter(now, hours, await workingCalendar(db, actor.companyId, now));
  }
  const created = await insertRequest(db, {
    companyId: actor.companyId,
    requesterId: actor.id,
    requesterUnitId: actor.unitId!,
    serviceAreaId: input.serviceAreaId,
    categoryId: input.categoryId,
    title: input.title,
    description: input.description,
    priority: input.priority,
    location: input.location ?? null,
    authorizerUnitId: authorizer.kind === 'head' ? authorizer.unitId : null,
    awaitingAdmins: authorizer.kind === 'admins',
    authorizedOnSubmit,
    authorizedBy: authorizer.kind === 'self' ? 'administrator' : 'category',
    responseDueAt,
    files,
    now,
    ...extras,
  });
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
  | { action: 'reassign'; workerId: number; comment: string }
  | { action: 'hold'; reason: HoldReason; note: string | null }
  | { action: 'resume'; comment: string }
  | { action: 'confirm'; rating: number | null; comment: string | null }
  | { action: 'reopen'; reason: string };

/** Applies one transition of the table to a request, atomically. Returns the request's number. */
export async function applyTransition(
  { db, clock, surveyKey }: TransitionDeps,
  actor: Actor,
  requestId: number,
  input: TransitionInput,
): Promise<{ number: number }> {
  const now = clock();
  const calendarFromYear = DUE_FROM_NOW.has(input.action) ? now.getUTCFullYear() : null;
  const state = withReopenWindow(await loadVisibleState(db, actor, requestId, calendarFromYear), now);
  const transition = transitionFor(input.action, state);
  if (!transition) {
    if (!mayEverTake(actor, input.action, state)) throw new ForbiddenError(`requests.forbidden.${input.action}`);
    // Finished, but the window to reopen it has passed.
    if (transitionFor(input.action, state, { ignoreWindow: true }) && holdsRole(actor, 'requester', state))
      throw new ForbiddenError('requests.forbidden.reopenWindow', { days: state.reopenDays });
    throw await conflict(db, actor, state);
  }
  if (!holdsRole(actor, transition.who, state)) throw new ForbiddenError(`requests.forbidden.${input.action}`);

  const step = {
    transition,
    companyId: actor.companyId,
    requestId: state.id,
    actorId: actor.id,
    onBehalfOfId: onBehalfOf(actor, transition.who, state),
    now,
    onHoldSince: state.onHoldSince,
    data: null,
  };
  // Due dates are computed here, with the company's calendar, and stored by the step's own statement.
  const dues = await dueDatesOf(db, input, state, now);
  const own = stepOf(input, transition, state, actor.id, now, surveyKey);
  let result: Awaited<ReturnType<typeof applyStep>>;
  try {
    result = await applyStep(db, { ...step, ...own, request: { ...own.request, ...dues } });
  } catch (err) {
    if (isUniqueViolation(err)) throw await conflict(db, actor, state);
    throw err;
  }
  if (!result.workerOk) throw new ValidationError({ workerId: 'requests.errors.workerNotAssignable' });
  if (result.number === null) throw await conflict(db, actor, state);
  return { number: result.number };
}

/** The state with whether its requester may still reopen it now. */
export function withReopenWindow<S extends StateRow>(state: S, now: Date): S {
  const open = state.finalizedAt !== null && reopenUntil(state.finalizedAt, state.reopenDays) > now;
  return { ...state, reopenWindowOpen: open };
}

type Step = Omit<
  TransitionRow,
  'transition' | 'companyId' | 'requestId' | 'actorId' | 'onBehalfOfId' | 'now' | 'onHoldSince' | 'data'
> & {
  data?: TransitionRow['data'];
};

/**
 * The due dates a step sets: the response due date on authorization, the resolution due date on approval (each
 * from its category's target in working hours), and on resume the pending one pushed forward by the working time
 * spent on hold. The calendar is read (one statement) only when a date is computed.
 */
async function dueDatesOf(db: Db, input: TransitionInput, state: StateRow, now: Date): Promise<RequestColumns> {
  const calendarFrom = (from: Date) => workingCalendar(db, state.companyId, from);
  // Read with the state for the steps of DUE_FROM_NOW.
  const calendarNow = async () => (state.calendar ? calendarOfJson(state.calendar) : calendarFrom(now));
  switch (input.action) {
    case 'authorize':
      if (state.responseHours === null) return {};
      return { responseDueAt: dueAfter(now, state.responseHours, await calendarNow()) };
    case 'approve':
    case 'reopen':
      // Reopened: the worker's resolution clock starts again from now.
      if (state.resolutionHours === null) return {};
      return { resolutionDueAt: dueAfter(now, state.resolutionHours, await calendarNow()) };
    case 'resume': {
      const pending = state.status === 'AUTHORIZED' ? 'responseDueAt' : 'resolutionDueAt';
      const due = state[pending];
      if (!due || !state.onHoldSince) return {};
      const cal = await calendarFrom(state.onHoldSince);
      return { [pending]: addWorkingMinutes(due, workingMinutesBetween(state.onHoldSince, now, cal), cal) };
    }
    default:
      return {};
  }
}

/** What each action writes besides the state: its columns, ticket step, worker and event facts. */
function stepOf(
  input: TransitionInput,
  transition: Transition,
  state: StateRow,
  actorId: number,
  now: Date,
  surveyKey: string,
): Step {
  switch (input.action) {
    case 'authorize':
      return { comment: input.comment || null, request: { authorizedAt: now, authorizedById: actorId } };
    case 'reject':
      return {
        comment: input.reason,
        request: {
          rejectedAt: now,
          rejectedById: actorId,
          rejectionStage: transition.stage!,
          rejectionReason: input.reason,
        },
      };
    case 'cancel':
      return { comment: input.reason, request: { cancelledAt: now, cancelReason: input.reason } };
    case 'approve':
      return {
        comment: input.instructions,
        request: { approvedAt: now, approvedById: actorId },
        worker: { id: input.workerId, serviceAreaId: state.serviceAreaId },
        newTicket: { serviceAreaId: state.serviceAreaId, instructions: input.instructions },
        data: { workerId: input.workerId },
      };
    case 'start':
      return {
        comment: input.comment || null,
        request: {},
        ticket: { set: { startedAt: now }, expectedWorkerId: actorId },
      };
    case 'finish': {
      const round = state.reopenCount;
      const token = surveyToken(surveyKey, { companyId: state.companyId, requestId: state.id, round });
      return {
        comment: input.resolution,
        request: { finalizedAt: now },
        ticket: { set: { finishedAt: now, resolution: input.resolution }, expectedWorkerId: actorId },
        // The round names the survey of this finish (its link), whatever happens to the request later.
        data: { round },
        newSurvey: {
          round,
          workerId: actorId,
          tokenHash: surveyTokenHash(token),
          expiresAt: reopenUntil(now, state.reopenDays),
        },
      };
    }
    case 'confirm':
      return {
        comment: input.comment,
        request: {},
        ticket: { set: {}, expectedWorkerId: state.ticket!.workerId },
        rating:
          input.rating === null
            ? undefined
            : { round: state.reopenCount, rating: input.rating, comment: input.comment },
        data: input.rating === null ? null : { rating: input.rating },
      };
    case 'reopen':
      return {
        comment: input.reason,
        request: { finalizedAt: null, reopenCount: state.reopenCount + 1 },
        ticket: { set: { finishedAt: null }, expectedWorkerId: state.ticket!.workerId },
        data: { workerId: state.ticket!.workerId },
        finishedAfter: new Date(now.getTime() - state.reopenDays * 86_400_000),
      };
    case 'reassign': {
      const previous = state.ticket!.workerId;
      if (previous === input.workerId) throw new ValidationError({ workerId: 'requests.errors.sameWorker' });
      return {
        comment: input.comment || null,
        request: {},
        ticket: { set: { workerId: input.workerId, needsReassignment: false }, expectedWorkerId: previous },
        worker: { id: input.workerId, serviceAreaId: state.serviceAreaId },
        data: { workerId: input.workerId, previousWorkerId: previous },
      };
    }
    case 'hold':
      return {
        comment: input.note,
        request: { onHoldSince: now, holdReason: input.reason },
        ...ticketUnchanged(state),
        data: { reason: input.reason },
      };
    case 'resume':
      return {
        comment: input.comment || null,
        request: { onHoldSince: null, holdReason: null },
        ...ticketUnchanged(state),
        data: { since: state.onHoldSince },
      };
  }
}

/** A pause of an approved request checks its ticket is still in the same state and hands (touching nothing else). */
function ticketUnchanged(state: StateRow): Pick<Step, 'ticket'> {
  return state.ticket ? { ticket: { set: {}, expectedWorkerId: state.ticket.workerId } } : {};
}

/** "Already decided by X on <date>": the latest step of the request explains why the action no longer applies. */
export async function conflict(db: Db, actor: Actor, state: StateRow): Promise<ConflictError> {
  const last = await lastEvent(db, actor.companyId, state.id);
  return new ConflictError('requests.conflict', {
    event: last?.action ?? 'SUBMIT',
    who: last?.actor?.name ?? '—',
    when: last?.createdAt ?? new Date(),
    requestId: state.id,
    number: state.number,
  });
}
