import type { TFunction } from 'i18next';
import { z } from 'zod';

export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, { error: `min:${min}` })
    .max(max, { error: `max:${max}` });
const id = z.coerce.number({ error: 'required' }).int({ error: 'required' }).positive({ error: 'required' });

/** The "Nueva solicitud" form. Error messages are i18n keys resolved by the view. */
export const newRequestSchema = z.object({
  serviceAreaId: id,
  categoryId: id,
  title: text(5, 120),
  description: text(10, 4000),
  priority: z.enum(PRIORITIES, { error: 'required' }),
  location: z
    .string()
    .trim()
    .max(120, { error: 'max:120' })
    .optional()
    .transform((v) => (v ? v : null)),
});
export type NewRequestInput = z.infer<typeof newRequestSchema>;

export const reasonSchema = z.object({ reason: text(5, 2000) });
export const commentSchema = z.object({ comment: z.string().trim().max(2000, { error: 'max:2000' }).default('') });
export const approveSchema = z.object({ workerId: id, instructions: text(5, 4000) });
export const reassignSchema = z.object({
  workerId: id,
  comment: z.string().trim().max(2000, { error: 'max:2000' }).default(''),
});
export const finishSchema = z.object({ resolution: text(5, 4000) });

/** Field → translated message of its first error (the messages above carry the limit). */
export function fieldErrors(error: z.ZodError, t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (out[field]) continue;
    const [kind, n] = issue.message.split(':');
    out[field] =
      kind === 'min'
        ? t('validation.min', { count: Number(n) })
        : kind === 'max'
          ? t('validation.max', { count: Number(n) })
          : t('validation.required');
  }
  return out;
}
