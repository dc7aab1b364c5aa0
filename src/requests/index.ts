// The requests feature's public entry: what the app and other features may use of it.
export { workerLoads, type WorkerLoad } from './detail-queries.js';
export { authorizerOf, type ChainUnit } from './authorizer.js';
export { parseRequestNumber } from './filters.js';
export { requestNavSections } from './navigation.js';
export { requestRoutes } from './routes.js';
export { autoCloseFinished, requestJobs } from './auto-close.js';
