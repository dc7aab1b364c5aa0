import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A phone number in E.164 (+573001234567), or null when it is not a valid number.
 * National numbers are read in the given country; "+…" numbers in any.
 */
export function toE164(value: string, country: string | null | undefined): string | null {
  const region = country && /^[A-Z]{2}$/.test(country) && country !== 'ZZ' ? (country as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(value.trim(), region ? { defaultCountry: region } : undefined);
  return parsed?.isValid() ? parsed.number : null;
}
