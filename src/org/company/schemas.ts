import { z } from 'zod';
import { textField } from '../../web/fields.js';

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
  locale: z.enum(['es', 'en'], 'forms.invalidChoice'),
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
