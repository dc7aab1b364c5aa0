// Public entry of the landing feature.
export { landingRoutes } from './routes.js';
