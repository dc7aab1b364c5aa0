// Public entry of the home feature.
export { homeRoutes } from './routes.js';
