// Public entry of the accounts feature (what other features may use).
export { phoneField } from './routes.js';
export { toE164 } from './phone.js';
export { recipientSelect, sendAccountLink, toRecipient, type AccountLinkDeps } from './links.js';
export { endSessionsOf } from './sessions.js';
