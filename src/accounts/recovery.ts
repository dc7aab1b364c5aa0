// Use cases reached without signing in: a forgotten password, the set-password link (invitation or reset), and
// the unlock link of an account locked by failed sign-ins from everywhere.
import { hashPassword, normalizeEmail, unlockAccount } from '../auth/index.js';
import type { TokenPurpose } from '../generated/prisma/client.js';
import { AppError, ValidationError } from '../web/errors.js';
import { limitEmailSends } from './email-limits.js';
import { sendAccountLink, toRecipient, type AccountLinkDeps } from './links.js';
import { findByEmail, findLinkOwner, hasLiveToken, setPasswordFromLink } from './queries.js';
import { newPasswordSchema } from './schemas.js';
import { issueKeys } from './service.js';
import { endSessionsOf } from './sessions.js';
import { checkToken, consumeToken } from './tokens.js';

const PASSWORD_LINKS: TokenPurpose[] = ['INVITATION', 'PASSWORD_RESET'];

/** A link that cannot be used (answered 410 with the reason). */
export class InvalidLinkError extends AppError {
  constructor(readonly reason: 'invalid' | 'expired' | 'used') {
    super('not_found', `links.${reason}`);
  }
}

/**
 * Runs `work` after the current request has been answered, logging its failure. Mail that depends on whether
 * an address exists is sent this way, so that both answers take the same time.
 */
export function afterResponse(deps: Pick<AccountLinkDeps, 'logger'>, what: string, work: () => Promise<unknown>) {
  setImmediate(() => {
    work().catch((err: unknown) => deps.logger.error({ err }, `${what} failed`));
  });
}

/**
 * "Forgot password": the same statement and the same answer whether the address exists or not; the link is
 * issued and mailed after the response. Limited per address and IP (TooManyAttemptsError).
 */
export async function requestPasswordReset(deps: AccountLinkDeps, typedEmail: string, ip: string): Promise<void> {
  const email = normalizeEmail(typedEmail);
  await limitEmailSends(deps, { action: 'reset', email, ip, messageKey: 'forgot.tooMany' });
  if (!email) return;
  const user = await findByEmail(deps.db, email);
  if (user?.active && user.company.active)
    afterResponse(deps, 'password reset mail', () => sendAccountLink(deps, toRecipient(user), 'PASSWORD_RESET'));
}

/** The person a set-password link belongs to (to show the form); throws InvalidLinkError. */
export async function passwordLinkOwner(deps: AccountLinkDeps, token: string) {
  const check = await checkToken(deps.db, token, PASSWORD_LINKS, deps.clock());
  if (!check.ok) throw new InvalidLinkError(check.reason);
  const user = await findLinkOwner(deps.db, check);
  if (!user?.active || !user.company.active) throw new InvalidLinkError('invalid');
  return { purpose: check.purpose, user };
}

/**
 * Sets a password through an invitation or reset link: the link is spent, the address counts as proven and every
 * session of the person ends; returns the address (to fill the sign-in form). Throws ValidationError (field → key) or
 * InvalidLinkError.
 */
export async function setPasswordWithLink(
  deps: AccountLinkDeps,
  token: string,
  input: { password: string; confirm: string },
): Promise<string> {
  const { user } = await passwordLinkOwner(deps, token);
  const parsed = newPasswordSchema([user.name, user.email, user.company.name]).safeParse(input);
  if (!parsed.success) throw new ValidationError(issueKeys(parsed.error));
  const passwordHash = await hashPassword(parsed.data.password);
  const now = deps.clock();
  const done = await deps.db.$transaction(async (tx) => {
    const used = await consumeToken(tx, token, PASSWORD_LINKS, now);
    if (!used.ok) return false;
    await setPasswordFromLink(tx, used, passwordHash, now);
    await endSessionsOf(tx, used.userId);
    return true;
  });
  if (!done) throw new InvalidLinkError('used');
  return user.email;
}

/**
 * Mails the owner of a locked account the link that unlocks it — once while an earlier link still works.
 * Never throws (it runs apart from any request).
 */
export async function sendUnlockLink(deps: AccountLinkDeps, email: string): Promise<void> {
  try {
    const user = await findByEmail(deps.db, email);
    if (!user?.active || !user.company.active) return;
    if (await hasLiveToken(deps.db, { companyId: user.companyId, userId: user.id }, 'ACCOUNT_UNLOCK', deps.clock()))
      return;
    await sendAccountLink(deps, toRecipient(user), 'ACCOUNT_UNLOCK');
  } catch (err) {
    deps.logger.error({ err }, 'could not send the unlock link');
  }
}

/** Follows an unlock link: the account's failed sign-ins are forgotten; returns the account's address. */
export async function unlockWithLink(deps: AccountLinkDeps, token: string): Promise<string> {
  const now = deps.clock();
  const used = await consumeToken(deps.db, token, ['ACCOUNT_UNLOCK'], now);
  if (!used.ok) throw new InvalidLinkError(used.reason);
  const user = await findLinkOwner(deps.db, used);
  if (!user) throw new InvalidLinkError('invalid');
  await unlockAccount(deps.db, user.email);
  return user.email;
}
