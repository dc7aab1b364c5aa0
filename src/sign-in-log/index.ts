// Public entry of the sign-in log (attempts are written by src/auth, src/sso and src/two-factor): pages and purge.
export { purgeSignInLog, SIGN_IN_LOG_DAYS } from './service.js';
export { signInLogRoutes } from './routes.js';
