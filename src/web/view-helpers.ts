// Functions available in every view (app.locals).

/** "SOL-000123" style numbers. */
export function formatNumber(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

/** A date and time in the company's time zone, in the interface language. */
export function formatDateTime(date: Date | null | undefined, timeZone: string, lang: string): string {
  if (!date) return '—';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : 'es-CO', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

export const viewHelpers = { formatNumber, formatDateTime };
