// Public entry of replies by email (issue 19): the SMTP listener server.ts starts when it is configured, and its
// nightly clean-up for the queue's worker.
export { startInboundMail, type InboundMailListener } from './listener.js';
export { inboundMailJobs, MESSAGE_MEMORY_DAYS, TASK_FORGET_MESSAGES } from './jobs.js';
