// Use cases of the public portal (issue 19): anyone may open a request of a company that switched its portal on,
// confirmed by a one-time link sent to the address given, and follow it by number + address through an emailed
// link. `submitGuestRequest` is also what inbound mail to a company's intake address is meant to call.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { afterResponse, hashToken, InvalidLinkError } from '../accounts/index.js';
import { limitAttempts, type Actor } from '../auth/index.js';
import type { Config } from '../config.js';
import { addComment, type Attachments, type PreparedFile } from '../conversation/index.js';
import type { Db } from '../db/client.js';
import type { Mailer } from '../mail/index.js';
import { fieldsByCategory, storedFieldValues } from '../org/index.js';
import { checkFieldAnswers, fileGuestRequest } from '../requests/index.js';
import { NotFoundError, ValidationError } from '../web/errors.js';
import { sendConfirmationLink, sendStatusLink } from './mail.js';
import { mayReplyAsGuest } from './policy.js';
import {
  catalogue,
  claimSubmission,
  companyBySlug,
  dropExpired,
  firstUnit,
  guestStandIn,
  guestUnits,
  guestView,
  headedUnit,
  insertStatusLink,
  insertSubmission,
  isActiveUnit,
  isPortalCategory,
  knownPerson,
  markSubmissionFiled,
  releaseSubmission,
  requestOfLink,
  requestOfPair,
  submissionState,
  type PortalCompany,
} from './queries.js';
import type { GuestRequestInput, StatusLookupInput } from './schemas.js';

export interface PortalDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
  logger: Logger;
  clock: () => Date;
  attachments: Attachments;
}

const HOUR_MS = 3600_000;
/** How long a confirmation link works; an unconfirmed request is dropped after it. */
export const CONFIRM_TTL_MS = 24 * HOUR_MS;
/** How long a status link works. */
export const STATUS_TTL_MS = 24 * HOUR_MS;
/** The name of the company's stand-in requester of guests' requests (shown as the author of their replies). */
const GUEST_STAND_IN_NAME = 'Invitado del portal';

const newToken = () => randomBytes(32).toString('base64url');

/** The company of a portal address; switched off, unknown or malformed is the same 404. */
export async function openPortal(deps: Pick<PortalDeps, 'db'>, slug: string): Promise<PortalCompany> {
  if (!/^[a-z0-9-]{3,40}$/.test(slug)) throw new NotFoundError();
  const company = await companyBySlug(deps.db, slug);
  if (!company) throw new NotFoundError();
  return company;
}

/** The portal's page: the company's intro and its service catalogue with each category's description. */
export async function loadPortalHome(deps: Pick<PortalDeps, 'db'>, company: PortalCompany) {
  return { areas: await catalogue(deps.db, company.id) };
}

/** The guest form: areas and categories (with their fields), the units, and whether "No sé" is offered. */
export async function loadGuestForm(deps: Pick<PortalDeps, 'db'>, company: PortalCompany) {
  const [areas, units] = await Promise.all([catalogue(deps.db, company.id), guestUnits(deps.db, company.id)]);
  const fields = await fieldsByCategory(
    deps.db,
    company.id,
    areas.flatMap((a) => a.categories.map((c) => c.id)),
  );
  return {
    areas: areas.map((a) => ({
      ...a,
      categories: a.categories.map((c) => ({ ...c, fields: fields.get(c.id) ?? [] })),
    })),
    units,
    unknownUnitOffered: company.intakeApproverId !== null,
  };
}

/** Limits per IP and per address of what the portal sends mail for (TooManyAttemptsError). */
function limitPortal(deps: PortalDeps, what: 'request' | 'status', ip: string, email: string) {
  const { config } = deps;
  return limitAttempts(deps.db, deps.clock(), [
    {
      bucket: `portal-${what}-ip`,
      key: ip,
      limit: config.PORTAL_PER_HOUR_PER_IP,
      windowMs: HOUR_MS,
      messageKey: 'portal.errors.tooMany',
    },
    {
      bucket: `portal-${what}-email`,
      key: email,
      limit: config.PORTAL_PER_HOUR_PER_EMAIL,
      windowMs: HOUR_MS,
      messageKey: 'portal.errors.tooMany',
    },
  ]);
}

