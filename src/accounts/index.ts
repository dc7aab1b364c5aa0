// Public entry of the accounts feature: account links and notices, sessions, phone fields, "Mi cuenta".
export { EMAIL_TAKEN_HERE, EMAIL_UNAVAILABLE, emailsTakenMessageKeys, emailTakenMessageKey } from './email-taken.js';
export { limitEmailSends } from './email-limits.js';
export {
  recipientSelect,
  sendAccountLink,
  sendExistingAccountNotice,
  toRecipient,
  type AccountLinkDeps,
  type LinkRecipient,
} from './links.js';
export { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH, passwordProblem } from './password-policy.js';
export { accountPublicRoutes } from './public-routes.js';
export { afterResponse, InvalidLinkError, sendUnlockLink } from './recovery.js';
export { accountRoutes } from './routes.js';
export { phoneField } from './schemas.js';
export { endSessionsOf } from './sessions.js';
export { consumeToken, hashToken } from './tokens.js';
