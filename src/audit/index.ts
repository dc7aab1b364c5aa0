// Public entry of the audit feature: recording administrative changes, and the log's page.
export { auditActor, diff, recordAudit, type AuditActor, type AuditInput } from './record.js';
export { auditRoutes } from './routes.js';
