// Functions available in every view (app.locals).
import escape from 'escape-html';
import { LRUCache } from 'lru-cache';
import { intlLocale, LANGUAGE_NAMES, LANGUAGES } from './i18n.js';

/** "SOL-000123" style numbers. */
export function formatNumber(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

// Building an Intl.DateTimeFormat is costly; one per (zone, language) is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
// Formatting with one is costly too (~4 µs, a quarter of an inbox page's rendering for its 40 dates), and the same
// requests' dates are shown again and again: the text of a (zone, language, minute) is kept. The format shows no
// seconds, so every instant of a minute has the same text.
const formatted = new LRUCache<string, string>({ max: 20_000 });

/** A date and time in the company's time zone, in the interface language. */
export function formatDateTime(date: Date | null | undefined, timeZone: string, lang: string): string {
  if (!date) return '—';
  const key = `${timeZone}|${lang}`;
  const cacheKey = `${key}|${Math.floor(date.getTime() / 60_000)}`;
  const known = formatted.get(cacheKey);
  if (known !== undefined) return known;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(intlLocale(lang), {
      timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    formatters.set(key, formatter);
  }
  const text = formatter.format(date);
  formatted.set(cacheKey, text);
  return text;
}

const STATUS_CLASS: Record<string, string> = {
  PENDING: 'text-bg-warning',
  AUTHORIZED: 'text-bg-info',
  ASSIGNED: 'text-bg-primary',
  IN_PROGRESS: 'text-bg-primary',
  FINALIZED: 'text-bg-success',
  CLOSED: 'text-bg-dark',
  REJECTED: 'text-bg-danger',
  CANCELLED: 'text-bg-secondary',
  ON_HOLD: 'text-bg-dark',
};

/** The state people see: "En espera" while on hold; an approved request shows its ticket's progress. */
export function requestStatus(r: { status: string; ticket?: { status: string } | null; onHoldSince?: Date | null }): {
  key: string;
  cls: string;
} {
  const approved = r.ticket?.status === 'IN_PROGRESS' ? 'IN_PROGRESS' : 'ASSIGNED';
  const shown = r.onHoldSince ? 'ON_HOLD' : r.status === 'APPROVED' ? approved : r.status;
  return { key: `requests.status.${shown}`, cls: STATUS_CLASS[shown] ?? 'text-bg-secondary' };
}

const PRIORITY_CLASS: Record<string, string> = {
  LOW: 'text-bg-light border',
  MEDIUM: 'text-bg-secondary',
  HIGH: 'text-bg-warning',
  URGENT: 'text-bg-danger',
};
export const priorityClass = (p: string) => PRIORITY_CLASS[p] ?? 'text-bg-secondary';

const TICKET_CLASS: Record<string, string> = {
  ASSIGNED: 'text-bg-info',
  IN_PROGRESS: 'text-bg-primary',
  DONE: 'text-bg-success',
};
export const ticketClass = (s: string) => TICKET_CLASS[s] ?? 'text-bg-secondary';

/**
 * HTML-escapes a value: what every `<%= %>` of a page writes (the views' escape function, app.ts), and what a view or
 * helper assembles for `<%- %>`. Nothing for null and undefined. Express's own escaper returns a string without any of
 * the five characters as it is, which most texts of a page are (EJS's replaced each: a fifth of a page's rendering).
 */
export function escapeHtml(s: unknown): string {
  return s === null || s === undefined ? '' : escape(String(s));
}
/** The languages a picker offers: [{ value, label }]. */
export const languageOptions = LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }));

export const viewHelpers = {
  formatNumber,
  formatDateTime,
  requestStatus,
  priorityClass,
  ticketClass,
  escapeHtml,
  languageOptions,
};
