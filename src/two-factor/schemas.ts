import { z } from 'zod';
import { TWO_FACTOR_RULES } from './policy.js';

/** A code typed by a person: six digits of the app or a recovery code (checked by the use case). */
export const codeSchema = z.object({
  code: z.string().trim().min(1, 'twoFactor.wrongCode').max(20, 'twoFactor.wrongCode'),
});

export const ruleSchema = z.object({ rule: z.enum(TWO_FACTOR_RULES, 'forms.invalidChoice') });
