import { createRequire } from 'node:module';
import type { ZxcvbnFactory as Factory } from '@zxcvbn-ts/core';

export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt only uses the first 72 bytes of its input. */
export const PASSWORD_MAX_BYTES = 72;
/** zxcvbn score (0–4) a password must reach. */
export const PASSWORD_MIN_SCORE = 3;

// The dictionaries weigh ~15 MB in memory: loaded when a password is first checked, not at boot.
const require = createRequire(import.meta.url);
let factory: Factory | undefined;
function zxcvbn(): Factory {
  if (!factory) {
    const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    factory = new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  }
  return factory;
}

const COMMON_WARNINGS = new Set(['topTen', 'topHundred', 'common', 'similarToCommon']);

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'weak';

/**
 * Current guidance (NIST SP 800-63B): a minimum length, a strength estimate, common
 * passwords refused, and no composition rules. Returns null when the password is acceptable.
 * `userInputs` (name, email, company) count as guessable words.
 */
export function passwordProblem(password: string, userInputs: string[] = []): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return 'tooLong';
  const inputs = userInputs.flatMap((s) => s.toLowerCase().split(/[\s@.]+/)).filter((s) => s.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score < PASSWORD_MIN_SCORE) {
    return COMMON_WARNINGS.has(String(result.feedback.warning)) ? 'common' : 'weak';
  }
  return null;
}
