// Public entry of two-factor sign-in (TOTP with recovery codes): the sign-in hook, the pages, the company's rule.
export { secondStepFor } from './service.js';
export { twoFactorRoutes, twoFactorSignInRoutes } from './routes.js';
