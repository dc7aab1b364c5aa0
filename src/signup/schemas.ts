import { z } from 'zod';
import { emailField, nameField } from '../web/fields.js';
import { passwordProblem } from '../accounts/index.js';
import { toE164 } from '../web/phone.js';
import { normalizeTaxId, SIGNUP_COUNTRIES } from './tax-id.js';

export const SIGNUP_FIELDS = [
  'companyName',
  'country',
  'taxId',
  'adminName',
  'email',
  'phone',
  'password',
  'terms',
] as const;

const baseSchema = z.object({
  companyName: z.string().trim().min(2, 'forms.nameShort').max(160, 'forms.tooLong'),
  country: z.enum(SIGNUP_COUNTRIES, 'signup.errors.country'),
  taxId: z.string().trim().min(1, 'forms.required').max(40, 'forms.tooLong'),
  adminName: nameField,
  email: emailField,
  phone: z.string().trim().min(1, 'forms.required').max(40, 'forms.tooLong'),
  password: z.string().min(1, 'forms.required'),
  terms: z.literal('on', 'signup.errors.terms'),
});

export type SignupInput = z.output<typeof baseSchema>;

/**
 * Checks the signup form; every field is checked even when others are wrong (messages are
 * i18n keys). The result carries the compact tax id and the E.164 phone.
 */
export function parseSignup(
  values: Record<string, string>,
): { ok: true; data: SignupInput } | { ok: false; issues: { field: string; key: string }[] } {
  const base = baseSchema.safeParse(values);
  const issues = base.success ? [] : base.error.issues.map((i) => ({ field: String(i.path[0]), key: i.message }));
  const has = (f: string) => issues.some((i) => i.field === f);
  const country = (SIGNUP_COUNTRIES as readonly string[]).includes(values.country ?? '')
    ? (values.country as (typeof SIGNUP_COUNTRIES)[number])
    : null;
  const taxId = country && !has('taxId') ? normalizeTaxId(country, values.taxId ?? '') : null;
  if (country && !has('taxId') && !taxId)
    issues.push({
      field: 'taxId',
      key: country === 'ZZ' ? 'signup.errors.taxIdOther' : `signup.errors.taxId.${country}`,
    });
  const phone = !has('phone') ? toE164(values.phone ?? '', country) : null;
  if (!has('phone') && !phone) issues.push({ field: 'phone', key: 'forms.phone' });
  const problem = !has('password')
    ? passwordProblem(values.password ?? '', [values.adminName ?? '', values.email ?? '', values.companyName ?? ''])
    : null;
  if (problem) issues.push({ field: 'password', key: `password.${problem}` });
  if (!base.success || issues.length) return { ok: false, issues };
  return { ok: true, data: { ...base.data, taxId: taxId!, phone: phone! } };
}

/** "Resend the verification link": the address as typed. */
export const resendSchema = z.object({ email: z.string().trim().max(254) });
