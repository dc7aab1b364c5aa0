// Proving a phone number before SMS or WhatsApp go to it: a 6-digit code sent by SMS through
// the company's (or the platform's) Twilio account. Only an HMAC of the code is stored (keyed
// with the server's secret, bound to the person and the number), it expires, a few wrong
// attempts void it, and a new one can be asked for only after a short wait.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { sendTwilio } from '../notifications/index.js';
import { providersFor } from '../notifications/index.js';
import { ValidationError } from '../web/errors.js';
import { deleteCode, findPendingCode, findPhone, markPhoneVerified, saveCode, spendAttempt } from './queries.js';
import { translator, isLanguage } from '../web/i18n.js';

export const CODE_TTL_MINUTES = 10;
export const MAX_ATTEMPTS = 5;
export const RESEND_AFTER_SECONDS = 60;

export interface PhoneVerificationDeps {
  db: Db;
  config: Config;
  clock: () => Date;
}

interface Who {
  companyId: number;
  userId: number;
}

function codeHash(config: Config, who: Who, phone: string, code: string): string {
  return createHmac('sha256', config.SESSION_SECRET)
    .update(`phone-code:${who.companyId}:${who.userId}:${phone}:${code}`)
    .digest('hex');
}

/** Why a code was not sent or not accepted: a ValidationError of the `code` field (message key and params). */
const refused = (messageKey: string, params: Record<string, string | number> = {}) =>
  new ValidationError({ code: messageKey }, messageKey, params);

export interface PhoneState {
  phone: string | null;
  verifiedAt: Date | null;
  pending: { phone: string; expiresAt: Date } | null;
}

/** The verification state shown on "Mi cuenta". */
export async function phoneStatus(db: Db, who: Who): Promise<PhoneState> {
  const [user, pending] = await Promise.all([findPhone(db, who), findPendingCode(db, who)]);
  return phoneStateOf(user, pending);
}

/** The phone's state on "Mi cuenta": verified or not, and the code waiting for it (not one sent to an older number). */
export function phoneStateOf(
  user: { phone: string | null; phoneVerifiedAt: Date | null },
  pending: { phone: string; expiresAt: Date } | null,
): PhoneState {
  return {
    phone: user.phone,
    verifiedAt: user.phoneVerifiedAt,
    pending: pending && pending.phone === user.phone ? { phone: pending.phone, expiresAt: pending.expiresAt } : null,
  };
}

/** Sends a new code by SMS to the person's phone (replacing any earlier code). */
export async function sendPhoneCode(
  { db, config, clock }: PhoneVerificationDeps,
  who: Who,
  lang: string,
): Promise<void> {
  const user = await findPhone(db, who);
  if (!user.phone) throw refused('phoneVerification.noPhone');
  if (user.phoneVerifiedAt) throw refused('phoneVerification.alreadyVerified');
  const now = clock();
  const last = await findPendingCode(db, who);
  const wait = last ? Math.ceil(RESEND_AFTER_SECONDS - (now.getTime() - last.sentAt.getTime()) / 1000) : 0;
  if (wait > 0) throw refused('phoneVerification.wait', { seconds: wait });
  const { twilio } = await providersFor(db, config, who.companyId);
  if (!twilio?.smsFrom) throw refused('phoneVerification.noProvider');

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const data = {
    phone: user.phone,
    codeHash: codeHash(config, who, user.phone, code),
    attempts: 0,
    expiresAt: new Date(now.getTime() + CODE_TTL_MINUTES * 60_000),
    sentAt: now,
  };
  await saveCode(db, who, data);
  const t = translator(isLanguage(lang) ? lang : 'es');
  try {
    await sendTwilio(
      twilio,
      { to: user.phone, from: twilio.smsFrom, body: t('phoneVerification.sms', { code, minutes: CODE_TTL_MINUTES }) },
      config.PROVIDER_TIMEOUT_MS,
    );
  } catch {
    // Not sent: no code stands, and the person may ask again at once.
    await deleteCode(db, who);
    throw refused('phoneVerification.sendFailed');
  }
}

/** Checks a code; on success the phone it was sent to is marked verified and the code is spent. */
export async function confirmPhoneCode(
  { db, config, clock }: PhoneVerificationDeps,
  who: Who,
  code: string,
): Promise<void> {
  const [user, pending] = await Promise.all([findPhone(db, who), findPendingCode(db, who)]);
  if (!pending || pending.phone !== user.phone) throw refused('phoneVerification.noCode');
  if (pending.expiresAt <= clock()) throw refused('phoneVerification.expired');
  if (pending.attempts >= MAX_ATTEMPTS) throw refused('phoneVerification.tooManyAttempts');
  // Each try spends an attempt first (a conditional update), so parallel guesses cannot exceed the limit.
  if (!(await spendAttempt(db, who, MAX_ATTEMPTS))) throw refused('phoneVerification.tooManyAttempts');
  const expected = Buffer.from(pending.codeHash, 'hex');
  const given = Buffer.from(codeHash(config, who, pending.phone, code.trim()), 'hex');
  if (!/^\d{6}$/.test(code.trim()) || !timingSafeEqual(expected, given)) {
    const left = MAX_ATTEMPTS - pending.attempts - 1;
    throw left > 0
      ? refused('phoneVerification.wrongCode', { count: left })
      : refused('phoneVerification.tooManyAttempts');
  }
  await markPhoneVerified(db, who, pending.phone, clock());
}
