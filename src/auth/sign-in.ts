// Signing in with an email and a password, within the limits of failed attempts (login-throttle.ts). Every attempt
// on a known account is written to its sign-in log.
import { loadActor, type Actor } from './actor.js';
import { AppError } from '../web/errors.js';
import {
  beginLoginAttempt,
  settleLoginAttempt,
  type AttemptOutcome,
  type LoginThrottleDeps,
} from './login-throttle.js';
import { normalizeEmail } from './passport.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import { findCredentials, insertSignInLog, recordSignIn, type SignInLogEntry } from './queries.js';

/** The sign-in was refused; the message key says why (only to whoever typed the right password). */
export class SignInRefusedError extends AppError {
  constructor(messageKey: string, params: Record<string, string | number> = {}) {
    super('forbidden', messageKey, params);
  }
}

/**
 * What other features decide about a sign-in, injected by app.ts (auth imports none of them): whether the address
 * may use a password at all (its company may require its identity provider), and whether a second step follows.
 */
export interface SignInHooks {
  /** A refusal (message key and params) when this address must sign in with its company's provider, else null. */
  passwordRefusal(email: string): Promise<{ messageKey: string; params: Record<string, string> } | null>;
  /** 'verify' (a code is owed), 'enrol' (the company requires a second step not set up yet) or null. */
  secondStep(actor: Actor): Promise<'verify' | 'enrol' | null>;
}

export const NO_HOOKS: SignInHooks = { passwordRefusal: async () => null, secondStep: async () => null };

export type SignInDeps = LoginThrottleDeps & { hooks?: SignInHooks };

/** Writes one attempt to the person's sign-in log (never fails the sign-in). */
export async function recordSignInAttempt(
  deps: Pick<LoginThrottleDeps, 'db' | 'clock'>,
  entry: SignInLogEntry,
): Promise<void> {
  await insertSignInLog(deps.db, entry, deps.clock());
}

/** Why an account with the right password cannot sign in, or null when it can. */
function refusal(user: { active: boolean; emailVerifiedAt: Date | null; company: { active: boolean } }) {
  if (!user.company.active) return 'auth.companySuspended';
  if (!user.active) return 'auth.deactivated';
  if (!user.emailVerifiedAt) return 'auth.unverified';
  return null;
}

/**
 * Checks an email and password and returns the person to sign in, with the second step they still owe. A wrong
 * password and an unknown address take the same time and give the same answer. Throws TooManyAttemptsError while
 * a limit holds, SignInRefusedError otherwise.
 */
export async function signInWithPassword(
  deps: SignInDeps,
  input: { email: string; password: string; ip: string; userAgent?: string; unlockedFor?: string },
): Promise<{ actor: Actor; secondStep: 'verify' | 'enrol' | null }> {
  const hooks = deps.hooks ?? NO_HOOKS;
  const email = normalizeEmail(input.email);
  const log = (user: { id: number; companyId: number } | null, result: string) =>
    user
      ? recordSignInAttempt(deps, {
          companyId: user.companyId,
          userId: user.id,
          email,
          ip: input.ip,
          userAgent: input.userAgent ?? '',
          method: 'password',
          result,
        })
      : Promise.resolve();
  const ssoOnly = await hooks.passwordRefusal(email);
  if (ssoOnly) {
    await log(await findCredentials(deps.db, email), 'sso_required');
    throw new SignInRefusedError(ssoOnly.messageKey, ssoOnly.params);
  }
  const attempt = await beginLoginAttempt(deps, { email, ip: input.ip, unlockedFor: input.unlockedFor });
  let outcome: AttemptOutcome = 'refused';
  try {
    const user = await findCredentials(deps.db, email);
    const ok = user?.passwordHash
      ? await verifyPassword(input.password, user.passwordHash)
      : await burnPasswordCheck(input.password);
    if (!user || !ok) {
      outcome = 'wrong-password';
      await log(user, 'wrong_password');
      throw new SignInRefusedError('auth.invalid');
    }
    const refused = refusal(user);
    if (refused) {
      await log(user, refused.replace('auth.', ''));
      throw new SignInRefusedError(refused);
    }
    const actor = await loadActor(deps.db, user.id, { now: deps.clock(), companyId: user.companyId });
    if (!actor) throw new SignInRefusedError('auth.invalid');
    const secondStep = await hooks.secondStep(actor);
    if (!secondStep) await recordSignIn(deps.db, user, deps.clock());
    await log(user, secondStep ? 'second_step' : 'ok');
    outcome = 'signed-in';
    return { actor, secondStep };
  } finally {
    await settleLoginAttempt(deps, attempt, outcome);
  }
}
