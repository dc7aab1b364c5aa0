import { z } from 'zod';
import { optionalTextField, textField } from '../web/fields.js';

/** What an endpoint can subscribe to: each lifecycle step, comments and internal notes. */
export const EVENT_TYPES = [
  'request.submitted',
  'request.authorized',
  'request.rejected',
  'request.approved',
  'request.started',
  'request.finished',
  'request.reassigned',
  'request.cancelled',
  'request.on_hold',
  'request.resumed',
  'request.rerouted',
  'request.transferred',
  'request.corrected',
  'request.edited',
  'request.confirmed',
  'request.reopened',
  'request.closed',
  // Scheduled (src/reminders): a step waiting too long, an authorization escalated, a resolution overdue.
  'request.reminder',
  'request.escalated',
  'request.overdue',
  'comment.created',
  'note.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const endpointSchema = z.object({
  url: textField(8, 2000),
  description: optionalTextField(200).transform((v) => v ?? ''),
  events: z
    .union([z.enum(EVENT_TYPES), z.array(z.enum(EVENT_TYPES))], { error: 'webhooks.errors.events' })
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .refine((v) => v.length > 0, { error: 'webhooks.errors.events' }),
});
export type EndpointInput = z.output<typeof endpointSchema>;
