import type { Config } from '../config.js';
import type { Actor } from '../auth/index.js';

/** Platform operators are the people whose email is listed in PLATFORM_OPERATOR_EMAILS. */
export const isPlatformOperator = (config: Config) => (a: Actor) =>
  config.PLATFORM_OPERATOR_EMAILS.includes(a.email.toLowerCase());
