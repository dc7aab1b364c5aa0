// The requests feature's public entry: what other features may use of it.
export { workerLoads, type WorkerLoad } from './detail-queries.js';
export { parseRequestNumber } from './filters.js';
export { canView, type RequestState } from './lifecycle.js';
