// Public entry of absences and substitutes.
export { absenceRoutes, absencesNavSection } from './routes.js';
