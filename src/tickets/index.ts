// The tickets feature's public entry: its trays (pages only; nothing of it is used by other features).
export { ticketRoutes } from './routes.js';
