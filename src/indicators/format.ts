// Pure maths and formatting of the indicators (no database, no Express).

import { intlLocale, type Language } from '../web/i18n.js';

export type Lang = Language;
const locale = intlLocale;

/**
 * Intl formatters are costly to build (a dashboard formats hundreds of figures) and
 * immutable once built: each distinct one is made once and reused.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, kind: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${kind}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale(lang), options)));
  return f;
}

export function formatInteger(n: number, lang: Lang): string {
  return numberFormat(lang, 'int', { maximumFractionDigits: 0 }).format(n);
}

export function formatDecimal(n: number, lang: Lang, digits = 1): string {
  return numberFormat(lang, `dec${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A ratio 0..1 as "87,5 %"; "—" when there is nothing to divide. */
export function formatPercent(ratio: number | null, lang: Lang): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  return numberFormat(lang, 'pct', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    ratio,
  );
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The unit a duration reads best in: minutes under an hour, hours under two days, else days. */
export function durationUnit(hours: number): 'min' | 'h' | 'd' {
  if (hours < 1) return 'min';
  if (hours < 48) return 'h';
  return 'd';
}

const DAY_WORDS: Record<Lang, [string, string]> = {
  es: ['día', 'días'],
  en: ['day', 'days'],
  'pt-BR': ['dia', 'dias'],
};

/** "45 min", "5,3 h", "3,2 días" ("—" when there is no value). */
export function formatDuration(hours: number | null, lang: Lang): string {
  if (hours === null || !Number.isFinite(hours)) return '—';
  const unit = durationUnit(Math.abs(hours));
  if (unit === 'min') return `${formatInteger(hours * 60, lang)} min`;
  if (unit === 'h') return `${formatDecimal(hours, lang)} h`;
  const days = hours / 24;
  return `${formatDecimal(days, lang)} ${DAY_WORDS[lang][days === 1 ? 0 : 1]}`;
}

export type Direction = 'up' | 'down' | 'same';

export interface Delta {
  current: number | null;
  previous: number | null;
  /** current − previous; null when either is missing. */
  change: number | null;
  /** Relative change (0.25 = +25 %); null when the previous value is 0 or missing. */
  relative: number | null;
  direction: Direction;
}

export function delta(current: number | null, previous: number | null): Delta {
  if (current === null || previous === null)
    return { current, previous, change: null, relative: null, direction: 'same' };
  const change = current - previous;
  // Tiny float noise (e.g. 12.000000001 vs 12) is no change.
  const direction: Direction = Math.abs(change) < 1e-9 ? 'same' : change > 0 ? 'up' : 'down';
  return {
    current,
    previous,
    change: direction === 'same' ? 0 : change,
    relative: previous !== 0 ? change / previous : null,
    direction,
  };
}

/**
 * The open backlog at the end of each day of a period, from:
 * - `openNow`: requests open right now;
 * - `received` / `closed`: counts per day, covering every day from the period's first day
 *   up to now (days after the period included, so the curve can be walked back from now).
 * open(end of day d) = openNow − received after d + closed after d.
 */
export function backlogCurve(
  days: string[],
  openNow: number,
  received: Map<string, number>,
  closed: Map<string, number>,
): number[] {
  const first = days[0];
  if (first === undefined) return [];
  let open = openNow;
  for (const [day, n] of received) if (day >= first) open -= n;
  for (const [day, n] of closed) if (day >= first) open += n;
  // `open` is now the backlog at the start of the first day.
  return days.map((day) => {
    open += (received.get(day) ?? 0) - (closed.get(day) ?? 0);
    return open;
  });
}

/** Spreadsheets in Spanish and Brazilian locales read ";" as the separator and "," as the decimal mark. */
export function csvDelimiter(lang: Lang): string {
  return lang === 'en' ? ',' : ';';
}

/** A number for a CSV cell: at most two decimals, the locale's decimal mark, empty when missing. */
export function csvNumber(n: number | null, lang: Lang): string {
  if (n === null || !Number.isFinite(n)) return '';
  const s = String(Math.round(n * 100) / 100);
  return lang === 'en' ? s : s.replace('.', ',');
}
