// The scheduled clean-up of replies by email: the Message-IDs kept to take each message once are only needed while a
// sender's server may still retry or resend (days), so they go after 30 days.
import type { Db } from '../db/client.js';
import type { WorkerExtension } from '../notifications/index.js';
import { forgetMessagesBefore } from './queries.js';

export const TASK_FORGET_MESSAGES = 'inbound_forget_messages';
export const MESSAGE_MEMORY_DAYS = 30;

export function inboundMailJobs(deps: { db: Db; clock?: () => Date }): WorkerExtension {
  const clock = deps.clock ?? (() => new Date());
  return {
    tasks: {
      [TASK_FORGET_MESSAGES]: async () => {
        await forgetMessagesBefore(deps.db, new Date(clock().getTime() - MESSAGE_MEMORY_DAYS * 86_400_000));
      },
    },
    // Nightly, at 03:40 (the privacy purge runs at its own time).
    crontab: `40 3 * * * ${TASK_FORGET_MESSAGES} ?max=1&jobKey=${TASK_FORGET_MESSAGES}`,
  };
}
