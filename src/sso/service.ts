// Use cases of single sign-on through the company's OpenID Connect provider: the address that leads to it, the
// round trip (authorization code with PKCE, state and nonce), who is signed in or created, and the admin settings.
import { auditActor, recordAudit } from '../audit/index.js';
import { loadActor, normalizeEmail, recordSignInAttempt, SignInRefusedError, type Actor } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { decryptSecret, encryptSecret } from '../notifications/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.js';
import { authorizationUrl, exchangeCode, isLoopbackHttp, type AuthorizationChecks } from './client.js';
import { domainOf, mayUsePassword } from './policy.js';
import {
  adminName,
  companyAdmins,
  createPersonFromSso,
  deleteSsoSettings,
  domainsClaimedElsewhere,
  findPersonByEmail,
  findSsoSettings,
  markSsoSignIn,
  setBreakGlass,
  ssoOfDomain,
  unitChoices,
  unitInCompany,
  upsertSsoSettings,
  type SsoSettingsRow,
} from './queries.js';
import type { SsoSettingsInput } from './schemas.js';

export interface SsoDeps {
  db: Db;
  config: Config;
  clock: () => Date;
}

/** What this browser keeps in its session between leaving for the provider and coming back. */
export interface SsoPending extends AuthorizationChecks {
  companyId: number;
  next: string;
  since: number;
}

/** A sign-in that left for the provider must come back within this. */
const PENDING_MS = 10 * 60_000;

export const callbackUrl = (config: Config) => `${config.appUrl}/login/sso/callback`;

function key(config: Config): string {
  if (!config.ENCRYPTION_KEY) throw new ConflictError('sso.noKey');
  return config.ENCRYPTION_KEY;
}

const providerOf = (config: Config, s: SsoSettingsRow) => ({
  companyId: s.companyId,
  issuerUrl: s.issuerUrl,
  clientId: s.clientId,
  clientSecret: decryptSecret(key(config), s.clientSecretEnc),
  updatedAt: s.updatedAt,
});

/** The provider offered for an address ("Ingresar con …"), or null when its domain has no SSO. */
export async function ssoForEmail(deps: Pick<SsoDeps, 'db'>, email: string) {
  const address = normalizeEmail(email);
  if (!address.includes('@')) return null;
  return ssoOfDomain(deps.db, domainOf(address));
}

/** The sign-in hook of src/auth: a password is refused when the company requires SSO (but for break-glass admins). */
export async function passwordRefusal(deps: Pick<SsoDeps, 'db'>, email: string) {
  const sso = await ssoForEmail(deps, email);
  if (!sso || mayUsePassword(sso, await findPersonByEmail(deps.db, normalizeEmail(email)))) return null;
  return { messageKey: 'sso.required', params: { provider: sso.providerName } };
}

/** Starts a sign-in with the provider of the address's company: the URL to go to and what to keep for the return. */
export async function startSsoSignIn(
  deps: SsoDeps,
  input: { email: string; next: string },
): Promise<{ url: string; pending: SsoPending }> {
  const sso = await ssoForEmail(deps, input.email);
  const settings = sso && (await findSsoSettings(deps.db, sso.companyId));
  if (!settings) throw new SignInRefusedError('sso.noProvider');
  const { url, checks } = await authorizationUrl(providerOf(deps.config, settings), callbackUrl(deps.config), {
    allowHttpLoopback: deps.config.SSO_ALLOW_HTTP_LOOPBACK,
    loginHint: normalizeEmail(input.email),
  });
  return {
    url: url.href,
    pending: { ...checks, companyId: settings.companyId, next: input.next, since: deps.clock().getTime() },
  };
}

/**
 * Finishes a sign-in coming back from the provider: the state, nonce and PKCE verifier must match what this browser
 * kept; the verified address must be of one of the company's domains; a known person of the company is signed in,
 * an unknown one created (into the chosen unit) when the company allows it. Throws SignInRefusedError.
 */
export async function finishSsoSignIn(
  deps: SsoDeps,
  pending: SsoPending | undefined,
  input: { query: string; ip: string; userAgent: string },
): Promise<Actor> {
  const now = deps.clock();
  if (!pending || now.getTime() - pending.since > PENDING_MS) throw new SignInRefusedError('sso.expired');
  const settings = await findSsoSettings(deps.db, pending.companyId);
  if (!settings) throw new SignInRefusedError('sso.noProvider');
  let identity;
  try {
    identity = await exchangeCode(
      providerOf(deps.config, settings),
      new URL(`${callbackUrl(deps.config)}?${input.query}`),
      pending,
      { allowHttpLoopback: deps.config.SSO_ALLOW_HTTP_LOOPBACK },
    );
  } catch {
    throw new SignInRefusedError('sso.failed');
  }
  const email = identity.email;
  if (!email || !identity.emailVerified || !settings.domains.includes(domainOf(email)))
    throw new SignInRefusedError('sso.domainNotAllowed');

  let person = await findPersonByEmail(deps.db, email);
  if (person && person.companyId !== settings.companyId) throw new SignInRefusedError('sso.notThisCompany');
  const log = (userId: number, result: string) =>
    recordSignInAttempt(deps, {
      companyId: settings.companyId,
      userId,
      email,
      ip: input.ip,
      userAgent: input.userAgent,
      method: 'sso',
      result,
    });
  if (!person) {
    if (!settings.createUnknown) throw new SignInRefusedError('sso.inviteOnly');
    const name = identity.name?.trim().slice(0, 120) || email.slice(0, email.indexOf('@'));
    const created = await deps.db.$transaction(async (tx) => {
      const row = await createPersonFromSso(tx, {
        companyId: settings.companyId,
        email,
        name,
        unitId: settings.newPeopleUnitId,
        at: now,
      });
      await recordAudit(
        tx,
        settings.companyId,
        { id: null, email },
        {
          action: 'sso.personCreated',
          entityType: 'user',
          entityId: row.id,
          summary: name,
        },
      );
      return row;
    });
    person = await findPersonByEmail(deps.db, email);
    if (!person || person.id !== created.id) throw new SignInRefusedError('sso.failed');
  }
  if (!person.active) {
    await log(person.id, 'deactivated');
    throw new SignInRefusedError('auth.deactivated');
  }
  await markSsoSignIn(deps.db, settings.companyId, person.id, now);
  const actor = await loadActor(deps.db, person.id, { now, companyId: person.companyId });
  if (!actor) throw new SignInRefusedError('auth.companySuspended');
  await log(person.id, 'ok');
  return actor;
}

