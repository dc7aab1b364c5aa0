import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt only uses the first 72 bytes of its input. */
export const PASSWORD_MAX_BYTES = 72;
/** zxcvbn score (0–4) a password must reach. */
export const PASSWORD_MIN_SCORE = 3;

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary },
  graphs: common.adjacencyGraphs,
});

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
  const result = zxcvbn.check(password, inputs);
  if (result.score < PASSWORD_MIN_SCORE) {
    return COMMON_WARNINGS.has(String(result.feedback.warning)) ? 'common' : 'weak';
  }
  return null;
}
