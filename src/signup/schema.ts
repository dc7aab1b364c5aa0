import { z } from 'zod';
import { passwordProblem } from '../accounts/password-policy.js';
import { toE164 } from '../accounts/phone.js';
import { normalizeTaxId, SIGNUP_COUNTRIES } from './tax-id.js';

export const SIGNUP_FIELDS = ['companyName', 'country', 'taxId', 'adminName', 'email', 'phone', 'password', 'terms'] as const;

export const emailField = z.string().trim().toLowerCase().min(1, 'forms.required').max(254, 'forms.tooLong').pipe(z.email('forms.email'));
export const nameField = z.string().trim().min(2, 'forms.nameShort').max(120, 'forms.tooLong');

/** Signup form: messages are i18n keys; the result carries the normalized tax id and E.164 phone. */
export const signupSchema = z
  .object({
    companyName: z.string().trim().min(2, 'forms.nameShort').max(160, 'forms.tooLong'),
    country: z.enum(SIGNUP_COUNTRIES, 'signup.errors.country'),
    taxId: z.string().trim().min(1, 'forms.required').max(40, 'forms.tooLong'),
    adminName: nameField,
    email: emailField,
    phone: z.string().trim().min(1, 'forms.required').max(40, 'forms.tooLong'),
    password: z.string().min(1, 'forms.required'),
    terms: z.literal('on', 'signup.errors.terms'),
  })
  .transform((v, ctx) => {
    const taxId = normalizeTaxId(v.country, v.taxId);
    if (!taxId) ctx.addIssue({ code: 'custom', path: ['taxId'], message: v.country === 'ZZ' ? 'signup.errors.taxIdOther' : `signup.errors.taxId.${v.country}` });
    const phone = toE164(v.phone, v.country);
    if (!phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'forms.phone' });
    const problem = passwordProblem(v.password, [v.adminName, v.email, v.companyName]);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: `password.${problem}` });
    return { ...v, taxId: taxId ?? '', phone: phone ?? '' };
  });

export type SignupInput = z.output<typeof signupSchema>;
