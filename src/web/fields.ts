// Shared field schemas and parameters: every form field and query parameter of the app is parsed with these
// (or with a schema built from them), so each rule — what an id, a date, an email or a text may be — exists once.
import type { TFunction } from 'i18next';
import { isValid, parseISO } from 'date-fns';
import { z } from 'zod';
import { NotFoundError } from './errors.js';

/** C0/C1 control characters other than tab, line feed and carriage return (NUL among them: PostgreSQL refuses it). */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
/** Single-line text refuses every control character. */
const CONTROL_SINGLE_LINE = /\p{Cc}/u;

export function hasControlCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL : CONTROL_SINGLE_LINE).test(value);
}

/**
 * Trimmed text between `min` and `max` characters without control characters. Messages are i18n keys;
 * `fieldErrors` passes the limit as `count`.
 */
export function textField(min: number, max: number, { multiline = false } = {}) {
  return z
    .string({ error: 'validation.required' })
    .trim()
    .min(min, { error: min <= 1 ? 'validation.required' : 'validation.min' })
    .max(max, { error: 'validation.max' })
    .refine((v) => !hasControlCharacters(v, multiline), { error: 'errors.controlCharacters' });
}

/** Optional text: '' (or absent) becomes null. */
export function optionalTextField(max: number, { multiline = false } = {}) {
  return z
    .string()
    .trim()
    .max(max, { error: 'validation.max' })
    .refine((v) => !hasControlCharacters(v, multiline), { error: 'errors.controlCharacters' })
    .optional()
    .transform((v) => (v ? v : null));
}

export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'forms.required')
  .max(254, 'forms.tooLong')
  .pipe(z.email('forms.email'));

export const nameField = textField(2, 120);

/** The largest id PostgreSQL's int4 holds. */
const MAX_ID = 2_147_483_647;

function toId(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value);
  if (!/^\d{1,10}$/.test(s)) return undefined;
  const n = Number(s);
  return n > 0 && n <= MAX_ID ? n : undefined;
}

/** A positive int4 id from the URL; anything else is a 404, like a missing record. */
export function idParam(value: unknown): number {
  const id = toId(value);
  if (id === undefined) throw new NotFoundError();
  return id;
}

/** A required id chosen in a form (a select). */
export const idField = z.unknown().transform((v, ctx) => {
  const id = toId(v);
  if (id === undefined) {
    ctx.addIssue({ code: 'custom', message: v === '' || v == null ? 'validation.required' : 'forms.invalidChoice' });
    return z.NEVER;
  }
  return id;
});

/** An optional id chosen in a form: '' or absent → null; anything that is not an id is an error. */
export const optionalIdField = z.unknown().transform((v, ctx) => {
  if (v === '' || v == null) return null;
  const id = toId(v);
  if (id === undefined) {
    ctx.addIssue({ code: 'custom', message: 'forms.invalidChoice' });
    return z.NEVER;
  }
  return id;
});

/** An id in a query string (a filter): anything malformed is ignored. */
export const idFilter = z
  .unknown()
  .transform((v) => toId(v))
  .catch(undefined);

/** yyyy-mm-dd that is a real calendar day between 2000 and 2100. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  if (year < 2000 || year > 2100) return false;
  const d = parseISO(value);
  return isValid(d) && d.toISOString().startsWith(value);
}

/** A calendar date in a form. */
export const dateField = z
  .string({ error: 'validation.required' })
  .trim()
  .refine(isCalendarDate, { error: 'forms.invalidDate' });

/** A calendar date in a query string (a filter): anything that isn't a real date is ignored. */
export const dateFilter = z.string().refine(isCalendarDate).optional().catch(undefined);

/**
 * Free search text from a query string: at most 100 characters (never half of one), only letters, digits and single
 * spaces, so no operator of a tsquery or wildcard of a LIKE pattern. Folding may still turn a letter into punctuation
 * (ʼ → ' in unaccent): the full-text search builds its query from PostgreSQL's own lexemes (conversation/search.ts).
 */
export const searchFilter = z
  .unknown()
  .transform((v) => {
    if (typeof v !== 'string') return undefined;
    const words = v
      .normalize('NFKC')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    return Array.from(words).slice(0, 100).join('').trim() || undefined;
  })
  .catch(undefined);

/** Zod issues whose messages are i18n keys → the first message of each field, translated (limits as `count`). */
export function fieldErrors(error: z.ZodError, t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (field in out) continue;
    const limit =
      (issue as { minimum?: unknown; maximum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum;
    out[field] = t(
      issue.message,
      typeof limit === 'number' || typeof limit === 'bigint' ? { count: Number(limit) } : {},
    );
  }
  return out;
}

/** The fields of a ValidationError (field → i18n key) translated for the form. */
export function translateFields(fields: Record<string, string>, t: TFunction): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([field, key]) => [field, t(key)]));
}
