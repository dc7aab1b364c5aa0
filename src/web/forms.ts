/** Field name → message (already translated), shown next to the field. */
export type FieldErrors = Record<string, string>;

/** The named fields of a posted form as trimmed-free strings ('' when absent); checkboxes become 'on' or ''. */
export function formValues<K extends string>(body: unknown, fields: readonly K[]): Record<K, string> {
  const src = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const out = {} as Record<K, string>;
  for (const f of fields) {
    const v = src[f];
    out[f] = typeof v === 'string' ? v : Array.isArray(v) && typeof v.at(-1) === 'string' ? (v.at(-1) as string) : '';
  }
  return out;
}

/** The values of a multi-select field (always an array of strings). */
export function formList(body: unknown, field: string): string[] {
  const v = (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined) ?? [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
}
