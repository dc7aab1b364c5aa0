import { z } from 'zod';
import { nameField } from '../web/fields.js';
import { LANGUAGES } from '../web/i18n.js';
import { passwordProblem } from './password-policy.js';
import { toE164 } from '../web/phone.js';

/** A new password typed twice, checked against the policy (messages are i18n keys). */
export function newPasswordSchema(userInputs: string[]) {
  return z.object({ password: z.string().min(1, 'forms.required'), confirm: z.string() }).superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, userInputs);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: `password.${problem}` });
    else if (v.password !== v.confirm)
      ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'password.mismatch' });
  });
}

/** Optional phone: '' → null; otherwise must be a valid number (stored in E.164). */
export function phoneField(country: string) {
  return z
    .string()
    .trim()
    .max(40, 'forms.tooLong')
    .transform((v, ctx) => {
      if (!v) return null;
      const e164 = toE164(v, country);
      if (!e164) ctx.addIssue({ code: 'custom', message: 'forms.phone' });
      return e164;
    });
}

/** "Mi cuenta": name, phone (read in the company's country) and language. */
export function profileSchema(country: string) {
  return z.object({
    name: nameField,
    phone: phoneField(country),
    locale: z.enum(['', ...LANGUAGES], 'forms.invalidChoice'),
  });
}

export type ProfileInput = z.output<ReturnType<typeof profileSchema>>;

/** An address typed on a public form (forgotten password, resend verification); '' when unreadable. */
export const typedEmailSchema = z.object({ email: z.string().trim().max(254) });
