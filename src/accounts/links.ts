import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { TokenPurpose } from '../generated/prisma/client.js';
import { composeMail, type MailKind } from '../mail/index.js';
import type { Mailer } from '../mail/index.js';
import { issueToken } from './tokens.js';

export interface AccountLinkDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
  logger: Logger;
  clock: () => Date;
}

export interface LinkRecipient {
  id: number;
  companyId: number;
  email: string;
  name: string;
  locale: string | null;
  companyName: string;
  companyLocale?: string | null;
}

const kinds: Record<TokenPurpose, { mail: MailKind; path: string }> = {
  VERIFY_EMAIL: { mail: 'verify', path: '/verificar/' },
  INVITATION: { mail: 'invitation', path: '/clave/' },
  PASSWORD_RESET: { mail: 'reset', path: '/clave/' },
  ACCOUNT_UNLOCK: { mail: 'unlock', path: '/desbloquear/' },
};

/** How long an unlock link works (the lock itself lifts an hour after the failures stop). */
const UNLOCK_TOKEN_MS = 24 * 3600_000;

export function tokenTtlMs(config: Config, purpose: TokenPurpose): number {
  if (purpose === 'VERIFY_EMAIL') return config.VERIFICATION_TOKEN_HOURS * 3600_000;
  if (purpose === 'INVITATION') return config.INVITATION_TOKEN_HOURS * 3600_000;
  if (purpose === 'ACCOUNT_UNLOCK') return UNLOCK_TOKEN_MS;
  return config.PASSWORD_RESET_TOKEN_MINUTES * 60_000;
}

/**
 * Issues a single-use link for a person and emails it in their language.
 * Returns false (and logs) when the message could not be sent; the link can be sent again.
 */
export async function sendAccountLink(
  deps: AccountLinkDeps,
  to: LinkRecipient,
  purpose: TokenPurpose,
  invitedBy?: string,
): Promise<boolean> {
  const token = await issueToken(deps.db, {
    companyId: to.companyId,
    userId: to.id,
    purpose,
    ttlMs: tokenTtlMs(deps.config, purpose),
    now: deps.clock(),
  });
  const { mail, path } = kinds[purpose];
  const ttl = tokenTtlMs(deps.config, purpose);
  try {
    const message = await composeMail({
      kind: mail,
      to: to.email,
      lang: to.locale ?? to.companyLocale,
      url: `${deps.config.appUrl}${path}${token}`,
      params: {
        name: to.name,
        company: to.companyName,
        invitedBy: invitedBy ?? '',
        hours: Math.round(ttl / 3600_000),
        minutes: Math.round(ttl / 60_000),
      },
    });
    await deps.mailer.send(message);
    return true;
  } catch (err) {
    deps.logger.error({ err, to: to.email, purpose }, 'could not send account email');
    return false;
  }
}

/**
 * Tells the owner of an address that someone tried to register a company with it (no link of any power:
 * the page to sign in or recover the password). Returns false (and logs) when it could not be sent.
 */
export async function sendExistingAccountNotice(deps: AccountLinkDeps, to: LinkRecipient): Promise<boolean> {
  try {
    const message = await composeMail({
      kind: 'existingAccount',
      to: to.email,
      lang: to.locale ?? to.companyLocale,
      url: `${deps.config.appUrl}/clave/olvido`,
      params: { name: to.name, company: to.companyName },
    });
    await deps.mailer.send(message);
    return true;
  } catch (err) {
    deps.logger.error({ err, to: to.email }, 'could not send the existing-account notice');
    return false;
  }
}

/** The recipient fields of a user row loaded with its company. */
export const recipientSelect = {
  id: true,
  companyId: true,
  email: true,
  name: true,
  locale: true,
  company: { select: { name: true, locale: true } },
} as const;

export function toRecipient(u: {
  id: number;
  companyId: number;
  email: string;
  name: string;
  locale: string | null;
  company: { name: string; locale: string };
}): LinkRecipient {
  return {
    id: u.id,
    companyId: u.companyId,
    email: u.email,
    name: u.name,
    locale: u.locale,
    companyName: u.company.name,
    companyLocale: u.company.locale,
  };
}
