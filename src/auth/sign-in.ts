// Signing in with an email and a password, within the limits of failed attempts (login-throttle.ts).
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
import { findCredentials, recordSignIn } from './queries.js';

/** The sign-in was refused; the message key says why (only to whoever typed the right password). */
export class SignInRefusedError extends AppError {
  constructor(messageKey: string) {
    super('forbidden', messageKey);
  }
}

/** Why an account with the right password cannot sign in, or null when it can. */
function refusal(user: { active: boolean; emailVerifiedAt: Date | null; company: { active: boolean } }) {
  if (!user.company.active) return 'auth.companySuspended';
  if (!user.active) return 'auth.deactivated';
  if (!user.emailVerifiedAt) return 'auth.unverified';
  return null;
}

/**
 * Checks an email and password and returns the person to sign in. A wrong password and an unknown address take
 * the same time and give the same answer. Throws TooManyAttemptsError while a limit holds, SignInRefusedError
 * otherwise.
 */
export async function signInWithPassword(
  deps: LoginThrottleDeps,
  input: { email: string; password: string; ip: string; unlockedFor?: string },
): Promise<Actor> {
  const email = normalizeEmail(input.email);
  const attempt = await beginLoginAttempt(deps, { email, ip: input.ip, unlockedFor: input.unlockedFor });
  let outcome: AttemptOutcome = 'refused';
  try {
    const user = await findCredentials(deps.db, email);
    const ok = user?.passwordHash
      ? await verifyPassword(input.password, user.passwordHash)
      : await burnPasswordCheck(input.password);
    if (!user || !ok) {
      outcome = 'wrong-password';
      throw new SignInRefusedError('auth.invalid');
    }
    const refused = refusal(user);
    if (refused) throw new SignInRefusedError(refused);
    await recordSignIn(deps.db, user, deps.clock());
    const actor = await loadActor(deps.db, user.id, { now: deps.clock(), companyId: user.companyId });
    if (!actor) throw new SignInRefusedError('auth.invalid');
    outcome = 'signed-in';
    return actor;
  } finally {
    await settleLoginAttempt(deps, attempt, outcome);
  }
}
