import { z } from 'zod';
import { textField } from '../../web/fields.js';
import { LANGUAGES } from '../../web/i18n.js';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
/** Latin-American zones first (the product's users), then the rest. */
export const ORDERED_ZONES = [
  ...TIME_ZONES.filter((z) => z.startsWith('America/')),
  'UTC',
  ...TIME_ZONES.filter((z) => !z.startsWith('America/') && z !== 'UTC'),
];

export const SETTINGS_FIELDS = ['name', 'timezone', 'locale'] as const;

export const settingsSchema = z.object({
  name: textField(2, 160),
  timezone: z.string().refine((v) => ORDERED_ZONES.includes(v), 'forms.invalidChoice'),
  locale: z.enum(LANGUAGES, 'forms.invalidChoice'),
});

export type SettingsInput = z.output<typeof settingsSchema>;
