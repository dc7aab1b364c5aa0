// Public entry of the API tokens: the admin page, and authenticating an API call.
export { scopeAllows } from './policy.js';
export { apiTokenRoutes } from './routes.js';
export { SCOPES, type Scope } from './schemas.js';
export { authenticate, createToken, hashToken, newApiToken, type ApiPrincipal } from './service.js';
