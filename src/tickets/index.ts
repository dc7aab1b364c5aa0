// The tickets feature's public entry: its trays are pages only; nothing of it is used elsewhere yet.
export { ticketRoutes } from './routes.js';