/**
 * A guest's request: checked (abuse limits per IP and address — TooManyAttemptsError —, the unit: one of the
 * company's, or "No sé" when an intake approver is set, and the category's fields — ValidationError —), its files
 * stored, kept unconfirmed, and the one-time link that confirms it (CONFIRM_TTL_MS) mailed; only the link's hash is
 * kept. A filled honeypot is answered the same and does nothing. Inbound mail to a company's intake address is meant
 * to call this same use case (its attachments prepared by the same checks).
 */
export async function submitGuestRequest(
  deps: PortalDeps,
  company: PortalCompany,
  input: GuestRequestInput & { honeypot: string; fieldInput: unknown; files: readonly PreparedFile[] },
  context: { ip: string; lang: string },
): Promise<void> {
  const { honeypot, fieldInput, files, ...form } = input;
  if (honeypot !== '') return;
  await limitPortal(deps, 'request', context.ip, form.email);
  const unitOk =
    form.unitId === null ? company.intakeApproverId !== null : await isActiveUnit(deps.db, company.id, form.unitId);
  if (!unitOk) throw new ValidationError({ unitId: 'forms.invalidChoice' });
  if (!(await isPortalCategory(deps.db, company.id, form.serviceAreaId, form.categoryId)))
    throw new ValidationError({ categoryId: 'requests.errors.categoryNotInArea' });
  const fieldValues = await checkFieldAnswers(deps.db, company.id, form.categoryId, fieldInput);
  const token = newToken();
  const now = deps.clock();
  await deps.attachments.withStored(company.id, files, (stored) =>
    insertSubmission(deps.db, {
      companyId: company.id,
      tokenHash: hashToken(token),
      email: form.email,
      payload: { ...form, fieldValues, files: stored, lang: context.lang },
      expiresAt: new Date(now.getTime() + CONFIRM_TTL_MS),
      now,
    }),
  );
  await sendConfirmationLink(deps, company, { to: form.email, name: form.name, lang: context.lang, token });
}

/**
 * Follows a confirmation link: the request enters the flow (one claim per link). Its requester is the company's
 * active person of that address, else the stand-in guest; its unit the person's own, else the one chosen, else
 * ("No sé") the unit the intake approver heads — so the approver is its authorizer (src/requests/authorizer.ts).
 * Throws InvalidLinkError; a link already used answers with the request it became.
 */
export async function confirmGuestRequest(
  deps: PortalDeps,
  company: PortalCompany,
  token: string,
): Promise<{ number: number; already: boolean }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new InvalidLinkError('invalid');
  const tokenHash = hashToken(token);
  const claimed = await claimSubmission(deps.db, company.id, tokenHash, deps.clock());
  if (!claimed) {
    const state = await submissionState(deps.db, company.id, tokenHash);
    if (state?.number) return { number: state.number, already: true };
    throw new InvalidLinkError(state ? (state.claimed ? 'used' : 'expired') : 'invalid');
  }
  const p = claimed.payload;
  try {
    const person = await knownPerson(deps.db, company.id, p.email);
    const requesterId = person?.id ?? (await guestStandIn(deps.db, company.id, GUEST_STAND_IN_NAME));
    const unitId = person?.unitId ?? p.unitId ?? (await intakeUnit(deps.db, company));
    const created = await fileGuestRequest(
      { db: deps.db, clock: deps.clock },
      { companyId: company.id, id: requesterId, unitId },
      {
        serviceAreaId: p.serviceAreaId,
        categoryId: p.categoryId,
        title: p.title,
        description: p.description,
        priority: 'MEDIUM',
        location: p.location,
      },
      p.files,
      {
        fieldValues: storedFieldValues(p.fieldValues),
        guest: { name: p.name, email: p.email, phone: p.phone },
      },
    );
    await markSubmissionFiled(deps.db, company.id, claimed.id, created.id);
    return { number: created.number, already: false };
  } catch (err) {
    await releaseSubmission(deps.db, company.id, claimed.id);
    throw err;
  }
}

