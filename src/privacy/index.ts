// Public entry of data protection: own data, anonymizing, the company export and deletion, and their jobs.
export { privacyTasks, PRIVACY_CRONTAB } from './jobs.js';
export { purgeCompany, purgeDueCompanies } from './deletion.js';
export { privacyRoutes } from './routes.js';
