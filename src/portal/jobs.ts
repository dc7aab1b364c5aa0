// The portal's scheduled job in the queue (graphile-worker's crontab): unconfirmed guest requests are dropped once
// their link expired, with their files, and expired status links go too.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { Attachments, LocalDiskStorage } from '../conversation/index.js';
import type { Db } from '../db/client.js';
import type { WorkerExtension } from '../notifications/index.js';
import { dropUnconfirmed } from './service.js';

export const TASK_DROP_UNCONFIRMED = 'portal_drop_unconfirmed';

export function portalJobs(deps: { db: Db; config: Config; logger: Logger; clock?: () => Date }): WorkerExtension {
  const attachments = new Attachments(new LocalDiskStorage(deps.config.UPLOAD_DIR), { maxBytes: 0, maxFiles: 0 });
  const clock = deps.clock ?? (() => new Date());
  return {
    tasks: {
      [TASK_DROP_UNCONFIRMED]: async () => {
        await dropUnconfirmed({ db: deps.db, logger: deps.logger, clock, attachments });
      },
    },
    // Every quarter of an hour: an unconfirmed request goes at most 15 minutes after its link expired.
    crontab: `*/15 * * * * ${TASK_DROP_UNCONFIRMED} ?max=1&jobKey=${TASK_DROP_UNCONFIRMED}`,
  };
}
