// Public entry of the health feature.
export { healthRoutes } from './routes.js';