/** The unit of a "No sé" request: the one its intake approver heads (else the company's first unit). */
async function intakeUnit(db: Db, company: PortalCompany): Promise<number | null> {
  const approved = company.intakeApproverId ? await headedUnit(db, company.id, company.intakeApproverId) : null;
  return approved ?? firstUnit(db, company.id);
}

/**
 * "Ver el estado de mi solicitud": when the number and the address belong together, a link to the request's page is
 * mailed (after the response); the answer is the same either way. Limited per IP and address.
 */
export async function requestStatusLink(
  deps: PortalDeps,
  company: PortalCompany,
  input: StatusLookupInput & { honeypot: string },
  context: { ip: string; lang: string },
): Promise<void> {
  if (input.honeypot !== '') return;
  await limitPortal(deps, 'status', context.ip, input.email);
  afterResponse(deps, 'portal status link', async () => {
    const found = await requestOfPair(deps.db, company.id, input.number, input.email);
    if (!found) return;
    const token = newToken();
    const now = deps.clock();
    await insertStatusLink(deps.db, {
      companyId: company.id,
      requestId: found.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + STATUS_TTL_MS),
      now,
    });
    await sendStatusLink(deps, company, { to: input.email, number: input.number, lang: context.lang, token });
  });
}

/** The request a status link shows (read-only: state, history, public comments); 404 when the link does not work. */
export async function loadGuestStatus(deps: Pick<PortalDeps, 'db' | 'clock'>, company: PortalCompany, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new NotFoundError();
  const link = await requestOfLink(deps.db, company.id, hashToken(token), deps.clock());
  const request = link ? await guestView(deps.db, company.id, link.requestId) : null;
  if (!link || !request) throw new NotFoundError();
  return { request, expiresAt: link.expiresAt, mayReply: mayReplyAsGuest(request) };
}

/** A reply from the status page: a public comment of the request's requester (the guest), notified as any other. */
export async function replyAsGuest(deps: PortalDeps, company: PortalCompany, token: string, input: { body: string }) {
  const { request, mayReply } = await loadGuestStatus(deps, company, token);
  if (!mayReply) throw new NotFoundError();
  const guest: Actor = {
    id: request.requesterId,
    companyId: company.id,
    companyName: company.name,
    timezone: company.timezone,
    companyLocale: company.locale,
    name: request.guestName ?? GUEST_STAND_IN_NAME,
    email: '',
    locale: null,
    unitId: null,
    unitName: null,
    isCompanyAdmin: false,
    isWorker: false,
    headedUnitIds: [],
    servicesAreaIds: [],
    headedUnits: [],
    actingFor: {},
    waiting: null,
  };
  await addComment(
    {
      db: deps.db,
      clock: deps.clock,
      attachments: deps.attachments,
      visibleRequest: async () => ({ id: request.id, serviceAreaId: request.serviceAreaId }),
    },
    guest,
    request.id,
    { body: input.body, internal: false },
    [],
  );
}

/** The scheduled job: unconfirmed requests past their link's life are dropped with their files; old links go too. */
export async function dropUnconfirmed(
  deps: Pick<PortalDeps, 'db' | 'clock' | 'logger'> & { attachments: Attachments },
) {
  let total = 0;
  for (;;) {
    const { deleted, dropped, files } = await dropExpired(deps.db, deps.clock(), 500);
    await Promise.allSettled(
      files.flatMap((f) =>
        [f.storageKey, f.thumbnailKey]
          .filter((k): k is string => k !== null)
          .map((k) => deps.attachments.storage.remove(k)),
      ),
    );
    total += dropped;
    if (deleted < 500) break;
  }
  if (total) deps.logger.info({ dropped: total }, 'unconfirmed portal requests dropped');
  return total;
}
