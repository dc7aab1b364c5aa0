import { z } from 'zod';
import { optionalIdField, optionalTextField, textField } from '../../web/fields.js';
import { LANGUAGES } from '../../web/i18n.js';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
/** Latin-American zones first (the product's users), then the rest. */
export const ORDERED_ZONES = [
  ...TIME_ZONES.filter((z) => z.startsWith('America/')),
  'UTC',
  ...TIME_ZONES.filter((z) => !z.startsWith('America/') && z !== 'UTC'),
];

export const SETTINGS_FIELDS = ['name', 'timezone', 'locale', 'reopenDays'] as const;

export const settingsSchema = z.object({
  name: textField(2, 160),
  timezone: z.string().refine((v) => ORDERED_ZONES.includes(v), 'forms.invalidChoice'),
  locale: z.enum(LANGUAGES, 'forms.invalidChoice'),
  // "¿Quedó resuelto?": from one day to three months; left out (an older form), the setting is kept.
  reopenDays: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : v),
    z.coerce
      .number('forms.invalidChoice')
      .int('forms.invalidChoice')
      .min(1, 'forms.invalidChoice')
      .max(90, 'forms.invalidChoice')
      .optional(),
  ),
});

export type SettingsInput = z.output<typeof settingsSchema>;

/** Addresses of the app a portal's slug may not take (paths and words that would mislead). */
export const RESERVED_SLUGS = new Set([
  'admin',
  'api',
  'app',
  'ayuda',
  'estado',
  'login',
  'logout',
  'p',
  'portal',
  'registro',
  'soporte',
  'static',
  'solicitud',
  'solicitudes',
  'support',
  'www',
]);

export const PORTAL_FIELDS = ['portalEnabled', 'portalSlug', 'portalIntro', 'portalIntakeApproverId'] as const;

/** The portal's fieldset: on/off, the address /p/<slug> (3–40 lowercase letters, digits, hyphens), intro, approver. */
export const portalSettingsSchema = z
  .object({
    portalEnabled: z.string().transform((v) => v === 'on'),
    portalSlug: z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => v === '' || /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/.test(v), { error: 'portal.admin.badSlug' })
      .refine((v) => !RESERVED_SLUGS.has(v), { error: 'portal.admin.reservedSlug' })
      .transform((v) => (v === '' ? null : v)),
    portalIntro: optionalTextField(2000, { multiline: true }),
    portalIntakeApproverId: optionalIdField,
  })
  .refine((v) => !v.portalEnabled || v.portalSlug !== null, { path: ['portalSlug'], error: 'validation.required' });

export type PortalSettingsInput = z.output<typeof portalSettingsSchema>;
