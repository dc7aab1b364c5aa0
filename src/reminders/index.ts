// Reminders and escalation (issue 16): the public entry.
export { reminderJobs, TASK_REMINDERS } from './jobs.js';
export { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from './rules.js';
export { scanReminders } from './service.js';
