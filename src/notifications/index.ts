// Public entry of the notifications feature.
export { sendTwilio } from './channels/twilio.js';
export { decryptSecret, encryptSecret } from './crypto.js';
export { outboxInsert } from './outbox-job.js';
export type { CommentPayload, FanoutPayload } from './queue.js';
export { providersFor } from './settings.js';
export { queuePool } from './queue.js';
export { notificationAdminRoutes, notificationPreferenceRoutes } from './routes.js';
export { type NotificationWorker, startNotificationWorker, type WorkerDeps, type WorkerExtension } from './worker.js';
