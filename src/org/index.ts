// Public entry of the organization feature: units, people, categories and company settings (Administración).
export { adminNavSection, adminRoutes } from './admin/routes.js';
