import { z } from 'zod';
import { endOfLocalDay, startOfLocalDay } from '../web/dates.js';
import { dateFilter, idFilter } from '../web/fields.js';
import { pageSchema } from '../web/pagination.js';
import { PRIORITIES } from './schemas.js';

/** Query-string filters of the inboxes; anything malformed is ignored rather than failing the page. */
export const filtersSchema = z.object({
  tab: z.string().max(30).optional().catch(undefined),
  page: pageSchema.default(1),
  unit: idFilter,
  category: idFilter,
  priority: z.enum(PRIORITIES).optional().catch(undefined),
  desde: dateFilter,
  hasta: dateFilter,
  /** "vence": by due date. */
  orden: z.enum(['vence']).optional().catch(undefined),
  // Control characters (NUL among them) can't be searched for: they are dropped.
  q: z
    .string()
    .transform((v) =>
      v
        .replace(/\p{Cc}/gu, ' ')
        .trim()
        .slice(0, 100),
    )
    .optional()
    .catch(undefined),
});

export interface InboxFilters {
  tab?: string;
  page: number;
  unitId?: number;
  categoryId?: number;
  priority?: (typeof PRIORITIES)[number];
  from?: Date;
  to?: Date;
  number?: number;
  /** A ticket's number (TKT-…): its request. */
  ticketNumber?: number;
  text?: string;
  sort?: 'due';
}

/** "SOL-000123", "sol-123", "#123" or "123" → 123. */
export function parseRequestNumber(q: string): number | undefined {
  const m = /^(?:sol-?|#)?0*(\d{1,9})$/i.exec(q.trim());
  return m ? Number(m[1]) : undefined;
}

/** "TKT-000045", "tkt 45" or "tkt45" → 45. */
export function parseTicketNumber(q: string): number | undefined {
  const m = /^tkt[-\s]?0*(\d{1,9})$/i.exec(q.trim());
  return m ? Number(m[1]) : undefined;
}

/** The date fields as typed (to refill the form) and what is wrong with them, as i18n keys. */
export interface DateInput {
  desde: string;
  hasta: string;
  errors: { desde?: string; hasta?: string };
}

/**
 * A date that is not a calendar day is left out of the filter (the list still shows) and said on the form beside the
 * field, with what was typed; "hasta" before "desde" is said too (no request can be in that period).
 */
export function dateInputOf(query: unknown, raw: { desde?: string; hasta?: string }): DateInput {
  const typed = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 30) : '');
  const q = (query ?? {}) as Record<string, unknown>;
  const input: DateInput = { desde: typed(q.desde), hasta: typed(q.hasta), errors: {} };
  if (input.desde && !raw.desde) input.errors.desde = 'requests.filters.invalidFrom';
  if (input.hasta && !raw.hasta) input.errors.hasta = 'requests.filters.invalidTo';
  if (raw.desde && raw.hasta && raw.hasta < raw.desde) input.errors.hasta = 'requests.filters.toBeforeFrom';
  return input;
}

export function toInboxFilters(
  query: unknown,
  timeZone: string,
): InboxFilters & { raw: z.infer<typeof filtersSchema>; dates: DateInput } {
  const raw = filtersSchema.parse(query ?? {});
  const f: InboxFilters & { raw: typeof raw; dates: DateInput } = {
    raw,
    dates: dateInputOf(query, raw),
    tab: raw.tab,
    page: raw.page,
    unitId: raw.unit,
    categoryId: raw.category,
    priority: raw.priority,
    sort: raw.orden === 'vence' ? 'due' : undefined,
  };
  if (raw.desde) f.from = startOfLocalDay(raw.desde, timeZone);
  if (raw.hasta) f.to = endOfLocalDay(raw.hasta, timeZone);
  if (raw.q) {
    const n = parseRequestNumber(raw.q);
    const ticket = parseTicketNumber(raw.q);
    if (n !== undefined) f.number = n;
    else if (ticket !== undefined) f.ticketNumber = ticket;
    else f.text = raw.q;
  }
  return f;
}
