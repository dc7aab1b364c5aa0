// Public entry of the one-time form keys (forms that can't post twice).
export { formKeys, onceField, onceMiddleware } from './middleware.js';
