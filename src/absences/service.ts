// Absences of heads and their substitutes (issue 16): during an absence the substitute acts as head of the absent
// person's units and services head of their areas (loaded with the actor, src/auth/actor.ts).
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldMessages } from '../web/errors.js';
import { localDate } from '../web/dates.js';
import { mayDeleteAbsenceOf, mayRecordAbsenceOf } from './policy.js';
import {
  activeHeads,
  activePeople,
  currentAbsences,
  deleteAbsenceRow,
  findAbsence,
  headsActiveUnit,
  insertAbsence,
  isActiveMember,
} from './queries.js';
import type { AbsenceInput } from './schemas.js';

export interface Deps {
  db: Db;
  clock: () => Date;
}

/** The absences not yet ended (the person's own, or everyone's for the admin page) and the form's choices. */
export async function absencesPage({ db, clock }: Deps, actor: Actor, input: { all: boolean }) {
  if (input.all && !actor.isCompanyAdmin) throw new ForbiddenError();
  const today = localDate(clock(), actor.timezone);
  const [absences, people, heads] = await Promise.all([
    currentAbsences(db, actor.companyId, today, input.all ? null : actor.id),
    activePeople(db, actor.companyId),
    input.all ? activeHeads(db, actor.companyId) : Promise.resolve([]),
  ]);
  return { absences, substitutes: people.filter((p) => input.all || p.id !== actor.id), heads, today };
}

/**
 * Records an absence. Refused with field messages: a person who heads nothing, oneself as substitute, a substitute
 * who is not an active person of the company, an end before the start or already past, an overlap with another
 * absence of the same person.
 */
export async function recordAbsence({ db, clock }: Deps, actor: Actor, input: AbsenceInput): Promise<void> {
  if (!mayRecordAbsenceOf(actor, input.userId)) throw new ForbiddenError();
  const { companyId } = actor;
  const errors: FieldMessages = {};
  if (!(await headsActiveUnit(db, companyId, input.userId))) errors.userId = 'absences.errors.notAHead';
  if (input.substituteId === input.userId) errors.substituteId = 'absences.errors.self';
  else if (!(await isActiveMember(db, companyId, input.substituteId)))
    errors.substituteId = 'absences.errors.substituteInvalid';
  if (input.endsOn < input.startsOn) errors.endsOn = 'absences.errors.endsBeforeStart';
  else if (input.endsOn < localDate(clock(), actor.timezone)) errors.endsOn = 'absences.errors.past';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const id = await insertAbsence(db, { ...input, companyId, createdById: actor.id });
  if (id === null) throw new ValidationError({ startsOn: 'absences.errors.overlap' });
}

/** Deletes an absence that has not ended yet; another company's (or another person's, for a head) is a 404. */
export async function deleteAbsence({ db, clock }: Deps, actor: Actor, input: { id: number }): Promise<void> {
  const absence = await findAbsence(db, actor.companyId, input.id);
  if (!absence || !mayDeleteAbsenceOf(actor, absence.userId)) throw new NotFoundError();
  if (absence.endsOn < localDate(clock(), actor.timezone)) throw new ConflictError('absences.errors.ended');
  await deleteAbsenceRow(db, actor.companyId, absence.id);
}
