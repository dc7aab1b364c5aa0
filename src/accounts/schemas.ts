import { z } from 'zod';
import { passwordProblem } from './password-policy.js';

/** A new password typed twice, checked against the policy (messages are i18n keys). */
export function newPasswordSchema(userInputs: string[]) {
  return z.object({ password: z.string().min(1, 'forms.required'), confirm: z.string() }).superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, userInputs);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: `password.${problem}` });
    else if (v.password !== v.confirm)
      ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'password.mismatch' });
  });
}
