import { describe, expect, it } from 'vitest';
import { backlogCurve, csvNumber, delta, formatDuration, formatPercent, ratio } from '../../src/indicators/format.js';
import { addDays, daysOf, lastDays, localDate, periodLength, previousPeriod } from '../../src/indicators/period.js';
import { canSeeIndicators, indicatorScope } from '../../src/indicators/policy.js';
import { MAX_DAYS, filtersToQuery, parseFilters } from '../../src/indicators/schema.js';
import type { Actor } from '../../src/auth/actor.js';

describe('indicators: periods', () => {
  it('finds the local day across midnight and the previous period of equal length', () => {
    expect(localDate(new Date('2026-03-02T04:30:00Z'), 'America/Bogota')).toBe('2026-03-01');
    expect(localDate(new Date('2026-03-02T04:30:00Z'), 'America/Santiago')).toBe('2026-03-02');
    expect(lastDays(new Date('2026-03-10T15:00:00Z'), 'America/Bogota', 30)).toEqual({
      from: '2026-02-09',
      to: '2026-03-10',
    });
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-10' })).toEqual({ from: '2026-02-19', to: '2026-02-28' });
    expect(periodLength({ from: '2024-02-28', to: '2024-03-01' })).toBe(3);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysOf({ from: '2026-04-04', to: '2026-04-06' })).toEqual(['2026-04-04', '2026-04-05', '2026-04-06']);
  });

  it('parses filters, ignoring bad values, swapping reversed dates and capping the length', () => {
    const now = new Date('2026-03-10T15:00:00Z');
    expect(parseFilters({}, now, 'America/Bogota')).toEqual({
      period: { from: '2026-02-09', to: '2026-03-10' },
      adjusted: [],
    });
    expect(
      parseFilters(
        { desde: '2026-03-05', hasta: '2026-03-01', area: 'x', prioridad: 'HIGH', trabajador: '7' },
        now,
        'UTC',
      ),
    ).toMatchObject({
      period: { from: '2026-03-01', to: '2026-03-05' },
      adjusted: ['swapped'],
      serviceAreaId: undefined,
      priority: 'HIGH',
      workerId: 7,
    });
    expect(parseFilters({ desde: '2026-02-30' }, now, 'UTC').period.from).toBe('2026-02-09');
    const clamped = parseFilters({ desde: '2000-01-01', hasta: '2026-03-10' }, now, 'UTC');
    expect(clamped.adjusted).toEqual(['clamped']);
    const long = clamped.period;
    expect(periodLength(long)).toBe(MAX_DAYS);
    expect(long.to).toBe('2026-03-10');
    expect(filtersToQuery({ period: { from: '2026-03-01', to: '2026-03-10' }, unitId: 3 })).toBe(
      'desde=2026-03-01&hasta=2026-03-10&unidad=3',
    );
  });
});

describe('indicators: maths and formatting', () => {
  it('formats durations in minutes, hours or days as fits', () => {
    expect(formatDuration(0.5, 'es')).toBe('30 min');
    expect(formatDuration(5.25, 'es')).toBe('5,3 h');
    expect(formatDuration(72, 'es')).toBe('3,0 días');
    expect(formatDuration(24 * 1.5, 'en')).toBe('36.0 h');
    expect(formatDuration(null, 'es')).toBe('—');
  });

  it('computes deltas with their direction', () => {
    expect(delta(7, 2)).toEqual({ current: 7, previous: 2, change: 5, relative: 2.5, direction: 'up' });
    expect(delta(1, 0)).toMatchObject({ change: 1, relative: null, direction: 'up' });
    expect(delta(3, 4)).toMatchObject({ change: -1, relative: -0.25, direction: 'down' });
    expect(delta(null, 4)).toMatchObject({ change: null, direction: 'same' });
    expect(delta(0.1 + 0.2, 0.3)).toMatchObject({ change: 0, direction: 'same' });
  });

  it('formats ratios and CSV numbers', () => {
    expect(ratio(1, 3)).toBeCloseTo(1 / 3);
    expect(ratio(1, 0)).toBeNull();
    expect(formatPercent(null, 'es')).toBe('—');
    expect(csvNumber(4.666666, 'es')).toBe('4,67');
    expect(csvNumber(4.666666, 'en')).toBe('4.67');
    expect(csvNumber(null, 'es')).toBe('');
  });

  it('walks the backlog curve back from the open requests of now', () => {
    const days = ['2026-03-01', '2026-03-02', '2026-03-03'];
    // 4 open now; after the period 1 more was received and 2 closed.
    const received = new Map([
      ['2026-03-01', 2],
      ['2026-03-03', 1],
      ['2026-03-05', 1],
    ]);
    const closed = new Map([
      ['2026-03-02', 1],
      ['2026-03-06', 2],
    ]);
    // open at the start: 4 − 4 received + 3 closed = 3
    expect(backlogCurve(days, 4, received, closed)).toEqual([5, 4, 5]);
    expect(backlogCurve([], 4, received, closed)).toEqual([]);
  });
});

describe('indicators: policy', () => {
  const base: Actor = {
    id: 1,
    companyId: 1,
    companyName: 'E',
    timezone: 'America/Bogota',
    companyLocale: 'es',
    name: 'N',
    email: 'e@x',
    locale: null,
    unitId: null,
    unitName: null,
    isCompanyAdmin: false,
    isWorker: false,
    headedUnitIds: [],
    servicesAreaIds: [],
    headedUnits: [],
    actingFor: {},
    waiting: { toAuthorize: 0, toDecide: 0, openTickets: 0 },
  };
  it('lets admins, services heads and unit heads in, and nobody else', () => {
    expect(canSeeIndicators(base)).toBe(false);
    expect(canSeeIndicators({ ...base, isWorker: true })).toBe(false);
    expect(canSeeIndicators({ ...base, isCompanyAdmin: true })).toBe(true);
    const head = { ...base, headedUnitIds: [5], headedUnits: [{ id: 5, name: 'U', isServiceArea: false }] };
    expect(canSeeIndicators(head)).toBe(true);
    expect(indicatorScope(head)).toEqual({ kind: 'limited', serviceAreaIds: [], requesterUnitIds: [5] });
    const services = {
      ...base,
      headedUnitIds: [9],
      servicesAreaIds: [9],
      headedUnits: [{ id: 9, name: 'S', isServiceArea: true }],
    };
    expect(indicatorScope(services)).toEqual({ kind: 'limited', serviceAreaIds: [9], requesterUnitIds: [] });
    expect(indicatorScope({ ...services, isCompanyAdmin: true })).toEqual({ kind: 'company' });
  });
});
