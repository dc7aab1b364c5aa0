// Which channels a company allows, a person's preferences, and the provider credentials
// to use (the company's own, decrypted, or the platform's from configuration).
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { NotificationChannel } from '../generated/prisma/enums.js';
import { decryptSecret } from './crypto.js';
import { PermanentDeliveryError } from './channels/errors.js';
import type { MetaCredentials } from './channels/meta.js';
import type { TwilioCredentials } from './channels/twilio.js';
import type { NotificationKind } from './events.js';

export const CHANNELS: readonly NotificationChannel[] = ['EMAIL', 'SMS', 'WHATSAPP'];

/** Email is on unless the person turns it off; SMS and WhatsApp are opt-in. */
export const DEFAULT_PREFERENCE: Record<NotificationChannel, boolean> = { EMAIL: true, SMS: false, WHATSAPP: false };

export type CompanyChannels = Record<NotificationChannel, boolean>;

export async function companyChannels(db: Db, companyId: number): Promise<CompanyChannels> {
  const s = await db.companyNotificationSettings.findUnique({
    where: { companyId },
    select: { emailEnabled: true, smsEnabled: true, whatsappEnabled: true },
  });
  return { EMAIL: s?.emailEnabled ?? true, SMS: s?.smsEnabled ?? false, WHATSAPP: s?.whatsappEnabled ?? false };
}

/**
 * prefs of several people: "userId:kind:channel" → enabled (only the choices that differ from the default are stored).
 */
export async function preferencesOf(db: Db, companyId: number, userIds: number[]): Promise<Map<string, boolean>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.notificationPreference.findMany({
    where: { companyId, userId: { in: userIds } },
    select: { userId: true, kind: true, channel: true, enabled: true },
  });
  return new Map(rows.map((r) => [`${r.userId}:${r.kind}:${r.channel}`, r.enabled]));
}

export function wants(
  prefs: Map<string, boolean>,
  userId: number,
  kind: NotificationKind,
  channel: NotificationChannel,
): boolean {
  return prefs.get(`${userId}:${kind}:${channel}`) ?? DEFAULT_PREFERENCE[channel];
}

export interface Providers {
  twilio: (TwilioCredentials & { smsFrom: string | null; whatsappFrom: string | null }) | null;
  meta: MetaCredentials | null;
  whatsappProvider: 'twilio' | 'meta';
}

/** The company's own credentials when it saved them, else the platform's. */
export async function providersFor(db: Db, config: Config, companyId: number): Promise<Providers> {
  const s = await db.companyNotificationSettings.findUnique({ where: { companyId } });
  const secret = (enc: string | null | undefined) => {
    if (!enc) return null;
    if (!config.ENCRYPTION_KEY)
      throw new PermanentDeliveryError('ENCRYPTION_KEY is not configured: the company credentials cannot be read');
    return decryptSecret(config.ENCRYPTION_KEY, enc);
  };
  const companyTwilio = s?.twilioAccountSid && s.twilioAuthTokenEnc;
  const twilio = companyTwilio
    ? {
        baseUrl: config.TWILIO_BASE_URL,
        accountSid: s.twilioAccountSid!,
        authToken: secret(s.twilioAuthTokenEnc)!,
        smsFrom: s.twilioSmsFrom,
        whatsappFrom: s.twilioWhatsappFrom,
      }
    : config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
      ? {
          baseUrl: config.TWILIO_BASE_URL,
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          smsFrom: config.TWILIO_SMS_FROM ?? null,
          whatsappFrom: config.TWILIO_WHATSAPP_FROM ?? null,
        }
      : null;
  const companyMeta = s?.metaPhoneNumberId && s.metaAccessTokenEnc;
  const meta = companyMeta
    ? {
        baseUrl: config.META_WHATSAPP_BASE_URL,
        phoneNumberId: s.metaPhoneNumberId!,
        accessToken: secret(s.metaAccessTokenEnc)!,
      }
    : config.META_WHATSAPP_PHONE_NUMBER_ID && config.META_WHATSAPP_ACCESS_TOKEN
      ? {
          baseUrl: config.META_WHATSAPP_BASE_URL,
          phoneNumberId: config.META_WHATSAPP_PHONE_NUMBER_ID,
          accessToken: config.META_WHATSAPP_ACCESS_TOKEN,
        }
      : null;
  const whatsappProvider =
    companyTwilio || companyMeta ? ((s!.whatsappProvider as 'twilio' | 'meta') ?? 'twilio') : config.WHATSAPP_PROVIDER;
  return { twilio, meta, whatsappProvider };
}
