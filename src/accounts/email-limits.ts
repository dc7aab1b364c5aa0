import { limitAttempts } from '../auth/index.js';
import type { AccountLinkDeps } from './links.js';

const HOUR_MS = 3600_000;

/**
 * Pages that send an email to an address typed by anyone (forgotten password, resend verification) are limited
 * per address and per IP, per hour, in PostgreSQL (every process counts together). Throws TooManyAttemptsError.
 */
export async function limitEmailSends(
  deps: Pick<AccountLinkDeps, 'db' | 'config' | 'clock'>,
  what: { action: 'reset' | 'verify'; email: string; ip: string; messageKey: string },
): Promise<void> {
  const perAddress = deps.config.ACCOUNT_EMAILS_PER_HOUR;
  await limitAttempts(deps.db, deps.clock(), [
    {
      bucket: `${what.action}-ip`,
      key: what.ip,
      limit: perAddress * 4,
      windowMs: HOUR_MS,
      messageKey: what.messageKey,
    },
    {
      bucket: `${what.action}-email`,
      key: what.email,
      limit: perAddress,
      windowMs: HOUR_MS,
      messageKey: what.messageKey,
    },
  ]);
}
