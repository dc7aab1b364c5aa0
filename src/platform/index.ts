// Public entry of the platform feature (the operator's view over every company).
export { isPlatformOperator } from './policy.js';
export { platformNavSection, platformRoutes } from './routes.js';
