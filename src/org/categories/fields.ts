// Fields per category (issue 19): what a category's form asks besides title and description. The server validates
// the answers with a zod schema built from the definitions; a request stores each answer with a snapshot of the
// field's label and type, so a later change of the definition never breaks (or rewrites) an old request.
import { z } from 'zod';
import { isCalendarDate, optionalTextField, textField } from '../../web/fields.js';
import { ValidationError } from '../../web/errors.js';

export const FIELD_TYPES = ['TEXT', 'LONG_TEXT', 'NUMBER', 'DATE', 'LIST', 'YES_NO'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldDefinition {
  id: number;
  categoryId: number;
  label: string;
  type: FieldType;
  required: boolean;
  helpText: string | null;
  options: string[];
  position: number;
}

/** One answer as stored on the request: the field's label and type when it was answered, and the value. */
export interface FieldValue {
  fieldId: number;
  label: string;
  type: FieldType;
  value: string | number | boolean;
}

/** The form's input name of a field. */
export const fieldInputName = (fieldId: number) => `campo_${fieldId}`;

const NUMBER = /^-?\d{1,12}([.,]\d{1,6})?$/;

/** The schema of one field's answer ('' = not answered → null; a required one must be answered). */
function answerSchema(f: FieldDefinition): z.ZodType<string | number | boolean | null> {
  const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  const base = (() => {
    switch (f.type) {
      case 'TEXT':
        return textField(1, 200);
      case 'LONG_TEXT':
        return textField(1, 4000, { multiline: true });
      case 'NUMBER':
        return z
          .string()
          .trim()
          .refine((v) => NUMBER.test(v), { error: 'fields.errors.number' })
          .transform((v) => Number(v.replace(',', '.')));
      case 'DATE':
        return z.string().trim().refine(isCalendarDate, { error: 'forms.invalidDate' });
      case 'LIST':
        return z.string().refine((v) => f.options.includes(v), { error: 'forms.invalidChoice' });
      case 'YES_NO':
        return z.enum(['yes', 'no'], { error: 'forms.invalidChoice' }).transform((v) => v === 'yes');
    }
  })() as z.ZodType<string | number | boolean>;
  return z.unknown().transform((v, ctx) => {
    if (blank(v)) {
      if (f.required) ctx.addIssue({ code: 'custom', message: 'validation.required' });
      return null;
    }
    const parsed = base.safeParse(Array.isArray(v) ? v.at(-1) : v);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'forms.invalidChoice' });
      return z.NEVER;
    }
    return parsed.data;
  });
}

/** The zod schema of a category's answers, keyed by input name (campo_<id>). */
export function fieldsSchema(definitions: readonly FieldDefinition[]) {
  return z.object(Object.fromEntries(definitions.map((f) => [fieldInputName(f.id), answerSchema(f)])));
}

/**
 * The answers of the posted form to the category's fields, as stored on the request (unanswered optional fields
 * are left out); a wrong or missing answer is a ValidationError keyed by the field's input name.
 */
export function parseFieldValues(definitions: readonly FieldDefinition[], body: unknown): FieldValue[] {
  const src = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const parsed = fieldsSchema(definitions).safeParse(
    Object.fromEntries(definitions.map((f) => [fieldInputName(f.id), src[fieldInputName(f.id)]])),
  );
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
    throw new ValidationError(fields);
  }
  const answers = parsed.data as Record<string, string | number | boolean | null>;
  return definitions.flatMap((f) => {
    const value = answers[fieldInputName(f.id)];
    return value === null || value === undefined ? [] : [{ fieldId: f.id, label: f.label, type: f.type, value }];
  });
}

/** The answers as one text for the full-text search (yes/no answers are not searched). */
export function fieldsText(values: readonly FieldValue[]): string | null {
  const words = values.filter((v) => typeof v.value !== 'boolean').map((v) => String(v.value));
  return words.length ? words.join(' ') : null;
}

/** The answers stored on a request (JSON of any age) as a list; anything unreadable is left out. */
export function storedFieldValues(json: unknown): FieldValue[] {
  if (!Array.isArray(json)) return [];
  return json.filter(
    (v): v is FieldValue =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as FieldValue).label === 'string' &&
      ['string', 'number', 'boolean'].includes(typeof (v as FieldValue).value),
  );
}

/** The admin's form of one field definition. */
export const FIELD_DEFINITION_FIELDS = ['label', 'type', 'required', 'helpText', 'options', 'position'] as const;

export const fieldDefinitionSchema = z
  .object({
    label: textField(1, 80),
    type: z.enum(FIELD_TYPES, { error: 'forms.invalidChoice' }),
    required: z.string().transform((v) => v === 'on'),
    helpText: optionalTextField(200),
    /** The options of a list, one a line. */
    options: optionalTextField(2000, { multiline: true }).transform((v) =>
      [...new Set((v ?? '').split(/\r?\n/).map((o) => o.trim()))].filter((o) => o.length > 0).slice(0, 50),
    ),
    position: z
      .string()
      .trim()
      .transform((v, ctx) => {
        if (!v) return 0;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 999) ctx.addIssue({ code: 'custom', message: 'forms.invalidChoice' });
        return n;
      }),
  })
  .refine((v) => v.type !== 'LIST' || v.options.length > 0, { path: ['options'], error: 'fields.errors.options' });

export type FieldDefinitionInput = z.output<typeof fieldDefinitionSchema>;
