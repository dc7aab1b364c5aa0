// Public entry of the REST API (/api/v1).
export { apiRoutes, type ApiDeps } from './routes.js';
export { buildOpenApi } from './openapi.js';
