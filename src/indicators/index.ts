// The indicators feature's public entry: its pages and its navigation entry.
export { indicatorRoutes, indicatorsNav } from './routes.js';
