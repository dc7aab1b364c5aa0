// TOTP (RFC 6238): 6 digits, 30-second steps, SHA-1 (what every authenticator app reads from a QR code).
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { qrSvg } from '../web/qr-code.js';

const PERIOD = 30;
/** Codes of the step before and after the current one are accepted too (a clock off by up to 30 s). */
const WINDOW = 1;

export const RECOVERY_CODE_COUNT = 10;

const totp = (secret: string, label = '', issuer = '') =>
  new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });

/** A fresh 160-bit secret, base32. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The otpauth:// URI an authenticator app reads, and the same as an inline SVG QR code. */
export async function enrolmentCode(secret: string, label: string, issuer: string) {
  const uri = totp(secret, label, issuer).toString();
  return { uri, svg: await qrSvg(uri, { margin: 1, width: 200 }) };
}

/** The 30-second step of an instant. */
export const stepAt = (at: Date): number => Math.floor(at.getTime() / 1000 / PERIOD);

/** The time step a code belongs to (within ±1 step of `at`), or null when it matches none. */
export function codeStep(secret: string, code: string, at: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: at.getTime(), window: WINDOW });
  return delta === null ? null : stepAt(at) + delta;
}

/** The code of an instant (tests and the enrolment page's check). */
export const codeAt = (secret: string, at: Date): string => totp(secret).generate({ timestamp: at.getTime() });

/** Ten recovery codes as shown once ("abcde-12345"), and the SHA-256 of each (what is stored). */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const hex = randomBytes(5).toString('hex');
    return `${hex.slice(0, 5)}-${hex.slice(5)}`;
  });
  return { codes, hashes: codes.map(recoveryCodeHash) };
}

export const recoveryCodeHash = (code: string): string =>
  createHash('sha256')
    .update(
      code
        .trim()
        .toLowerCase()
        .replace(/[^0-9a-f]/g, ''),
    )
    .digest('hex');
