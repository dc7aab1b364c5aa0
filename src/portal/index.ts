// Public entry of the portal feature: guests' requests without an account (issue 19).
export { portalAdminRoutes } from './admin-routes.js';
export { portalJobs, TASK_DROP_UNCONFIRMED } from './jobs.js';
export { portalRoutes } from './routes.js';
export { confirmGuestRequest, dropUnconfirmed, openPortal, submitGuestRequest, type PortalDeps } from './service.js';
