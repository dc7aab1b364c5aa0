// Administering the company's people: invitation, changes, deactivation and reactivation, access links.
import {
  EMAIL_UNAVAILABLE,
  emailTakenMessageKey,
  endSessionsOf,
  phoneField,
  sendAccountLink,
  toRecipient,
  type AccountLinkDeps,
} from '../../accounts/index.js';
import { auditActor, diff, recordAudit } from '../../audit/index.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldMessages } from '../../web/errors.js';
import { paginatedWithTotal } from '../../web/pagination.js';
import type { Actor } from '../../auth/index.js';
import { rerouteStuckRequests } from '../reroute-queries.js';
import { buildTree, flattenTree } from '../tree.js';
import { companyUnits } from '../units/queries.js';
import {
  companyOf,
  countUnitsAmong,
  deleteUnusedTokensOf,
  findPerson,
  flagOpenTicketsOf,
  insertPerson,
  peoplePage,
  recipientsOf,
  setHeadedUnits,
  setPersonActive,
  unitKindOf,
  updatePersonRow,
  type PeopleFilter,
  type PersonData,
  type PersonRow,
} from './queries.js';
import type { InvitePersonInput, UpdatePersonInput } from './schemas.js';

interface Deps {
  db: Db;
}

export function listPeople(deps: Deps, actor: Actor, input: PeopleFilter & { page: number }) {
  return paginatedWithTotal(input.page, (window) => peoplePage(deps.db, actor.companyId, input, window));
}

async function personOr404(db: Db, actor: Actor, id: number): Promise<PersonRow> {
  const person = await findPerson(db, actor.companyId, id);
  if (!person) throw new NotFoundError();
  return person;
}

/** What the person form offers: the person being edited (404 when not the company's) and the units. */
export async function personForm(deps: Deps, actor: Actor, input: { personId: number | null }) {
  const [person, units] = await Promise.all([
    input.personId ? personOr404(deps.db, actor, input.personId) : null,
    companyUnits(deps.db, actor.companyId),
  ]);
  return { person, units: flattenTree(buildTree(units)) };
}

/**
 * The rules of a person's data (field → i18n key): the phone is read in the company's country, the unit and the
 * headed units must be the company's, and a worker must belong to a service area.
 */
async function checkPerson(db: Db, actor: Actor, input: UpdatePersonInput, country: string) {
  const errors: FieldMessages = {};
  const phone = phoneField(country).safeParse(input.phone);
  if (!phone.success) errors.phone = phone.error.issues[0]!.message;
  const kind = input.unitId != null ? await unitKindOf(db, actor.companyId, input.unitId) : null;
  if (input.unitId != null && !kind) errors.unitId = 'forms.invalidChoice';
  if (input.isWorker && kind !== 'SERVICE_AREA') errors.isWorker = 'admin.people.workerNeedsArea';
  const headOf = [...new Set(input.headOf)];
  if (headOf.length && (await countUnitsAmong(db, actor.companyId, headOf)) !== headOf.length)
    errors.headOf = 'forms.invalidChoice';
  const data: PersonData = {
    name: input.name,
    unitId: input.unitId,
    phone: phone.success ? phone.data : null,
    isCompanyAdmin: input.isCompanyAdmin,
    isWorker: input.isWorker,
  };
  return { errors, data, headOf };
}

/** Creates the person's account and emails them an invitation; `sent` is false when the email failed. */
export async function invitePerson(deps: AccountLinkDeps, actor: Actor, input: InvitePersonInput) {
  const company = await companyOf(deps.db, actor.companyId);
  const { errors, data, headOf } = await checkPerson(deps.db, actor, input, company.country);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const { email } = input;
  let user;
  try {
    user = await deps.db.$transaction(async (tx) => {
      const created = await insertPerson(tx, actor.companyId, { ...data, email });
      await setHeadedUnits(tx, actor.companyId, created.id, headOf);
      await recordAudit(tx, actor.companyId, auditActor(actor), {
        action: 'user.invited',
        entityType: 'user',
        entityId: created.id,
        summary: `${created.name} <${email}>`,
        changes: diff({}, { ...data, headOf }),
      });
      return created;
    });
  } catch (err) {
    // Only a duplicate in the actor's own company is named as such (never another company's account).
    if (isUniqueViolation(err)) {
      const key = await emailTakenMessageKey(deps.db, actor.companyId, email);
      throw new ValidationError({ email: key ?? EMAIL_UNAVAILABLE });
    }
    throw err;
  }
  const sent = await sendAccountLink(deps, toRecipient({ ...user, company }), 'INVITATION', actor.name);
  return { id: user.id, name: user.name, email, sent };
}

