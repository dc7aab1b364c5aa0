import { z } from 'zod';
import { Priority } from '../generated/prisma/client.js';
import { addDays, lastDays, periodLength, type Period } from './period.js';

/** The longest period the dashboard answers (about three years), so the day series stays bounded. */
export const MAX_DAYS = 1100;
export const DEFAULT_DAYS = 30;

const day = z.iso.date();
const id = z.coerce.number().int().positive().max(2_147_483_647);
// A bad or empty value is ignored (the filter is simply not applied), never a 500.
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The dashboard's query string (Spanish parameter names, as they appear in the URL). */
export const filterQuery = z.object({
  desde: optional(day),
  hasta: optional(day),
  area: optional(id),
  unidad: optional(id),
  categoria: optional(id),
  prioridad: optional(z.enum(Object.values(Priority) as [Priority, ...Priority[]])),
  trabajador: optional(id),
});

export interface IndicatorFilters {
  period: Period;
  serviceAreaId?: number;
  unitId?: number;
  categoryId?: number;
  priority?: Priority;
  workerId?: number;
  /** What was changed in the period asked for, so the page can say so: from/to swapped, cut to MAX_DAYS. */
  adjusted?: ('swapped' | 'clamped')[];
}

/** Parses the query string; the period defaults to the last 30 days in the company's time zone. */
export function parseFilters(query: unknown, now: Date, timeZone: string): IndicatorFilters {
  const q = filterQuery.parse(typeof query === 'object' && query !== null ? query : {});
  const fallback = lastDays(now, timeZone, DEFAULT_DAYS);
  let to = q.hasta ?? fallback.to;
  let from = q.desde ?? (q.hasta ? addDays(to, -(DEFAULT_DAYS - 1)) : fallback.from);
  const adjusted: ('swapped' | 'clamped')[] = [];
  if (from > to) {
    [from, to] = [to, from];
    adjusted.push('swapped');
  }
  // Too long a period keeps its end and is cut to MAX_DAYS.
  if (periodLength({ from, to }) > MAX_DAYS) {
    from = addDays(to, -(MAX_DAYS - 1));
    adjusted.push('clamped');
  }
  const period: Period = { from, to };
  return {
    period,
    adjusted,
    serviceAreaId: q.area,
    unitId: q.unidad,
    categoryId: q.categoria,
    priority: q.prioridad,
    workerId: q.trabajador,
  };
}

/** The query string that reproduces these filters (for links to exports and back). */
export function filtersToQuery(f: IndicatorFilters): string {
  const params = new URLSearchParams({ desde: f.period.from, hasta: f.period.to });
  if (f.serviceAreaId) params.set('area', String(f.serviceAreaId));
  if (f.unitId) params.set('unidad', String(f.unitId));
  if (f.categoryId) params.set('categoria', String(f.categoryId));
  if (f.priority) params.set('prioridad', f.priority);
  if (f.workerId) params.set('trabajador', String(f.workerId));
  return params.toString();
}
