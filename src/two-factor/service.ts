// Use cases of two-factor sign-in: enrolling a TOTP app (QR code) with ten recovery codes, turning it off, the
// company's rule, and the second step of a sign-in (throttled like the password step).
import { auditActor, recordAudit } from '../audit/index.js';
import {
  beginLoginAttempt,
  loadActor,
  recordSignInAttempt,
  settleLoginAttempt,
  SignInRefusedError,
  type Actor,
  type AttemptOutcome,
  type PendingSignIn,
} from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { decryptSecret, encryptSecret } from '../notifications/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.js';
import { isTwoFactorRequired, secondStepOf, type TwoFactorRule } from './policy.js';
import {
  clearTotp,
  countRecoveryCodesLeft,
  findTwoFactor,
  markSignedIn,
  replaceRecoveryCodes,
  saveTotp,
  setTwoFactorRule,
  takeStep,
  twoFactorRuleOf,
  useRecoveryCode,
  type TwoFactorState,
} from './queries.js';
import { codeStep, enrolmentCode, newRecoveryCodes, newTotpSecret, recoveryCodeHash } from './totp.js';

export interface TwoFactorDeps {
  db: Db;
  config: Config;
  clock: () => Date;
}

type Who = { companyId: number; userId: number };
const whoOf = (s: { id: number; companyId: number }): Who => ({ companyId: s.companyId, userId: s.id });
const RECOVERY_FORMAT = /^[0-9a-f]{5}-?[0-9a-f]{5}$/i;
const wrongCode = () => new ValidationError({ code: 'twoFactor.wrongCode' });

function key(config: Config): string {
  if (!config.ENCRYPTION_KEY) throw new ConflictError('twoFactor.noKey');
  return config.ENCRYPTION_KEY;
}

async function stateOf(db: Db, who: Who): Promise<TwoFactorState> {
  const state = await findTwoFactor(db, who);
  if (!state) throw new NotFoundError();
  return state;
}

/** The second step owed after the password (the sign-in hook of src/auth). */
export async function secondStepFor(deps: Pick<TwoFactorDeps, 'db'>, actor: Actor) {
  return secondStepOf(await stateOf(deps.db, { companyId: actor.companyId, userId: actor.id }));
}

/** "Mi cuenta": whether TOTP is on, the recovery codes left, whether the company requires it. */
export async function twoFactorStatus(deps: Pick<TwoFactorDeps, 'db'>, actor: Actor) {
  const state = await stateOf(deps.db, { companyId: actor.companyId, userId: actor.id });
  return {
    enabled: state.totpSecretEnc !== null,
    codesLeft: state.totpSecretEnc ? await countRecoveryCodesLeft(deps.db, whoOf(state)) : 0,
    required: isTwoFactorRequired(state.company.twoFactorRule, state),
  };
}

/** Issuer shown in the authenticator app. */
const ISSUER = 'Solicitudes';

/**
 * The enrolment under way (`secret` kept by the caller until its first code is confirmed), or a fresh one, with its
 * QR code.
 */
export async function enrolmentOf(secret: string | undefined, who: { email: string }) {
  const s = secret ?? newTotpSecret();
  return { secret: s, ...(await enrolmentCode(s, who.email, ISSUER)) };
}

/** Checks the first code of the app against `secret`, turns TOTP on and returns the ten recovery codes (once). */
async function enrol(deps: TwoFactorDeps, state: TwoFactorState, input: { secret: string; code: string }) {
  if (state.totpSecretEnc) throw new ConflictError('twoFactor.alreadyOn');
  const step = codeStep(input.secret, input.code, deps.clock());
  if (step === null) throw wrongCode();
  const { codes, hashes } = newRecoveryCodes();
  await saveTotp(deps.db, whoOf(state), encryptSecret(key(deps.config), input.secret), step, hashes);
  await recordAudit(deps.db, state.companyId, auditActor(state), {
    action: 'twoFactor.enabled',
    entityType: 'user',
    entityId: state.id,
    summary: state.email,
  });
  return codes;
}

export async function confirmEnrolment(deps: TwoFactorDeps, actor: Actor, input: { secret: string; code: string }) {
  return enrol(deps, await stateOf(deps.db, { companyId: actor.companyId, userId: actor.id }), input);
}

/** Checks a current code of the person's app (a spent step is refused); throws ValidationError. */
async function checkOwnCode(deps: TwoFactorDeps, state: TwoFactorState, code: string): Promise<void> {
  if (!state.totpSecretEnc) throw new ConflictError('twoFactor.notOn');
  const step = codeStep(decryptSecret(key(deps.config), state.totpSecretEnc), code, deps.clock());
  if (step === null || !(await takeStep(deps.db, whoOf(state), step))) throw wrongCode();
}

