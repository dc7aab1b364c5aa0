// Public entry of the tickets feature: the tray pages, and the trays and a ticket for the API.
export { ticketRoutes } from './routes.js';
export { areaTickets, loadTicket, myTickets, type TrayInput } from './service.js';
