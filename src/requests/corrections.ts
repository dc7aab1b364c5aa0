// Corrections (issue 17): the services head sends a request to another service area of the company, or corrects its
// category and priority (due dates recomputed with the company's calendar); the requester edits title, description
// and location and adds files while the request is pending. Each is one conditional statement with its event (the
// history shows old → new); when the request changed meanwhile, a ConflictError explains who did what.
import type { Actor } from '../auth/index.js';
import { addWorkingMinutes, dueAfter, workingCalendar, workingMinutesBetween } from '../calendar/index.js';
import type { Priority } from '../generated/prisma/client.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../web/errors.js';
import {
  applyCorrection,
  applyEdit,
  readCorrectionTarget,
  readEditable,
  type CorrectionTarget,
} from './correction-queries.js';
import { onBehalfOf } from './lifecycle.js';
import { canCorrect, canEdit, canReroute, mayEverCorrect } from './policy.js';
import type { CorrectInput, EditInput, RerouteInput } from './schemas.js';
import { conflict, loadVisibleState, type Deps } from './service.js';
import type { NewFile, StateRow } from './write-queries.js';

type Change<T> = { from: T; to: T };

/** Old → new of the fields that changed (the event's `changes`). */
function changesOf(pairs: Record<string, Change<string | null>>): Record<string, Change<string | null>> {
  return Object.fromEntries(Object.entries(pairs).filter(([, c]) => c.from !== c.to));
}

/**
 * A due date recomputed for a new target: from the instant its clock started, with the working time the request
 * already spent on hold kept (the old due date's push beyond its own target). Null without a target or a start.
 */
function recomputed(
  start: Date | null,
  oldDue: Date | null,
  oldHours: number | null,
  newHours: number | null,
  cal: Parameters<typeof dueAfter>[2],
): Date | null {
  if (!start || newHours === null) return null;
  const base = dueAfter(start, newHours, cal)!;
  const oldBase = dueAfter(start, oldHours, cal);
  const held = oldDue && oldBase ? workingMinutesBetween(oldBase, oldDue, cal) : 0;
  return held > 0 ? addWorkingMinutes(base, held, cal) : base;
}

/** The state is still right for a correction, or why not: 403 for the wrong person, 409 for a changed request. */
async function checkCorrection(deps: Deps, actor: Actor, state: StateRow, allowed: boolean): Promise<void> {
  if (allowed) return;
  if (!mayEverCorrect(actor, state)) throw new ForbiddenError('corrections.forbidden');
  throw await conflict(deps.db, actor, state);
}

/** The target's area and category, or a 404 (not the company's) / 422 (not usable there). */
function checkTarget(t: CorrectionTarget) {
  if (!t.area || !t.category) throw new NotFoundError();
  if (!t.area.active || !t.area.isServiceArea) throw new ValidationError({ serviceAreaId: 'corrections.errors.area' });
  if (t.category.serviceAreaId !== t.area.id || !t.category.active)
    throw new ValidationError({ categoryId: 'corrections.errors.category' });
  return { area: t.area, category: t.category };
}

async function correct(
  deps: Deps,
  actor: Actor,
  state: StateRow,
  input: { serviceAreaId: number | null; categoryId: number; priority: Priority; reason: string | null },
  action: 'TRANSFER' | 'CORRECT',
): Promise<{ number: number }> {
  const { db, clock } = deps;
  const target = await readCorrectionTarget(db, actor.companyId, {
    areaId: input.serviceAreaId,
    categoryId: input.categoryId,
    fromAreaId: state.serviceAreaId,
    fromCategoryId: state.categoryId,
  });
  const { area, category } = checkTarget(target);
  if (action === 'TRANSFER' && area.id === state.serviceAreaId)
    throw new ValidationError({ categoryId: 'corrections.errors.sameArea' });
  if (action === 'CORRECT' && area.id !== state.serviceAreaId)
    throw new ValidationError({ categoryId: 'corrections.errors.category' });
  const changes = changesOf({
    area: { from: target.fromAreaName, to: area.name },
    category: { from: target.fromCategoryName, to: category.name },
    priority: { from: state.priority, to: input.priority },
  });
  if (Object.keys(changes).length === 0) throw new ValidationError({ categoryId: 'corrections.errors.nothing' });
  const now = clock();
  // Due dates that exist are recomputed for the new category's targets, each from where its clock started.
  const start = state.status === 'AUTHORIZED' ? state.authorizedAt : state.approvedAt;
  const cal = start ? await workingCalendar(db, actor.companyId, start) : null;
  const due = (startedAt: Date | null, old: Date | null, oldH: number | null, newH: number | null) =>
    cal ? recomputed(startedAt, old, oldH, newH, cal) : old;
  const number = await applyCorrection(db, {
    companyId: actor.companyId,
    requestId: state.id,
    actorId: actor.id,
    onBehalfOfId: onBehalfOf(actor, 'areaServicesHead', state),
    now,
    action,
    expected: {
      status: state.status,
      serviceAreaId: state.serviceAreaId,
      categoryId: state.categoryId,
      priority: state.priority,
    },
    set: {
      serviceAreaId: area.id,
      categoryId: category.id,
      priority: input.priority,
      responseDueAt: due(state.authorizedAt, state.responseDueAt, state.responseHours, category.responseHours),
      resolutionDueAt:
        state.status === 'APPROVED'
          ? due(state.approvedAt, state.resolutionDueAt, state.resolutionHours, category.resolutionHours)
          : state.resolutionDueAt,
    },
    comment: input.reason,
    data: { changes, fromServiceAreaId: state.serviceAreaId },
  });
  if (number === null) throw await conflict(db, actor, state);
  return { number };
}

