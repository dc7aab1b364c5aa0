import { describe, expect, it } from 'vitest';
import { safeCsvCell } from '../../src/web/csv.js';
import { endOfLocalDay, startOfLocalDay } from '../../src/web/dates.js';

describe('safeCsvCell (CSV formula injection, OWASP)', () => {
  it.each(['=1+2', '+1', '-A1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")', '-', '+5 cajas'])(
    'prefixes %j with a quote',
    (text) => expect(safeCsvCell(text)).toBe(`'${text}`),
  );
  it.each(['Fuga de agua', '', 'a=b', ' =1', 'SOL-000001', '2026-03-01 23:30'])('keeps %j', (text) =>
    expect(safeCsvCell(text)).toBe(text),
  );
  it('leaves numbers alone, also negative ones written as text with either decimal mark', () => {
    expect(safeCsvCell(-5)).toBe(-5);
    expect(safeCsvCell(null)).toBe(null);
    expect(safeCsvCell('-5')).toBe('-5');
    expect(safeCsvCell('-1,5')).toBe('-1,5');
    expect(safeCsvCell('-1.25')).toBe('-1.25');
  });
});

describe('local days as instants', () => {
  it('starts a day at the zone midnight and ends it at the next one, across DST', () => {
    expect(startOfLocalDay('2026-03-10', 'America/Bogota').toISOString()).toBe('2026-03-10T05:00:00.000Z');
    expect(endOfLocalDay('2026-03-10', 'America/Bogota').toISOString()).toBe('2026-03-11T05:00:00.000Z');
    // New York leaves summer time on 2026-11-01: that day lasts 25 hours.
    const start = startOfLocalDay('2026-11-01', 'America/New_York');
    expect(start.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(endOfLocalDay('2026-11-01', 'America/New_York').getTime() - start.getTime()).toBe(25 * 3_600_000);
  });
});
