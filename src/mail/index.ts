// Public entry of the mail feature: composing, sending and (outside production) reading stored messages.
export { composeMail, renderMail, type MailKind, type MailParts } from './compose.js';
export { devMailRoutes, isLoopback } from './dev-routes.js';
export { createMailer, type Mailer, type MailMessage } from './mailer.js';
