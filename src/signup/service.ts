// Use cases of company signup: register, resend the verification link, follow it.
import {
  afterResponse,
  consumeToken,
  InvalidLinkError,
  limitEmailSends,
  sendAccountLink,
  sendExistingAccountNotice,
  toRecipient,
  type AccountLinkDeps,
} from '../accounts/index.js';
import { hashPassword, limitAttempts, normalizeEmail } from '../auth/index.js';
import { isUniqueViolation } from '../db/errors.js';
import { ValidationError } from '../web/errors.js';
import { findSignupRecipient, insertCompany, markEmailVerified, taxIdTaken } from './queries.js';
import type { SignupInput } from './schemas.js';
import { TAX_ID_NAMES } from './tax-id.js';

const HOUR_MS = 3600_000;

/**
 * Registers a company with its administrator and mails the verification link. Limited per IP and per address
 * (TooManyAttemptsError). A tax id already registered in the country is a ValidationError; an address that
 * already has an account gets the same answer as a new one, and its owner a notice instead of a link — the
 * form never tells whether an address has an account. Mail goes after the response, so both take as long.
 */
export async function signUp(
  deps: AccountLinkDeps,
  input: SignupInput,
  context: { ip: string; locale: string },
): Promise<void> {
  const { db, config } = deps;
  await limitAttempts(db, deps.clock(), [
    {
      bucket: 'signup-ip',
      key: context.ip,
      limit: config.SIGNUPS_PER_HOUR_PER_IP,
      windowMs: HOUR_MS,
      messageKey: 'signup.errors.tooMany',
    },
    {
      bucket: 'signup-email',
      key: input.email,
      limit: config.SIGNUPS_PER_HOUR_PER_EMAIL,
      windowMs: HOUR_MS,
      messageKey: 'signup.errors.tooMany',
    },
  ]);
  const taxIdProblem = new ValidationError({ taxId: 'signup.errors.taxIdTaken' }, 'signup.errors.taxIdTaken', {
    taxIdName: TAX_ID_NAMES[input.country],
  });
  if (await taxIdTaken(db, input)) throw taxIdProblem;
  // Hashed whether or not the account is created: both answers cost the same.
  const passwordHash = await hashPassword(input.password);
  const existing = await findSignupRecipient(db, input.email);
  if (existing) {
    afterResponse(deps, 'existing-account notice', () => sendExistingAccountNotice(deps, toRecipient(existing)));
    return;
  }
  try {
    const { company, admin } = await insertCompany(db, {
      ...input,
      passwordHash,
      locale: context.locale,
      timezone: timezoneFor(input.country),
    });
    afterResponse(deps, 'verification mail', () =>
      sendAccountLink(deps, toRecipient({ ...admin, company }), 'VERIFY_EMAIL'),
    );
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Someone registered the same tax id or address at the same moment.
    if (await taxIdTaken(db, input)) throw taxIdProblem;
  }
}

/**
 * Sends the verification link again (to an unverified, active account); the same answer for any address.
 * Limited per address and IP (TooManyAttemptsError).
 */
export async function resendVerification(deps: AccountLinkDeps, typedEmail: string, ip: string): Promise<string> {
  const email = normalizeEmail(typedEmail);
  await limitEmailSends(deps, { action: 'verify', email, ip, messageKey: 'signup.resend.tooMany' });
  if (!email) return email;
  const user = await findSignupRecipient(deps.db, email);
  if (user && !user.emailVerifiedAt && user.active)
    afterResponse(deps, 'verification mail', () => sendAccountLink(deps, toRecipient(user), 'VERIFY_EMAIL'));
  return email;
}

/** Follows a verification link: the address is proven. Throws InvalidLinkError. */
export async function verifyEmail(deps: AccountLinkDeps, token: string): Promise<string> {
  const now = deps.clock();
  const result = await deps.db.$transaction(async (tx) => {
    const check = await consumeToken(tx, token, ['VERIFY_EMAIL'], now);
    return check.ok ? { ok: true as const, email: await markEmailVerified(tx, check, now) } : check;
  });
  if (!result.ok) throw new InvalidLinkError(result.reason);
  return result.email;
}

const zones: Record<string, string> = {
  CO: 'America/Bogota',
  AR: 'America/Argentina/Buenos_Aires',
  EC: 'America/Guayaquil',
  MX: 'America/Mexico_City',
  PE: 'America/Lima',
  CL: 'America/Santiago',
};

/** The company's time zone from its country (America/Bogota otherwise); editable in the settings. */
export const timezoneFor = (country: string) => zones[country] ?? 'America/Bogota';
