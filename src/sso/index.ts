// Public entry of single sign-on (OpenID Connect per company): the sign-in hook, the sign-in round trip, the settings.
export { passwordRefusal } from './service.js';
export { ssoAdminRoutes, ssoSignInRoutes } from './routes.js';
