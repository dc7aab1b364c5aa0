import { z } from 'zod';
import { dateField, optionalIdField, textField } from '../web/fields.js';

export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const scopeList = z
  .union([z.enum(SCOPES), z.array(z.enum(SCOPES))])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** The "Nuevo token" form: a person's token (userId) or an integration's (scopes). */
export const newTokenSchema = z
  .object({
    name: textField(2, 80),
    kind: z.enum(['person', 'integration'], { error: 'validation.required' }),
    userId: optionalIdField,
    scopes: scopeList,
    expiresOn: z.union([z.literal('').transform(() => undefined), dateField]).optional(),
    rateLimit: z.coerce.number().int().min(1).max(100_000).default(600),
  })
  .refine((v) => v.kind !== 'person' || v.userId !== null, { path: ['userId'], error: 'validation.required' })
  .refine((v) => v.kind !== 'integration' || v.scopes.length > 0, {
    path: ['scopes'],
    error: 'apiTokens.errors.scopes',
  });
export type NewTokenInput = z.output<typeof newTokenSchema>;
