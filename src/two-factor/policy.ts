// Who must sign in with a second step.
import type { TwoFactorState } from './queries.js';

export const TWO_FACTOR_RULES = ['OFF', 'ADMINS', 'EVERYONE'] as const;
export type TwoFactorRule = (typeof TWO_FACTOR_RULES)[number];

/** Whether the company's rule requires a second step of this person. */
export const isTwoFactorRequired = (rule: string, person: { isCompanyAdmin: boolean }) =>
  rule === 'EVERYONE' || (rule === 'ADMINS' && person.isCompanyAdmin);

/** The second step owed after the password: a code when enrolled, enrolling when required and not enrolled. */
export function secondStepOf(state: TwoFactorState): 'verify' | 'enrol' | null {
  if (state.totpSecretEnc) return 'verify';
  return isTwoFactorRequired(state.company.twoFactorRule, state) ? 'enrol' : null;
}
