// Public entry of the notifications feature.
export { sendTwilio } from './channels/twilio.js';
export { outboxInsert } from './outbox-job.js';
export { providersFor } from './settings.js';
export { queuePool } from './queue.js';
export { notificationAdminRoutes, notificationPreferenceRoutes } from './routes.js';
export { type NotificationWorker, type ScheduledJobs, startNotificationWorker } from './worker.js';
