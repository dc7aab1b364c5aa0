// Public entry of the webhooks: the admin pages, and the notification worker's extension that delivers them.
export { webhookRoutes } from './routes.js';
export { EVENT_TYPES, type EventType } from './schemas.js';
export { isInternalAddress, resolveTarget } from './ssrf.js';
export { webhookExtension, type WebhookWorkerDeps } from './worker.js';