/** The settings form's values (the secret never leaves the server), with the units and the administrators. */
export async function loadSsoSettings(deps: Pick<SsoDeps, 'db'>, actor: Actor) {
  const [s, units, admins] = await Promise.all([
    findSsoSettings(deps.db, actor.companyId),
    unitChoices(deps.db, actor.companyId),
    companyAdmins(deps.db, actor.companyId),
  ]);
  const values = {
    providerName: s?.providerName ?? '',
    issuerUrl: s?.issuerUrl ?? '',
    clientId: s?.clientId ?? '',
    clientSecret: '',
    domains: s?.domains.join(', ') ?? '',
    createUnknown: s?.createUnknown ? 'on' : '',
    newPeopleUnitId: s?.newPeopleUnitId ? String(s.newPeopleUnitId) : '',
    required: s?.required ? 'on' : '',
  };
  return { configured: !!s, values, units, admins };
}

/** Saves the provider (the secret encrypted; blank keeps it); audited. Throws ValidationError (field → key). */
export async function saveSsoSettings(deps: SsoDeps, actor: Actor, input: SsoSettingsInput): Promise<void> {
  const issuer = new URL(input.issuerUrl);
  if (issuer.protocol !== 'https:' && !(deps.config.SSO_ALLOW_HTTP_LOOPBACK && isLoopbackHttp(issuer)))
    throw new ValidationError({ issuerUrl: 'sso.issuerHttps' });
  const taken = await domainsClaimedElsewhere(deps.db, actor.companyId, input.domains);
  if (taken.length) throw new ValidationError({ domains: 'sso.domainTaken' }, 'sso.domainTaken', { domain: taken[0] });
  if (input.newPeopleUnitId !== null && !(await unitInCompany(deps.db, actor.companyId, input.newPeopleUnitId)))
    throw new ValidationError({ newPeopleUnitId: 'forms.invalidChoice' });
  if (input.createUnknown && input.newPeopleUnitId === null)
    throw new ValidationError({ newPeopleUnitId: 'sso.unitRequired' });
  const before = await findSsoSettings(deps.db, actor.companyId);
  if (!input.clientSecret && !before) throw new ValidationError({ clientSecret: 'forms.required' });
  const clientSecretEnc = input.clientSecret
    ? encryptSecret(key(deps.config), input.clientSecret)
    : before!.clientSecretEnc;
  const data = {
    providerName: input.providerName,
    issuerUrl: issuer.href.replace(/\/$/, ''),
    clientId: input.clientId,
    clientSecretEnc,
    domains: input.domains,
    createUnknown: input.createUnknown,
    newPeopleUnitId: input.newPeopleUnitId,
    required: input.required,
  };
  try {
    await deps.db.$transaction(async (tx) => {
      await upsertSsoSettings(tx, actor.companyId, data);
      const shown = { ...data, clientSecretEnc: undefined, secretChanged: !!input.clientSecret };
      const old = before ? { ...before, clientSecretEnc: undefined, secretChanged: false } : {};
      await recordAudit(tx, actor.companyId, auditActor(actor), {
        action: 'sso.saved',
        entityType: 'company',
        entityId: actor.companyId,
        summary: input.providerName,
        changes: Object.fromEntries(
          Object.entries(shown)
            .filter(
              ([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify((old as Record<string, unknown>)[k]),
            )
            .map(([k, v]) => [k, [(old as Record<string, unknown>)[k] ?? null, v]]),
        ),
      });
    });
  } catch (err) {
    // A domain claimed by another company since the check above: its register row exists.
    if (isUniqueViolation(err))
      throw new ValidationError({ domains: 'sso.domainTaken' }, 'sso.domainTaken', {
        domain: input.domains.join(', '),
      });
    throw err;
  }
}

/** Turns SSO off for the company; audited. */
export async function removeSsoSettings(deps: Pick<SsoDeps, 'db'>, actor: Actor): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    await deleteSsoSettings(tx, actor.companyId);
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'sso.removed',
      entityType: 'company',
      entityId: actor.companyId,
      summary: actor.companyName,
    });
  });
}

/** Marks an administrator of the company as break-glass (or not); another company's id is a 404. Audited. */
export async function saveBreakGlass(
  deps: Pick<SsoDeps, 'db'>,
  actor: Actor,
  input: { userId: number; on: boolean },
): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const admin = await adminName(tx, actor.companyId, input.userId);
    if (!admin || !(await setBreakGlass(tx, actor.companyId, input.userId, input.on))) throw new NotFoundError();
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: input.on ? 'sso.breakGlassOn' : 'sso.breakGlassOff',
      entityType: 'user',
      entityId: input.userId,
      summary: admin.email,
    });
  });
}