/** Changes a person; an administrator cannot remove their own administration (nobody might be left). */
export async function updatePerson(deps: Deps, actor: Actor, input: UpdatePersonInput & { id: number }) {
  const person = await personOr404(deps.db, actor, input.id);
  const company = await companyOf(deps.db, actor.companyId);
  const { errors, data, headOf } = await checkPerson(deps.db, actor, input, company.country);
  if (person.id === actor.id && !data.isCompanyAdmin) errors.isCompanyAdmin = 'admin.people.keepOwnAdmin';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await deps.db.$transaction(async (tx) => {
    // A changed phone is unproven until its owner verifies it again (SMS and WhatsApp stop).
    await updatePersonRow(tx, actor.companyId, person.id, data, data.phone !== person.phone);
    await setHeadedUnits(tx, actor.companyId, person.id, headOf);
    // Units the person no longer heads: their pending requests move up the chain if nobody heads them now.
    const released = person.headedUnits.map((u) => u.id).filter((id) => !headOf.includes(id));
    await rerouteStuckRequests(tx, actor.companyId, released, actor.id, new Date());
    const before = { ...person, headOf: person.headedUnits.map((u) => u.id).sort() };
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'user.updated',
      entityType: 'user',
      entityId: person.id,
      summary: data.name,
      changes: diff(before, { ...data, headOf: [...headOf].sort() }),
    });
  });
  return { name: data.name };
}

/**
 * Deactivates a person: they can no longer sign in (sessions ended, unused links revoked) and their open tickets
 * wait for the services head to reassign them. Nobody deactivates themselves.
 */
export async function deactivatePerson(deps: Deps, actor: Actor, input: { id: number }) {
  const person = await personOr404(deps.db, actor, input.id);
  if (person.id === actor.id) throw new ForbiddenError('admin.people.notYourself');
  const flaggedTickets = await deps.db.$transaction(async (tx) => {
    await setPersonActive(tx, actor.companyId, person.id, false);
    // The units they head have no active head now: their pending requests move up the chain.
    const headed = person.headedUnits.map((u) => u.id);
    await rerouteStuckRequests(tx, actor.companyId, headed, actor.id, new Date());
    const flagged = await flagOpenTicketsOf(tx, actor.companyId, person.id);
    await deleteUnusedTokensOf(tx, actor.companyId, person.id);
    await endSessionsOf(tx, person.id);
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'user.deactivated',
      entityType: 'user',
      entityId: person.id,
      summary: person.name,
      changes: { active: [true, false] },
    });
    return flagged;
  });
  return { name: person.name, flaggedTickets };
}

export async function reactivatePerson(deps: Deps, actor: Actor, input: { id: number }) {
  const person = await personOr404(deps.db, actor, input.id);
  await deps.db.$transaction(async (tx) => {
    await setPersonActive(tx, actor.companyId, person.id, true);
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'user.reactivated',
      entityType: 'user',
      entityId: person.id,
      summary: person.name,
      changes: { active: [false, true] },
    });
  });
  return { name: person.name };
}

/** Emails an active person a link to set a password: a reset link, or the invitation again if they never set one. */
export async function sendPersonLink(deps: AccountLinkDeps, actor: Actor, input: { id: number }) {
  const person = await personOr404(deps.db, actor, input.id);
  if (!person.active) throw new NotFoundError();
  const [recipient] = await recipientsOf(deps.db, actor.companyId, [person.id]);
  const purpose = person.passwordHash ? 'PASSWORD_RESET' : 'INVITATION';
  const sent = await sendAccountLink(deps, toRecipient(recipient!), purpose, actor.name);
  await recordAudit(deps.db, actor.companyId, auditActor(actor), {
    action: purpose === 'INVITATION' ? 'user.reinvited' : 'user.resetSent',
    entityType: 'user',
    entityId: person.id,
    summary: person.name,
  });
  return { name: person.name, email: person.email, sent };
}
