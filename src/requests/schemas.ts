import { z } from 'zod';
import { emailField, idField, optionalIdField, optionalTextField, textField } from '../web/fields.js';
import { ratingField } from '../satisfaction/index.js';
import { HOLD_REASONS } from './lifecycle.js';

export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;

const text = (min: number, max: number) => textField(min, max, { multiline: true });
const id = idField;

/** The "Nueva solicitud" form. Error messages are i18n keys resolved by the view. */
export const newRequestSchema = z.object({
  serviceAreaId: id,
  categoryId: id,
  title: textField(5, 120),
  description: text(10, 4000),
  priority: z.enum(PRIORITIES, { error: 'validation.required' }),
  location: optionalTextField(120),
});
export type NewRequestInput = z.infer<typeof newRequestSchema>;

export const reasonSchema = z.object({ reason: text(5, 2000) });
export const commentSchema = z.object({
  comment: optionalTextField(2000, { multiline: true }).transform((v) => v ?? ''),
});
export const approveSchema = z.object({ workerId: id, instructions: text(5, 4000) });
export const reassignSchema = z.object({
  workerId: id,
  comment: optionalTextField(2000, { multiline: true }).transform((v) => v ?? ''),
});
export const finishSchema = z.object({ resolution: text(5, 4000) });
/** "Poner en espera": why, and a note (required when the reason is "otro"). */
export const holdSchema = z
  .object({
    reason: z.enum(HOLD_REASONS, { error: 'validation.required' }),
    note: optionalTextField(500, { multiline: true }),
  })
  .refine((v) => v.reason !== 'OTHER' || v.note !== null, { path: ['note'], error: 'requests.errors.holdNote' });

/** "Sí, quedó resuelto": an optional rating (1–5) and comment (the satisfaction survey's answer). */
export const confirmSchema = z.object({
  rating: z.preprocess((v) => (v === '' || v === undefined ? null : v), ratingField.nullable()),
  comment: optionalTextField(1000, { multiline: true }),
});

/** Zod schema of each action's form (the pages' and the API's). */
export const actionSchemas = {
  authorize: commentSchema,
  reject: reasonSchema,
  cancel: reasonSchema,
  approve: approveSchema,
  start: commentSchema,
  finish: finishSchema,
  reassign: reassignSchema,
  hold: holdSchema,
  resume: commentSchema,
  confirm: confirmSchema,
  reopen: reasonSchema,
} as const;

/** "Enviar a otra área": a category of another area (the area: the category's, or given), a priority, and why. */
export const rerouteSchema = z.object({
  serviceAreaId: optionalIdField.optional().transform((v) => v ?? null),
  categoryId: id,
  priority: z.enum(PRIORITIES).optional().catch(undefined),
  reason: text(5, 2000),
});
export type RerouteInput = z.infer<typeof rerouteSchema>;

/** "Corregir categoría y prioridad" (the reason is optional). */
export const correctSchema = z.object({
  categoryId: id,
  priority: z.enum(PRIORITIES, { error: 'validation.required' }),
  reason: optionalTextField(2000, { multiline: true }),
});
export type CorrectInput = z.infer<typeof correctSchema>;

/** The requester's edit; `version` is the request's updated_at when the form was drawn (ISO instant). */
export const editSchema = z.object({
  title: textField(5, 120),
  description: text(10, 4000),
  location: optionalTextField(120),
  version: z
    .string()
    .max(40)
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/, 'validation.invalid')
    .transform((v) => new Date(v))
    .refine((d) => !Number.isNaN(d.getTime()), 'validation.invalid'),
});
export type EditInput = z.infer<typeof editSchema>;

/** Adding a follower: a colleague by email. */
export const followerSchema = z.object({ email: emailField });
