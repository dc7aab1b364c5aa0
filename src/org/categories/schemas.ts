import { z } from 'zod';
import { idField, nameField, optionalTextField } from '../../web/fields.js';

export const CATEGORY_FIELDS = [
  'name',
  'serviceAreaId',
  'responseHours',
  'resolutionHours',
  'description',
  'active',
  'noAuthorization',
] as const;

/** A target in working hours: blank (no target), or 1 to a year. */
const targetHours = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (!v) return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 8760) ctx.addIssue({ code: 'custom', message: 'admin.categories.badSla' });
    return n;
  });

export const categorySchema = z.object({
  name: nameField,
  serviceAreaId: idField,
  responseHours: targetHours,
  resolutionHours: targetHours,
  description: optionalTextField(500, { multiline: true }),
  active: z.string().transform((v) => v === 'on'),
  /** Checked: "No requiere autorización de la unidad" (authorized on submit). */
  noAuthorization: z.string().transform((v) => v === 'on'),
});

export type CategoryInput = z.output<typeof categorySchema>;
