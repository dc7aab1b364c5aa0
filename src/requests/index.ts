// The requests feature's public entry: what the app and other features may use of it.
export { byLoad, workerLoadsJson, type WorkerLoad, type RequestDetail } from './detail-queries.js';
export { authorizerOf, type ChainUnit } from './authorizer.js';
export { loadDetail } from './detail.js';
export { requestFeed, type FeedInput } from './feed.js';
export { parseRequestNumber, parseTicketNumber } from './filters.js';
export type { InboxKind } from './inbox.js';
export type { RequestRow } from './inbox-queries.js';
export { ACTIONS, HOLD_REASONS, type Action } from './lifecycle.js';
export { requestNavSections } from './navigation.js';
export { requestRoutes } from './routes.js';
export { escalationTarget } from './escalation.js';
export { actionSchemas, newRequestSchema, PRIORITIES, type NewRequestInput } from './schemas.js';
export {
  applyTransition,
  checkFieldAnswers,
  conversationAccess,
  fileGuestRequest,
  loadRequestForm,
  loadVisibleState,
  submitRequest,
  type GuestDetails,
  type Requester,
  type TransitionInput,
} from './service.js';
export { type NewFile } from './write-queries.js';
export { waitingFor } from './detail.js';
export { autoCloseFinished, requestJobs } from './auto-close.js';
