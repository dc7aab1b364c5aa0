import { createRequire } from 'node:module';
import type { stdnum as Stdnum } from 'stdnum';

// stdnum's tables of every country weigh ~17 MB in memory: loaded on the first
// signup rather than at boot, so the app's resident size stays small.
const require = createRequire(import.meta.url);
let stdnumModule: typeof Stdnum | undefined;
const loadStdnum = () => (stdnumModule ??= (require('stdnum') as { stdnum: typeof Stdnum }).stdnum);

/** Countries whose tax id is checked (with its check digit) by stdnum; "ZZ" is any other country. */
export const SIGNUP_COUNTRIES = ['CO', 'AR', 'EC', 'MX', 'PE', 'CL', 'ZZ'] as const;
export type SignupCountry = (typeof SIGNUP_COUNTRIES)[number];
export const OTHER_COUNTRY: SignupCountry = 'ZZ';

type Validator = { validate(v: string): { isValid: boolean; compact?: string } };
const pick = (country: string, kind: string): Validator => {
  const v = (loadStdnum() as Record<string, Record<string, Validator> | undefined>)[country]?.[kind];
  if (!v) throw new Error(`stdnum has no ${country}.${kind}`);
  return v;
};
let validatorTable: Record<Exclude<SignupCountry, 'ZZ'>, Validator> | undefined;
const validators = () =>
  (validatorTable ??= {
    CO: pick('CO', 'nit'),
    AR: pick('AR', 'cuit'),
    EC: pick('EC', 'ruc'),
    MX: pick('MX', 'rfc'),
    PE: pick('PE', 'ruc'),
    CL: pick('CL', 'rut'),
  });

/** Name of the tax id in each country (for labels and messages). */
export const TAX_ID_NAMES: Record<SignupCountry, string> = {
  CO: 'NIT',
  AR: 'CUIT',
  EC: 'RUC',
  MX: 'RFC',
  PE: 'RUC',
  CL: 'RUT',
  ZZ: 'ID',
};

/**
 * Validates a tax id for a country and returns its compact form (what is stored and
 * compared for duplicates), or null when it is invalid. For "other" countries any
 * reasonable text is accepted.
 */
export function normalizeTaxId(country: SignupCountry, value: string): string | null {
  const trimmed = value.trim();
  if (country === 'ZZ') {
    const compact = trimmed.toUpperCase().replace(/\s+/g, ' ');
    return /^[\p{L}\p{N}][\p{L}\p{N} .\-/]{2,39}$/u.test(compact) ? compact : null;
  }
  // Thousands dots (76.086.428-5) are how people write these numbers; not every stdnum validator drops them.
  const result = validators()[country].validate(trimmed.replace(/[.\s]/g, ''));
  return result.isValid && result.compact ? result.compact.toUpperCase() : null;
}
