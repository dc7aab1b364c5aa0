// The shared field schemas hold for any input, not just the examples: generated strings and values never get a
// control character into a text, an impossible day into a date, anything but an int4 into an id, or an operator
// into a search.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateField,
  dateFilter,
  emailField,
  idField,
  idFilter,
  idParam,
  isCalendarDate,
  optionalIdField,
  optionalTextField,
  searchFilter,
  textField,
} from '../../src/web/fields.js';
import { NotFoundError } from '../../src/web/errors.js';

const MAX_ID = 2_147_483_647;
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }));
const controlChar = fc
  .integer({ min: 0, max: 0x9f })
  .filter((c) => c < 0x20 || c >= 0x7f)
  .map(String.fromCharCode);
const withControl = fc
  .tuple(fc.string({ maxLength: 10 }), controlChar, fc.string({ maxLength: 10 }))
  .map(([a, c, b]) => `x${a}${c}${b}x`);

describe('text fields', () => {
  it('refuse every control character on one line, and all but tab, LF and CR in a multiline text', () => {
    fc.assert(
      fc.property(withControl, (s) => {
        expect(textField(1, 100).safeParse(s).success).toBe(false);
        expect(optionalTextField(100).safeParse(s).success).toBe(false);
        const allowed = /^[^\p{Cc}]*$/u.test(s.replace(/[\t\n\r]/g, ''));
        expect(textField(1, 100, { multiline: true }).safeParse(s).success).toBe(allowed);
      }),
    );
  });

  it('accept any other text within their limits, trimmed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), (raw) => {
        const s = raw.replace(/\p{Cc}/gu, '');
        const parsed = textField(0, 200).safeParse(s);
        expect(parsed.success && parsed.data).toBe(s.trim());
      }),
    );
  });

  it('never let a control character through an email', () => {
    fc.assert(
      fc.property(
        withControl.map((s) => `${s}@prueba.test`),
        (s) => !emailField.safeParse(s).success,
      ),
    );
  });
});

describe('ids', () => {
  it('are exactly the positive int4 numbers, from the URL, a form or a filter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ID }), (n) => {
        expect(idParam(String(n))).toBe(n);
        expect(idField.parse(String(n))).toBe(n);
        expect(optionalIdField.parse(String(n))).toBe(n);
        expect(idFilter.parse(String(n))).toBe(n);
      }),
    );
  });

  it('refuse anything else: 404 from the URL, an error in a form, ignored in a filter', () => {
    const notAnId = fc.oneof(
      anyString.filter((s) => !/^\d{1,10}$/.test(s) || Number(s) < 1 || Number(s) > MAX_ID),
      fc.constantFrom('0', '-1', '2147483648', '99999999999', '1e3', '1.5', ' 1', '0x10'),
      fc.array(fc.constant('1'), { minLength: 2, maxLength: 2 }),
    );
    fc.assert(
      fc.property(notAnId, (v) => {
        expect(() => idParam(v)).toThrow(NotFoundError);
        expect(idField.safeParse(v).success).toBe(false);
        expect(idFilter.parse(v)).toBeUndefined();
        if (v !== '') expect(optionalIdField.safeParse(v).success).toBe(false);
      }),
    );
  });
});

describe('dates', () => {
  it('are the real calendar days from 2000 to 2100', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (d) => {
        const day = d.toISOString().slice(0, 10);
        expect(isCalendarDate(day)).toBe(true);
        expect(dateField.parse(day)).toBe(day);
        expect(dateFilter.parse(day)).toBe(day);
      }),
    );
  });

  it('refuse impossible or far-off days, and ignore them in a filter', () => {
    const day = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.oneof(day, anyString, fc.constantFrom('2026-02-30', '9999-12-31', '2026-13-01')), (s) => {
        const t = new Date(`${s}T00:00:00Z`);
        const real = s.length === 10 && !Number.isNaN(t.getTime()) && t.toISOString().startsWith(s);
        const expected = real && Number(s.slice(0, 4)) >= 2000 && Number(s.slice(0, 4)) <= 2100;
        expect(isCalendarDate(s)).toBe(/^\d{4}-\d{2}-\d{2}$/.test(s) && expected);
        expect(dateFilter.parse(s)).toBe(isCalendarDate(s) ? s : undefined);
      }),
    );
    expect(dateFilter.parse(['2026-01-01', '2026-01-02'])).toBeUndefined();
  });
});

describe('search terms', () => {
  it('are letters, digits and single spaces, at most 100 characters, whatever comes in', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.anything()), (v) => {
        const out = searchFilter.parse(v);
        if (out === undefined) return;
        expect(out.length).toBeLessThanOrEqual(100);
        expect(out).toMatch(/^[\p{L}\p{N}]+(?: [\p{L}\p{N}]+)*$/u);
      }),
    );
    expect(searchFilter.parse("donʼt :* & | ! (x) <-> 'y' \\ %_")).toBe('donʼt x y');
  });
});
