import { z } from 'zod';
import { emailField, optionalIdField, textField } from '../web/fields.js';

export const SSO_FIELDS = [
  'providerName',
  'issuerUrl',
  'clientId',
  'clientSecret',
  'domains',
  'createUnknown',
  'newPeopleUnitId',
  'required',
] as const;

const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const ssoSettingsSchema = z.object({
  providerName: textField(2, 60),
  issuerUrl: z.url({ protocol: /^https?$/, error: 'sso.issuerInvalid' }).max(500, 'sso.issuerInvalid'),
  clientId: textField(1, 200),
  /** Empty keeps the stored secret. */
  clientSecret: z.string().max(500, 'forms.tooLong'),
  domains: z
    .string()
    .transform((v) => [
      ...new Set(
        v
          .toLowerCase()
          .split(/[\s,;]+/)
          .map((d) => d.replace(/^@/, ''))
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().regex(DOMAIN, 'sso.domainInvalid')).min(1, 'sso.domainsRequired').max(20)),
  createUnknown: z
    .string()
    .optional()
    .transform((v) => v === 'on'),
  newPeopleUnitId: optionalIdField,
  required: z
    .string()
    .optional()
    .transform((v) => v === 'on'),
});

export type SsoSettingsInput = z.output<typeof ssoSettingsSchema>;

export const emailStepSchema = z.object({ email: emailField, next: z.string().optional() });

export const callbackSchema = z.object({
  state: z.string().max(500).optional(),
  code: z.string().max(2000).optional(),
});
