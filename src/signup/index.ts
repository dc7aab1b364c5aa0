// Public entry of the signup feature.
export { signupRoutes } from './routes.js';
export { timezoneFor } from './service.js';
