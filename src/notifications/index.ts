// Public entry of the notifications feature.
export { sendTwilio } from './channels/twilio.js';
export { outboxInsert } from './outbox-job.js';
export { providersFor } from './settings.js';