/** Turns TOTP off (with a current code); refused while the company requires it of the person. */
export async function disableTwoFactor(deps: TwoFactorDeps, actor: Actor, input: { code: string }): Promise<void> {
  const state = await stateOf(deps.db, { companyId: actor.companyId, userId: actor.id });
  if (isTwoFactorRequired(state.company.twoFactorRule, state))
    throw new ValidationError({ code: 'twoFactor.requiredByCompany' });
  await checkOwnCode(deps, state, input.code);
  await clearTotp(deps.db, whoOf(state));
  await recordAudit(deps.db, state.companyId, auditActor(actor), {
    action: 'twoFactor.disabled',
    entityType: 'user',
    entityId: state.id,
    summary: state.email,
  });
}

/** Ten new recovery codes (the old ones stop working), with a current code. */
export async function regenerateRecoveryCodes(deps: TwoFactorDeps, actor: Actor, input: { code: string }) {
  const state = await stateOf(deps.db, { companyId: actor.companyId, userId: actor.id });
  await checkOwnCode(deps, state, input.code);
  const { codes, hashes } = newRecoveryCodes();
  await replaceRecoveryCodes(deps.db, whoOf(state), hashes);
  return codes;
}

export interface SecondStepInput {
  code: string;
  ip: string;
  userAgent: string;
}

/**
 * Runs a second-step attempt within the same limits as passwords (keyed apart from them): a wrong code counts as
 * a failure, a right one clears the pair's failures. Returns the signed-in person.
 */
async function throttled(
  deps: TwoFactorDeps,
  pending: PendingSignIn,
  input: SecondStepInput,
  check: (state: TwoFactorState) => Promise<'totp' | 'recovery'>,
): Promise<Actor> {
  const throttle = { ...deps, onAccountLocked: async () => {} };
  const attempt = await beginLoginAttempt(throttle, { email: `2fa:${pending.email}`, ip: input.ip });
  let outcome: AttemptOutcome = 'refused';
  const state = await stateOf(deps.db, { companyId: pending.companyId, userId: pending.userId });
  const log = (method: 'totp' | 'recovery', result: string) =>
    recordSignInAttempt(deps, {
      ...whoOf(state),
      email: state.email,
      ip: input.ip,
      userAgent: input.userAgent,
      method,
      result,
    });
  try {
    let method: 'totp' | 'recovery';
    try {
      method = await check(state);
    } catch (err) {
      if (err instanceof ValidationError) {
        outcome = 'wrong-password';
        await log(RECOVERY_FORMAT.test(input.code.trim()) ? 'recovery' : 'totp', 'wrong_code');
      }
      throw err;
    }
    const actor = await loadActor(deps.db, state.id, { now: deps.clock(), companyId: state.companyId });
    if (!actor) throw new SignInRefusedError('auth.invalid');
    await markSignedIn(deps.db, whoOf(state), deps.clock());
    await log(method, 'ok');
    outcome = 'signed-in';
    return actor;
  } finally {
    await settleLoginAttempt(throttle, attempt, outcome);
  }
}

/** The second step of a sign-in: a code of the app (±30 s, each step once) or an unused recovery code. */
export function verifySecondStep(deps: TwoFactorDeps, pending: PendingSignIn, input: SecondStepInput) {
  return throttled(deps, pending, input, async (state) => {
    if (RECOVERY_FORMAT.test(input.code.trim())) {
      if (!state.totpSecretEnc) throw wrongCode();
      if (!(await useRecoveryCode(deps.db, whoOf(state), recoveryCodeHash(input.code), deps.clock())))
        throw wrongCode();
      return 'recovery';
    }
    await checkOwnCode(deps, state, input.code);
    return 'totp';
  });
}

/** Enrolling during a sign-in the company requires it for: the first code proves the app; returns the codes too. */
export async function enrolAtSignIn(
  deps: TwoFactorDeps,
  pending: PendingSignIn,
  input: SecondStepInput & { secret: string },
): Promise<{ actor: Actor; codes: string[] }> {
  let codes: string[] = [];
  const actor = await throttled(deps, pending, input, async (state) => {
    codes = await enrol(deps, state, input);
    return 'totp';
  });
  return { actor, codes };
}

/** The company's rule (off, for admins, for everyone); audited. */
export async function saveTwoFactorRule(
  deps: Pick<TwoFactorDeps, 'db'>,
  actor: Actor,
  input: { rule: TwoFactorRule },
): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const before = await twoFactorRuleOf(tx, actor.companyId);
    await setTwoFactorRule(tx, actor.companyId, input.rule);
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'twoFactor.rule',
      entityType: 'company',
      entityId: actor.companyId,
      summary: actor.companyName,
      changes: before === input.rule ? null : { twoFactorRule: [before, input.rule] },
    });
  });
}

export function loadTwoFactorRule(deps: Pick<TwoFactorDeps, 'db'>, actor: Actor): Promise<string> {
  return twoFactorRuleOf(deps.db, actor.companyId);
}
