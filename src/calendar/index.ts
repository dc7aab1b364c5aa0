// The working calendar's public entry: working-time arithmetic, due dates and badges, the company's calendar, and
// its admin page.
export { applicableDue, dueAfter, dueBadge, type DueBadge, type DueFacts, type DueState } from './due.js';
export { proposedHolidays } from './holidays.js';
export { calendarOfJson, workingCalendarJson, type WorkingCalendarJson } from './queries.js';
export { calendarRoutes } from './routes.js';
export { workingCalendar } from './service.js';
export { addWorkingMinutes, workingMinutesBetween, type WorkingCalendar } from './working-time.js';
