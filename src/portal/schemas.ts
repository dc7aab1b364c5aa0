import { z } from 'zod';
import { emailField, idField, nameField, optionalTextField, textField } from '../web/fields.js';
import { parseRequestNumber } from '../requests/index.js';

/** The unit field's value for "No sé" (the intake approver receives the request). */
export const UNKNOWN_UNIT = 'no-se';

export const GUEST_FIELDS = [
  'name',
  'email',
  'phone',
  'unitId',
  'serviceAreaId',
  'categoryId',
  'title',
  'description',
  'location',
  'website',
] as const;

/** The guest's request form (the category's fields are checked against its definitions by the use case). */
export const guestRequestSchema = z.object({
  name: nameField,
  email: emailField,
  phone: optionalTextField(40).refine((v) => v === null || /^[+\d][\d ()-]{5,39}$/.test(v), {
    error: 'portal.errors.phone',
  }),
  /** A unit of the company, or null for "No sé". */
  unitId: z.union([z.literal(UNKNOWN_UNIT).transform(() => null), idField]),
  serviceAreaId: idField,
  categoryId: idField,
  title: textField(5, 120),
  description: textField(10, 4000, { multiline: true }),
  location: optionalTextField(120),
  /** The honeypot: a field people never see; anything typed in it is a robot's. */
  website: z.string(),
});
export type GuestRequestForm = z.output<typeof guestRequestSchema>;
export type GuestRequestInput = Omit<GuestRequestForm, 'website'>;

export const STATUS_FIELDS = ['number', 'email', 'website'] as const;

/** "Ver el estado de mi solicitud": the request's number (SOL-000123 or 123) and the email it was sent from. */
export const statusLookupSchema = z.object({
  number: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const n = parseRequestNumber(v);
      if (n === undefined || n === 0) ctx.addIssue({ code: 'custom', message: 'portal.errors.number' });
      return n ?? 0;
    }),
  email: emailField,
  website: z.string(),
});
export type StatusLookupInput = Omit<z.output<typeof statusLookupSchema>, 'website'>;

export const replySchema = z.object({ body: textField(2, 4000, { multiline: true }) });

/** A poster: the location's name and a few words of instructions. */
export const posterSchema = z.object({
  location: textField(2, 120),
  instructions: optionalTextField(300, { multiline: true }),
});
