// The indicators feature's public entry: what other features and the app may use of it.
export { indicatorRoutes, indicatorsNav } from './routes.js';
export { canSeeIndicators } from './policy.js';
