// Forms and parameters of the notification pages: the log's filter, the company's channels, a person's preferences.
import { z } from 'zod';
import { toE164 } from '../web/phone.js';
import type { NotificationChannel } from '../generated/prisma/enums.js';
import { NotFoundError } from '../web/errors.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './events.js';
import { CHANNELS } from './settings.js';

export const STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export const statusFilter = z.enum(STATUSES).optional().catch(undefined);

/** A notification id from the URL (bigint), else 404. */
export function notificationId(value: unknown): bigint {
  if (typeof value !== 'string' || !/^\d{1,18}$/.test(value)) throw new NotFoundError();
  return BigInt(value);
}

const phoneOrEmpty = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === '') return null;
    const e164 = toE164(v, null);
    if (!e164) ctx.addIssue({ code: 'custom', message: 'notifications.channelsAdmin.invalidPhone' });
    return e164;
  });

export const channelsSchema = z.object({
  emailEnabled: z.boolean(),
  smsEnabled: z.boolean(),
  whatsappEnabled: z.boolean(),
  whatsappProvider: z.enum(['twilio', 'meta'], 'forms.invalidChoice'),
  twilioAccountSid: z
    .string()
    .trim()
    .refine((v) => v === '' || /^AC[0-9a-fA-F]{32}$/.test(v), 'notifications.channelsAdmin.invalidSid'),
  twilioAuthToken: z.string().trim().max(200, 'forms.tooLong'),
  twilioSmsFrom: phoneOrEmpty,
  twilioWhatsappFrom: phoneOrEmpty,
  metaPhoneNumberId: z
    .string()
    .trim()
    .max(40, 'forms.tooLong')
    .refine((v) => v === '' || /^\d+$/.test(v), 'forms.number'),
  metaAccessToken: z.string().trim().max(1000, 'forms.tooLong'),
  clearSecrets: z.boolean(),
});

export type ChannelsInput = z.output<typeof channelsSchema>;

const TEXT_FIELDS = [
  'whatsappProvider',
  'twilioAccountSid',
  'twilioAuthToken',
  'twilioSmsFrom',
  'twilioWhatsappFrom',
  'metaPhoneNumberId',
  'metaAccessToken',
] as const;
const BOX_FIELDS = ['emailEnabled', 'smsEnabled', 'whatsappEnabled', 'clearSecrets'] as const;

/** The channel form as posted: texts ('' when absent) and checkboxes (true when 'on'). */
export function channelFormValues(body: unknown): Record<string, string | boolean> {
  const src = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const values: Record<string, string | boolean> = {};
  for (const f of TEXT_FIELDS) values[f] = typeof src[f] === 'string' ? src[f] : '';
  for (const f of BOX_FIELDS) values[f] = src[f] === 'on';
  return values;
}

export interface PreferenceChoice {
  kind: NotificationKind;
  channel: NotificationChannel;
  enabled: boolean;
}

/** The grid of kinds × channels as posted: a box named "kind.CHANNEL" is on when 'on'. */
export function preferenceChoices(body: unknown): PreferenceChoice[] {
  const src = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return NOTIFICATION_KINDS.flatMap((kind) =>
    CHANNELS.map((channel) => ({ kind, channel, enabled: src[`${kind}.${channel}`] === 'on' })),
  );
}