/**
 * "Enviar a otra área": an authorized request not yet decided goes to another service area of the company, with a
 * category of that area and a reason; it appears in that area's inbox and both heads are told.
 */
export async function rerouteRequest(deps: Deps, actor: Actor, requestId: number, input: RerouteInput) {
  const state = await loadVisibleState(deps.db, actor, requestId);
  await checkCorrection(deps, actor, state, canReroute(actor, state));
  return correct(deps, actor, state, { ...input, priority: input.priority ?? state.priority }, 'TRANSFER');
}

/** "Corregir categoría y prioridad" within the request's area, until its ticket is finished. */
export async function correctRequest(deps: Deps, actor: Actor, requestId: number, input: CorrectInput) {
  const state = await loadVisibleState(deps.db, actor, requestId);
  await checkCorrection(deps, actor, state, canCorrect(actor, state));
  return correct(deps, actor, state, { ...input, serviceAreaId: state.serviceAreaId }, 'CORRECT');
}

/**
 * The requester's edit while the request is pending: the texts that changed (old → new in the history) and files
 * added. Anyone else: 403; a request decided or edited since the form was drawn: 409 explaining what happened.
 */
export async function editRequest(
  deps: Deps,
  actor: Actor,
  requestId: number,
  input: EditInput,
  files: readonly NewFile[] = [],
): Promise<{ number: number }> {
  const { db, clock } = deps;
  const state = await loadVisibleState(db, actor, requestId);
  if (actor.id !== state.requesterId) throw new ForbiddenError('corrections.forbiddenEdit');
  if (!canEdit(actor, state)) throw await conflict(db, actor, state);
  const current = await readEditable(db, actor.companyId, requestId);
  if (!current) throw new NotFoundError();
  const changes = changesOf({
    title: { from: current.title, to: input.title },
    description: { from: current.description, to: input.description },
    location: { from: current.location, to: input.location ?? null },
  });
  if (Object.keys(changes).length === 0 && files.length === 0)
    throw new ValidationError({ title: 'corrections.errors.nothing' });
  const number = await applyEdit(db, {
    companyId: actor.companyId,
    requestId,
    requesterId: actor.id,
    now: clock(),
    version: input.version,
    set: { title: input.title, description: input.description, location: input.location ?? null },
    files,
    data: { changes, ...(files.length ? { files: files.map((f) => f.fileName) } : {}) },
  });
  // Decided, or edited in another tab, since the form was drawn.
  if (number === null) throw await conflict(db, actor, state);
  return { number };
}

/** The edit form's data: the request's texts and version, for its requester while it is pending. */
export async function loadEditForm(deps: Deps, actor: Actor, requestId: number) {
  const state = await loadVisibleState(deps.db, actor, requestId);
  if (actor.id !== state.requesterId) throw new ForbiddenError('corrections.forbiddenEdit');
  if (!canEdit(actor, state)) throw await conflict(deps.db, actor, state);
  const texts = await readEditable(deps.db, actor.companyId, requestId);
  if (!texts) throw new NotFoundError();
  return { id: state.id, number: state.number, ...texts };
}
