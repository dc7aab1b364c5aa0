import { describe, expect, it } from 'vitest';
import { escapeHtml, formatDateTime } from '../../src/web/view-helpers.js';

describe('formatDateTime', () => {
  const at = new Date('2026-12-02T15:04:05Z');

  it('shows the minute in the zone and language asked, kept texts never crossing zones or languages', () => {
    const bogota = formatDateTime(at, 'America/Bogota', 'es');
    expect(bogota).toMatch(/10:04/);
    // Asked again (now from the kept texts), and in other zones and languages: each its own text.
    expect(formatDateTime(at, 'America/Bogota', 'es')).toBe(bogota);
    expect(formatDateTime(at, 'Europe/Madrid', 'es')).toMatch(/4:04/);
    expect(formatDateTime(at, 'America/Bogota', 'en')).toMatch(/10:04/);
    expect(formatDateTime(at, 'America/Bogota', 'en')).not.toBe(bogota);
  });

  it('gives every instant of a minute the same text, and the next minute its own', () => {
    const text = formatDateTime(new Date('2026-12-02T15:04:00Z'), 'UTC', 'es');
    expect(formatDateTime(new Date('2026-12-02T15:04:59.999Z'), 'UTC', 'es')).toBe(text);
    expect(formatDateTime(new Date('2026-12-02T15:05:00Z'), 'UTC', 'es')).not.toBe(text);
    expect(formatDateTime(null, 'UTC', 'es')).toBe('—');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters, keeps every other text as it is, and writes nothing for null or undefined', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml('Solicitud número 12: reparación')).toBe('Solicitud número 12: reparación');
    expect(escapeHtml(12)).toBe('12');
    expect(escapeHtml(0)).toBe('0');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
  });
});
