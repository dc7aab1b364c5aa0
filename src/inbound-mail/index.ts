// Public entry of replies by email (issue 19): the SMTP listener server.ts starts when it is configured.
export { startInboundMail, type InboundMailListener } from './listener.js';
