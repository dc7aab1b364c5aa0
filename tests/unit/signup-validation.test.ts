import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/accounts/password-policy.js';
import { toE164 } from '../../src/web/phone.js';
import { normalizeTaxId, type SignupCountry } from '../../src/signup/tax-id.js';

// Valid numbers are published examples (check digits correct); invalid ones change the check digit.
const taxIds: [SignupCountry, string, string | null][] = [
  ['CO', '900.544.472-2', '9005444722'],
  ['CO', '900123456-8', '9001234568'],
  ['CO', '900544472-3', null],
  ['AR', '20-05536168-2', '20055361682'],
  ['AR', '20-05536168-3', null],
  ['EC', '1792060346-001', '1792060346001'],
  ['EC', '1792060347-001', null],
  ['MX', 'GODE 561231 GR8', 'GODE561231GR8'],
  ['MX', 'GODE561231GR9', null],
  ['PE', '20512333797', '20512333797'],
  ['PE', '20512333798', null],
  ['CL', '76086428-5', '760864285'],
  ['CL', '76.086.428-5', '760864285'],
  ['CL', '12531909-3', null],
  ['ZZ', 'B-12345678', 'B-12345678'],
  ['ZZ', '!', null],
  ['CO', '', null],
];

describe('tax ids (stdnum, with check digits)', () => {
  it.each(taxIds)('%s %s → %s', (country, value, expected) => {
    expect(normalizeTaxId(country, value)).toBe(expected);
  });
});

describe('phone numbers', () => {
  it('are stored in E.164 and read in the chosen country', () => {
    expect(toE164('300 123 4567', 'CO')).toBe('+573001234567');
    expect(toE164('+51 987 654 321', 'CO')).toBe('+51987654321');
    expect(toE164('12345', 'CO')).toBeNull();
    expect(toE164('987654321', 'ZZ')).toBeNull();
  });
});

describe('password policy', () => {
  it.each([
    ['corto', 'tooShort'],
    ['password123', 'common'],
    ['qwertyuiop', 'common'],
    ['aaaaaaaaaaaa', 'weak'],
    ['ñ'.repeat(37), 'tooLong'],
    ['tres-tigres-tristes-2031', null],
    ['Demo-Solicitudes-2026', null],
  ])('%s → %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it('counts the person’s own name and email as guessable', () => {
    expect(passwordProblem('mariagonzalez', ['María González', 'mariagonzalez@x.test'])).not.toBeNull();
  });
});
